/**
 * Where an IdentityIQ access request stands, read from its launched workflow or task result: the workflow
 * summary's approvals (owner, state, who completed them) and the task's completion. Pure, for summaries.
 */
import { asObject, type JsonObject } from "../../../src/core/json.js";
import { oneLine, quote } from "../../../src/core/sanitize.js";

export const LAUNCHED_WORKFLOW_URN = "urn:ietf:params:scim:schemas:sailpoint:1.0:LaunchedWorkflow";

/** One approval of the workflow summary. */
export interface ApprovalStep {
  owner?: string;
  state?: string;
  completer?: string;
}

const attrsOf = (tag: string) =>
  Object.fromEntries([...tag.matchAll(/([\w:.-]+)="([^"]*)"/g)].map((m) => [m[1], m[2]])) as Record<
    string,
    string | undefined
  >;

/** The approvals a `<WorkflowSummary>` lists. */
export function approvalsOf(summary: unknown): ApprovalStep[] {
  if (typeof summary !== "string") return [];
  return [...summary.matchAll(/<ApprovalSummary\b([^>]*)>/g)].map((m) => {
    const a = attrsOf(m[1] as string);
    return { owner: a.owner, state: a.state, completer: a.completer };
  });
}

/** A task attribute (`attributes: [{key, value}]`), a field of the LaunchedWorkflow URN, or a top-level one. */
export function workflowField(out: JsonObject, key: string): unknown {
  const fromList = Array.isArray(out.attributes)
    ? (out.attributes as unknown[]).map(asObject).find((a) => a?.key === key)?.value
    : undefined;
  return fromList ?? asObject(out[LAUNCHED_WORKFLOW_URN])?.[key] ?? out[key];
}

const who = (name: string | undefined) => (name ? quote(name, 80) : "an approver");

/** "pending approval by "aisha.khan"", "approved by "Aisha Khan" and provisioned", "rejected by …", … */
export function requestState(out: JsonObject): string {
  const approvals = approvalsOf(workflowField(out, "workflowSummary"));
  const status = typeof out.completionStatus === "string" ? out.completionStatus : undefined;
  const pending = approvals.filter((a) => a.state === "Pending");
  if (pending.length > 0) return `pending approval by ${pending.map((a) => who(a.owner)).join(", ")}`;
  const rejected = approvals.filter((a) => a.state === "Rejected");
  if (rejected.length > 0)
    return `rejected by ${rejected.map((a) => who(a.completer ?? a.owner)).join(", ")}: nothing was provisioned`;
  if (status === "Success") {
    return approvals.length > 0
      ? `approved by ${approvals.map((a) => who(a.completer ?? a.owner)).join(", ")} and provisioned`
      : "completed without an approval: provisioned";
  }
  if (status) return `ended with ${oneLine(status, 20)}`;
  return "launched, still running";
}
