/**
 * Launched workflows and their task results (the spec's /LaunchedWorkflows and /TaskResults): the sandbox
 * runs IdentityIQ's LCM Provisioning workflow as an access request does. Launched with an identity and a
 * provisioning plan, it asks for approvals by its `approvalScheme` input (`owner`, the default here: the
 * entitlement's or role's owner; `none`: no approval; `manager`: the demo people have no managers, so it
 * falls to the fallback approver, the launcher). An approval that falls to the launcher, or to nobody, is
 * granted at once, as IdentityIQ does when the requester is the approver. Removals are provisioned without
 * approval. While an approval is pending the task result has no completion; the approver decides through
 * the sandbox's control surface (control.ts): approved, the plan is provisioned and the task completes with
 * Success; rejected, nothing is provisioned and it completes with a Warning. Any other workflow IdentityIQ
 * lists completes at once without doing anything.
 */
import type { Json } from "../kit/json.js";
import { isObject } from "../kit/json.js";
import { provision, resolve, type Target } from "./access.js";
import { IIQ_VIOLATION_STATUS, iiqId, LCM_PROVISIONING } from "./data.js";
import { parsePlanXml, planXml } from "./plan.js";
import { recordViolations } from "./policies.js";
import { ScimError } from "./scim.js";
import { type IiqStore, iiqTime } from "./store.js";

export const IIQ_SCHEMA_LAUNCHED = "urn:ietf:params:scim:schemas:sailpoint:1.0:LaunchedWorkflow";
export const IIQ_SCHEMA_TASK_RESULT = "urn:ietf:params:scim:schemas:sailpoint:1.0:TaskResult";
/** Who the sandbox's clients act as (HTTP Basic's user; OAuth clients act as it too). */
export const LAUNCHER = "spadmin";

interface Person {
  id: string;
  userName: string;
  displayName: string;
}

export interface Approval {
  approver: Person;
  state: "Pending" | "Finished" | "Rejected";
  workItemId: string;
  started: number;
  ended?: number;
  comment?: string;
  targets: Target[];
}

export interface Launch {
  id: string;
  caseId: string;
  requestId: string;
  workflowName: string;
  launched: number;
  completed?: number;
  completionStatus?: "Success" | "Warning";
  identity?: Person;
  targets: Target[];
  approvals: Approval[];
  input: Json[];
  messages: string[];
}

const personOf = (user: Json): Person => ({
  id: String(user.id),
  userName: String(user.userName),
  displayName: String(user.displayName),
});

/** The input entries of a launch: `[{key, value, type?}]`, each value a string. */
function inputsOf(body: Json): Json[] {
  if (body.input === undefined) return [];
  if (!Array.isArray(body.input) || !body.input.every((e) => isObject(e) && typeof e.key === "string")) {
    throw new ScimError(400, "input must be a list of {key, value, type} entries", "invalidValue");
  }
  return body.input as Json[];
}

const inputValue = (input: Json[], key: string) => {
  const value = input.find((e) => e.key === key)?.value;
  return typeof value === "string" ? value : undefined;
};

/** The approver a scheme names for one target, or undefined when the approval falls to the launcher. */
function approverOf(store: IiqStore, schemes: string[], target: Target): Person | undefined {
  if (target.op === "Remove" || !schemes.includes("owner")) return undefined;
  const owner = target.resource.owner;
  const ref = (Array.isArray(owner) ? owner[0] : owner) as Json | undefined;
  const user = ref?.value ? store.users.get(String(ref.value)) : undefined;
  if (!user || String(user.userName) === LAUNCHER) return undefined;
  return personOf(user);
}

/** The id of the n-th launch (its task result's), made at `at`. */
const launchId = (n: number, at: number) => iiqId(`task:${n}:${at}`);

