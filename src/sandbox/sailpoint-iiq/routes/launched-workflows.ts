/**
 * IdentityIQ's LaunchedWorkflows (its 8.3 spec): launching a workflow (an access request through LCM
 * Provisioning, see workflows.ts) and reading what was launched. The spec answers a launch with the
 * workflow's fields under the LaunchedWorkflow URN and declares them at the top level on its reads; the
 * sandbox answers each as its operation says. One launched workflow is read at the spec's path,
 * `/LaunchedWorkflow/{id}`.
 */
import type { RouteTable, SandboxRequest } from "../../kit/http.js";
import { isObject } from "../../kit/json.js";
import { listResponse, oneResponse, project, ScimError, type ScimResource, TEXT_OPS } from "../scim.js";
import type { IiqStore } from "../store.js";
import { IIQ_SCHEMA_LAUNCHED, launch, launchAnswer, launchedWorkflow } from "../workflows.js";

const LAUNCHED: ScimResource = {
  schema: IIQ_SCHEMA_LAUNCHED,
  filters: {
    name: { ops: TEXT_OPS },
    workflowName: { ops: TEXT_OPS },
    identityRequestId: { ops: TEXT_OPS },
    targetName: { ops: TEXT_OPS },
    completionStatus: { ops: ["eq"], kind: "enum" },
    launched: { ops: ["eq", "gt", "lt", "ge", "le"], kind: "date" },
    completed: { ops: ["eq", "gt", "lt", "ge", "le"], kind: "date" },
  },
};

/** A JSON request body, or a SCIM 400. */
export function jsonBody(req: SandboxRequest): Record<string, unknown> {
  let body: unknown;
  try {
    body = JSON.parse(req.body || "null");
  } catch {
    throw new ScimError(400, "The request body is not JSON", "invalidSyntax");
  }
  if (!isObject(body)) throw new ScimError(400, "The request body must be a JSON object", "invalidSyntax");
  return body;
}

export const launchedWorkflowRoutes: RouteTable<IiqStore> = {
  "POST /LaunchedWorkflows": (store, req) => {
    const record = launch(store, jsonBody(req));
    return { status: 201, body: project(launchAnswer(store, record), IIQ_SCHEMA_LAUNCHED, req) };
  },
  "GET /LaunchedWorkflows": (store, req) =>
    listResponse(
      req,
      [...store.launches.values()].map((l) => launchedWorkflow(store, l)),
      LAUNCHED,
    ),
  "GET /LaunchedWorkflow/{id}": (store, req) => {
    const record = store.launches.get(req.params.id ?? "");
    return oneResponse(req, record && launchedWorkflow(store, record), IIQ_SCHEMA_LAUNCHED);
  },
};
