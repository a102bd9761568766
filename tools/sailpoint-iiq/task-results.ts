import { z } from "zod";
import { defineOperation, READ } from "../../src/core/operation.js";
import { attributes, excludedAttributes, iiqId, optNum, optStr } from "../params.js";
import { approvalsOf, requestState, workflowField } from "./previews/status.js";

const taskOut = z.looseObject({
  id: optStr,
  name: optStr,
  type: optStr,
  completionStatus: optStr,
  launcher: optStr,
  targetName: optStr,
  launched: optStr,
  completed: optStr,
  pendingSignOffs: optNum,
  messages: z.array(z.unknown()).nullish(),
  attributes: z.array(z.looseObject({ key: optStr, value: z.unknown() })).nullish(),
});

const text = (value: unknown) => (typeof value === "string" && value !== "" ? value : "?");

export const iiqTaskResultOperations = [
  defineOperation({
    name: "iiq_get_request_status",
    title: "Get an IdentityIQ request's status",
    description:
      "Where an access request stands: the task result iiq_request_access answered, with each approval's owner and state.",
    provider: "sailpoint-iiq",
    route: "GET /TaskResults/{id}",
    input: z.strictObject({
      id: iiqId("The id iiq_request_access answered."),
      attributes,
      excludedAttributes,
    }),
    output: taskOut,
    annotations: READ,
    guard: "none",
    summarize: (out) => {
      const steps = approvalsOf(workflowField(out, "workflowSummary")).map(
        (a) => `- approval by ${text(a.owner)}: ${text(a.state)}${a.completer ? ` (${a.completer})` : ""}`,
      );
      const messages = (out.messages ?? []).filter((m): m is string => typeof m === "string");
      return [
        `IdentityIQ request ${text(workflowField(out, "identityRequestId"))} for ${text(out.targetName)} (${text(out.name)}, ${text(out.id)}): ${requestState(out)}.`,
        `Launched ${text(out.launched)}${out.completed ? `, completed ${out.completed}` : ", not completed"}${out.completionStatus ? ` (${out.completionStatus})` : ""}.`,
        ...steps,
        ...messages.map((m) => `- message: ${m}`),
      ].join("\n");
    },
  }),
];