/** Launches a workflow (the POST's body); an LCM Provisioning request waits for its approvals. */
export function launch(store: IiqStore, body: Json, at = store.now()): Launch {
  const name = body.workflowName;
  if (typeof name !== "string" || name === "") {
    throw new ScimError(400, "workflowName is required: the name of the workflow to launch", "invalidValue");
  }
  if (![...store.workflows.values()].some((w) => w.name === name)) {
    throw new ScimError(400, `No workflow named "${name}"`, "invalidValue");
  }
  const input = inputsOf(body);
  const n = store.launches.size + 1;
  const record: Launch = {
    id: launchId(n, at),
    caseId: iiqId(`case:${n}:${at}`),
    requestId: String(n).padStart(10, "0"),
    workflowName: name,
    launched: at,
    targets: [],
    approvals: [],
    input,
    messages: [],
  };
  if (name !== LCM_PROVISIONING) {
    record.completed = at;
    record.completionStatus = "Success";
    record.messages.push(
      `The sandbox runs only ${LCM_PROVISIONING}: ${name} completed without doing anything.`,
    );
    store.launches.set(record.id, record);
    return record;
  }
  const identityName = inputValue(input, "identityName");
  const user = identityName ? store.user(identityName) : undefined;
  if (!user) {
    throw new ScimError(
      400,
      `The identityName input names no identity: "${identityName ?? ""}"`,
      "invalidValue",
    );
  }
  const plan = inputValue(input, "plan");
  if (!plan) throw new ScimError(400, "The plan input is required: a <ProvisioningPlan>", "invalidValue");
  record.identity = personOf(user);
  record.targets = parsePlanXml(plan).map((request) => resolve(store, request));
  const schemes = (inputValue(input, "approvalScheme") ?? "owner").split(",").map((s) => s.trim());
  for (const target of record.targets) {
    const approver = approverOf(store, schemes, target);
    if (!approver) continue;
    const open = record.approvals.find((a) => a.approver.id === approver.id);
    if (open) open.targets.push(target);
    else {
      const workItemId = iiqId(`workitem:${record.id}:${approver.id}`);
      record.approvals.push({ approver, state: "Pending", workItemId, started: at, targets: [target] });
    }
  }
  store.launches.set(record.id, record);
  if (record.approvals.length === 0) finish(store, record, at);
  return record;
}

/** Provisions the plan and completes the task. */
function finish(store: IiqStore, record: Launch, at: number): void {
  const user = record.identity ? store.users.get(record.identity.id) : undefined;
  if (user) {
    for (const target of record.targets) provision(store, user, target, at);
    recordViolations(store, user, at);
  }
  record.completed = at;
  record.completionStatus = "Success";
  record.messages.push(
    `Provisioned for ${record.identity?.displayName ?? "the identity"}: ${record.targets.map((t) => `${t.op} ${t.display}`).join(", ")}.`,
  );
}

/** The approver's decision on every pending approval; a 409 when none is pending. */
export function decide(
  store: IiqStore,
  id: string,
  decision: "approve" | "reject",
  comment: string | undefined,
  at = store.now(),
): Launch {
  const record = store.launches.get(id);
  if (!record) throw new ScimError(404, `No launched workflow ${id}`);
  const pending = record.approvals.filter((a) => a.state === "Pending");
  if (pending.length === 0) {
    throw new ScimError(409, `Workflow ${id} has no pending approval (${statusOf(record)})`, "mutability");
  }
  for (const approval of pending) {
    approval.state = decision === "approve" ? "Finished" : "Rejected";
    approval.ended = at;
    if (comment !== undefined) approval.comment = comment;
  }
  if (decision === "approve") finish(store, record, at);
  else {
    record.completed = at;
    record.completionStatus = "Warning";
    const by = pending.map((a) => a.approver.displayName).join(", ");
    record.messages.push(`Rejected by ${by}: nothing was provisioned.`);
  }
  return record;
}

