/**
 * IdentityIQ's TaskResults (its 8.3 spec): the result of every task, among them each launched workflow's
 * (same id), which carries the workflow's state in its attributes: the identity request id, the workflow
 * summary with each approval's owner and state, the approval set.
 */
import type { RouteTable } from "../../kit/http.js";
import { listResponse, oneResponse, type ScimResource, TEXT_OPS } from "../scim.js";
import type { IiqStore } from "../store.js";
import { IIQ_SCHEMA_TASK_RESULT, taskResult } from "../workflows.js";

const TASK_RESULTS: ScimResource = {
  schema: IIQ_SCHEMA_TASK_RESULT,
  filters: {
    name: { ops: TEXT_OPS },
    type: { ops: TEXT_OPS },
    targetName: { ops: TEXT_OPS },
    launcher: { ops: TEXT_OPS },
    completionStatus: { ops: ["eq"], kind: "enum" },
    launched: { ops: ["eq", "gt", "lt", "ge", "le"], kind: "date" },
    completed: { ops: ["eq", "gt", "lt", "ge", "le"], kind: "date" },
  },
};

export const taskResultRoutes: RouteTable<IiqStore> = {
  "GET /TaskResults": (store, req) =>
    listResponse(
      req,
      [...store.launches.values()].map((l) => taskResult(store, l)),
      TASK_RESULTS,
    ),
  "GET /TaskResults/{id}": (store, req) => {
    const record = store.launches.get(req.params.id ?? "");
    return oneResponse(req, record && taskResult(store, record), IIQ_SCHEMA_TASK_RESULT);
  },
};
