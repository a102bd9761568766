import { z } from "zod";
import { DESTRUCTIVE, defineOperation } from "../../src/core/operation.js";
import { attributes, excludedAttributes, iiqName, optNum, optStr } from "../params.js";
import { APPROVAL_SCHEME, LCM_PROVISIONING, planXml } from "./previews/plan.js";
import { requestPreview, requestReads, requestVersion } from "./previews/requests.js";
import { LAUNCHED_WORKFLOW_URN, requestState, workflowField } from "./previews/status.js";

const requestInput = z
  .strictObject({
    identityName: iiqName("Whose access: the identity's userName."),
    operation: z.enum(["Add", "Remove"]).describe("Add requests it; Remove takes it away."),
    entitlement: z
      .object({
        application: z.string().min(1).max(255),
        attribute: z.string().min(1).max(255),
        value: z.string().min(1).max(2000),
      })
      .optional()
      .describe("An entitlement as iiq_get_entitlement shows it."),
    role: iiqName("Or a role, by name.").optional(),
    justification: z.string().min(1).max(1000).describe("Why, in the person's words: the approver reads it."),
    policies: z
      .array(z.string().min(1).max(255))
      .min(1)
      .max(50)
      .optional()
      .describe("Policies the SoD check runs (default: IdentityIQ's)."),
    attributes,
    excludedAttributes,
  })
  .superRefine((input, ctx) => {
    if ((input.entitlement === undefined) === (input.role === undefined)) {
      ctx.addIssue({
        code: "custom",
        path: ["entitlement"],
        message:
          input.role === undefined
            ? "give an entitlement ({application, attribute, value}) or a role"
            : "give an entitlement or a role, not both",
      });
    }
  });

export type RequestAccessInput = z.output<typeof requestInput>;

const launchedOut = z.looseObject({
  id: optStr,
  name: optStr,
  completionStatus: optStr,
  launched: optStr,
  completed: optStr,
  targetName: optStr,
  pendingSignOffs: optNum,
  messages: z.array(z.unknown()).nullish(),
  [LAUNCHED_WORKFLOW_URN]: z
    .looseObject({ workflowName: optStr, identityRequestId: optStr, workflowSummary: optStr })
    .nullish(),
});

export const iiqLaunchedWorkflowOperations = [
  defineOperation({
    name: "iiq_request_access",
    title: "Request IdentityIQ access",
    description: `Files an access request (${LCM_PROVISIONING} workflow): add or remove one entitlement or role for an identity, with the person's justification. Asks first unless the owner approves in IdentityIQ. SoD: iiq_check_policy_violations.`,
    provider: "sailpoint-iiq",
    route: "POST /LaunchedWorkflows",
    input: requestInput,
    output: launchedOut,
    annotations: DESTRUCTIVE,
    // Effects: an addition an owner approves in IdentityIQ is a request; one no approver is established for
    // is a grant; a removal is a revoke (previews/requests.ts says how the server decides).
    guard: {
      effects: ["request", "grant", "revoke"],
      reads: requestReads<RequestAccessInput>(),
      preview: requestPreview,
      version: requestVersion,
    },
    request: (input) => ({
      query: {
        ...(input.attributes ? { attributes: input.attributes } : {}),
        ...(input.excludedAttributes ? { excludedAttributes: input.excludedAttributes } : {}),
      },
      body: {
        schemas: [LAUNCHED_WORKFLOW_URN],
        workflowName: LCM_PROVISIONING,
        input: [
          { key: "identityName", value: input.identityName, type: "string" },
          {
            key: "plan",
            value: planXml(input, input.operation, input.justification),
            type: "application/xml",
          },
          { key: "flow", value: "AccessRequest", type: "string" },
          { key: "approvalScheme", value: APPROVAL_SCHEME, type: "string" },
        ],
      },
    }),
    summarize: (out, input) => {
      const requestId = workflowField(out, "identityRequestId");
      const e = input.entitlement;
      const what = e ? `${e.application} ${e.attribute} "${e.value}"` : `role "${input.role ?? "?"}"`;
      return [
        `Filed IdentityIQ access request ${typeof requestId === "string" ? requestId : "?"} to ${input.operation === "Add" ? "add" : "remove"} ${what} for ${input.identityName} (launched workflow ${out.id ?? "?"}): ${requestState(out)}.`,
        `Track it with iiq_get_request_status (id ${out.id ?? "?"}).`,
      ].join("\n");
    },
  }),
];