/** launched, pending approval, approved, rejected, completed: the state a person would name. */
export function statusOf(record: Launch): string {
  if (record.approvals.some((a) => a.state === "Pending")) return "pending approval";
  if (record.approvals.some((a) => a.state === "Rejected")) return "rejected";
  if (record.approvals.length > 0) return "approved";
  return record.completed === undefined ? "launched" : "completed";
}

// ---- Rendering: the task result, and the LaunchedWorkflow views of it ----

const attr = (value: string) => value.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

function approvalSetXml(record: Launch): string {
  const items = record.approvals.flatMap((a) =>
    a.targets.map((t) => {
      const state = a.state === "Pending" ? "" : ` state="${a.state}"`;
      const comments = t.comments === undefined ? "" : `<entry key="comments" value="${attr(t.comments)}"/>`;
      return `<ApprovalItem application="${attr(t.application)}" approver="${attr(a.approver.userName)}" displayName="${attr(t.attribute)}" displayValue="${attr(t.display)}" name="${attr(t.attribute)}" operation="${t.op}"${state} value="${attr(t.value)}"><Attributes><Map>${comments}<entry key="flow" value="AccessRequest"/><entry key="interface" value="LCM"/></Map></Attributes></ApprovalItem>`;
    }),
  );
  return `<ApprovalSet>${items.join("")}</ApprovalSet>`;
}

function workflowSummaryXml(record: Launch): string {
  if (record.approvals.length === 0) return '<WorkflowSummary step="end"/>';
  const step = statusOf(record) === "pending approval" ? "approve" : "end";
  const summaries = record.approvals.map((a) => {
    const done =
      a.ended === undefined ? "" : ` completer="${attr(a.approver.displayName)}" endDate="${a.ended}"`;
    const what = a.targets.map((t) => `${t.op === "Add" ? "adding" : "removing"} ${t.display}`).join(", ");
    const request = `Approve ${what} for ${record.identity?.displayName ?? "?"}`;
    return `<ApprovalSummary${done} owner="${attr(a.approver.userName)}" request="${attr(request)}" startDate="${a.started}" state="${a.state}" workItemId="${a.workItemId}" workItemType="Approval"/>`;
  });
  return `<WorkflowSummary step="${step}"><Interactions>${summaries.join("")}</Interactions></WorkflowSummary>`;
}

/** The TaskResult fields every view shares. */
function taskFields(store: IiqStore, record: Launch): Json {
  const modified = Math.max(record.launched, record.completed ?? 0);
  return {
    id: record.id,
    name: record.identity ? `Update Identity ${record.identity.userName} AccessRequest` : record.workflowName,
    type: "LCM",
    ...(record.completionStatus ? { completionStatus: record.completionStatus } : {}),
    launcher: LAUNCHER,
    targetClass: "Identity",
    ...(record.identity ? { targetName: record.identity.userName } : {}),
    terminated: false,
    partitioned: false,
    launched: iiqTime(record.launched),
    ...(record.completed === undefined ? {} : { completed: iiqTime(record.completed) }),
    pendingSignOffs: 0,
    taskDefinition: "Workflow Launcher",
    messages: [...record.messages],
    meta: {
      created: iiqTime(record.launched),
      lastModified: iiqTime(modified),
      location: `${store.base()}/TaskResults/${record.id}`,
      version: `W/"${modified}"`,
      resourceType: "TaskResult",
    },
  };
}

/** The workflow's own fields, as the LaunchedWorkflow schema names them. */
function workflowFields(record: Launch): Json {
  return {
    workflowName: record.workflowName,
    identityRequestId: record.requestId,
    workflowCaseId: record.caseId,
    retries: 0,
    workflowSummary: workflowSummaryXml(record),
  };
}

