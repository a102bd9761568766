/**
 * IdentityIQ's Workflows (its 8.3 spec): the workflow definitions it ships, by name and type. The spec
 * requires a Workflow's name in every answer, so `excludedAttributes` cannot take it away.
 */
import type { RouteTable } from "../../kit/http.js";
import { listResponse, oneResponse, type ScimResource, TEXT_OPS } from "../scim.js";
import { IIQ_SCHEMA_WORKFLOW, type IiqStore } from "../store.js";

const WORKFLOWS: ScimResource = {
  schema: IIQ_SCHEMA_WORKFLOW,
  filters: { name: { ops: TEXT_OPS }, type: { ops: TEXT_OPS } },
  always: ["name"],
};

export const workflowRoutes: RouteTable<IiqStore> = {
  "GET /Workflows": (store, req) => listResponse(req, [...store.workflows.values()], WORKFLOWS),
  "GET /Workflows/{id}": (store, req) =>
    oneResponse(req, store.workflows.get(req.params.id ?? ""), IIQ_SCHEMA_WORKFLOW, WORKFLOWS.always),
};
