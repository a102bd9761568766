/**
 * Straight to the IdentityIQ sandbox, not through the server: SCIM reads and launches with its Basic
 * credentials, the approver's decisions through its control surface, and what an identity holds.
 */
import { SANDBOX_CREDENTIALS, type Sandbox } from "../../../src/sandbox/index.js";
import { IIQ_USER_EXTENSION } from "../../../tools/sailpoint-iiq/users.js";

type Json = Record<string, unknown>;

const basic = () => {
  const { username, password } = SANDBOX_CREDENTIALS.iiq;
  return `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}`;
};

/** A SCIM request to the sandbox's IdentityIQ; the answer's body. */
export async function scim(sandbox: Sandbox, path: string, body?: unknown): Promise<Json> {
  const res = await fetch(`${sandbox.url}/identityiq/scim/v2${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { Authorization: basic(), "Content-Type": "application/scim+json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return (await res.json()) as Json;
}

/** Launches LCM Provisioning for one request (as another IdentityIQ client would), `approvalScheme` none. */
export function provisionDirectly(
  sandbox: Sandbox,
  userName: string,
  request: { application: string; attribute: string; value: string },
  op: "Add" | "Remove",
): Promise<Json> {
  const plan = `<ProvisioningPlan><AccountRequest application="${request.application}" op="Modify"><AttributeRequest name="${request.attribute}" op="${op}" value="${request.value}"/></AccountRequest></ProvisioningPlan>`;
  return scim(sandbox, "/LaunchedWorkflows", {
    workflowName: "LCM Provisioning",
    input: [
      { key: "identityName", value: userName },
      { key: "plan", value: plan, type: "application/xml" },
      { key: "approvalScheme", value: "none" },
    ],
  });
}

/** The approver decides, through the sandbox's control surface (no IdentityIQ credentials). */
export async function decide(sandbox: Sandbox, id: string, decision: "approve" | "reject", comment?: string) {
  const res = await fetch(`${sandbox.url}/_sandbox/iiq/workflows/${id}/${decision}`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: comment === undefined ? "" : JSON.stringify({ comment }),
  });
  return { status: res.status, body: (await res.json()) as Json };
}

/** What the identity holds now: entitlement and role names. */
export async function holdings(sandbox: Sandbox, userName: string): Promise<string[]> {
  const user = await scim(sandbox, `/Users/${userName}?lookupByName=true`);
  const ext = user[IIQ_USER_EXTENSION] as { entitlements: Json[]; roles: Json[] };
  return [...ext.entitlements, ...ext.roles].map((e) => String(e.display));
}

/** Successful launches the sandbox answered. */
export const launches = (sandbox: Sandbox) =>
  sandbox.requests.filter(
    (r) => r.method === "POST" && r.path.endsWith("/LaunchedWorkflows") && r.status < 300,
  ).length;