/** GET /TaskResults/{id}: the task result, the workflow's state in its attributes. */
export function taskResult(store: IiqStore, record: Launch): Json {
  const workflow = workflowFields(record);
  return {
    ...taskFields(store, record),
    schemas: [IIQ_SCHEMA_TASK_RESULT],
    attributes: [
      { key: "identityRequestId", value: record.requestId },
      { key: "workflowCaseId", value: record.caseId },
      { key: "retries", value: "0" },
      { key: "workflowSummary", value: workflow.workflowSummary },
      ...(record.approvals.length > 0 ? [{ key: "approvalSet", value: approvalSetXml(record) }] : []),
    ],
  };
}

/** GET /LaunchedWorkflows and /LaunchedWorkflow/{id}: the spec declares the workflow's fields at the top. */
export function launchedWorkflow(store: IiqStore, record: Launch): Json {
  const task = taskResult(store, record);
  return {
    ...task,
    ...workflowFields(record),
    ...(record.approvals.length > 0 ? { approvalSet: approvalSetXml(record) } : {}),
    schemas: [IIQ_SCHEMA_LAUNCHED, IIQ_SCHEMA_TASK_RESULT],
    meta: { ...(task.meta as Json), resourceType: "LaunchedWorkflow" },
  };
}

/** POST /LaunchedWorkflows's 201: the spec nests the workflow's fields under the LaunchedWorkflow URN. */
export function launchAnswer(store: IiqStore, record: Launch): Json {
  const task = taskFields(store, record);
  const workflow = workflowFields(record);
  return {
    ...task,
    schemas: [IIQ_SCHEMA_LAUNCHED, IIQ_SCHEMA_TASK_RESULT],
    meta: { ...(task.meta as Json), resourceType: "LaunchedWorkflow" },
    [IIQ_SCHEMA_LAUNCHED]: {
      ...workflow,
      input: record.input,
      output: [
        { key: "identityRequestId", value: record.requestId, type: "string" },
        { key: "workflowSummary", value: workflow.workflowSummary, type: "application/xml" },
      ],
    },
  };
}

// ---- The demo's requests ----

const DEMO_TIME = Date.parse("2025-03-10T09:00:00.000Z");
const HOUR = 3_600_000;

/** The demo's launched workflows: Hannah Schmidt's approved request, Marcus Bell's pending one. */
export const IIQ_DEMO_LAUNCHES = {
  approved: launchId(1, DEMO_TIME),
  pending: launchId(2, DEMO_TIME + 24 * HOUR),
} as const;

/** An access request as IdentityIQ's UI files it, for the demo. */
function demoRequest(store: IiqStore, userName: string, entitlement: string, comments: string, at: number) {
  const found = [...store.entitlements.values()].find((e) => e.displayableName === entitlement);
  if (!found) return undefined;
  const app = String((found.application as Json[])[0]?.displayName);
  const plan = planXml([
    { application: app, name: String(found.attribute), value: String(found.value), op: "Add", comments },
  ]);
  return launch(
    store,
    {
      workflowName: LCM_PROVISIONING,
      input: [
        { key: "identityName", value: userName, type: "string" },
        { key: "plan", value: plan, type: "application/xml" },
        { key: "flow", value: "AccessRequest", type: "string" },
      ],
    },
    at,
  );
}

/**
 * The demo's governance state: the violations its people already have (Olivia Brooks's open, Priya
 * Raman's mitigated), Hannah Schmidt's request for the finance share (approved by Priya Raman) and Marcus
 * Bell's for Marketing User (waiting for Priya Raman).
 */
export function loadGovernanceDemo(store: IiqStore): void {
  for (const user of store.users.values()) {
    recordViolations(store, user, DEMO_TIME, IIQ_VIOLATION_STATUS[String(user.userName)] ?? "Open");
  }
  const hannah = demoRequest(store, "hannah.schmidt", "Finance Share RW", "Month-end close", DEMO_TIME);
  if (hannah) decide(store, hannah.id, "approve", "Approved for the close", DEMO_TIME + HOUR);
  demoRequest(store, "marcus.bell", "Marketing User", "Runs the spring campaign", DEMO_TIME + 24 * HOUR);
}
