/**
 * Access requests the way an IGA does them, through a real MCP Client against the sandbox: a person asks
 * for access, the assistant finds the catalog entry, reads the request fields and Okta's risk assessment
 * (a separation-of-duties conflict), files the request with the person's justification without a
 * confirmation (the app's owner approves in Okta), the sandbox's approver approves, and the grant exists
 * while the request reports it fulfilled; a denial; an auto-approved entry that asks a person first,
 * naming the conflict in its preview; and the same flow through the built bin.
 */
import { describe, expect, it } from "vitest";
import type { Sandbox } from "../../../src/sandbox/index.js";
import { GITHUB, ORG, WORKDAY } from "../../fixtures/okta.js";
import {
  ENTRIES,
  HANNAH,
  JUSTIFICATION_FIELD,
  KENJI,
  PAYROLL_BUNDLE,
  PLATFORM_BUNDLE,
  REQUESTS,
} from "../../fixtures/okta-requests.js";
import { call, confirmed, ok, sandboxGet, structured, text } from "../../helpers/harness.js";
import { testServer } from "../../helpers/test-server.js";

type Json = Record<string, unknown>;
type List = { items: Json[]; nextCursor?: string };

/** The sandbox's control surface: an approver deciding in Okta's UI (no token, outside the API). */
async function decide(sandbox: Sandbox, requestId: string, decision: "approve" | "deny"): Promise<Json> {
  const res = await fetch(`${sandbox.url}/_sandbox/okta/requests/${requestId}/${decision}`, {
    method: "POST",
  });
  expect(res.status).toBe(200);
  return (await res.json()) as Json;
}

const grantsOf = async (sandbox: Sandbox, appId: string, userId: string) => {
  const filter = `target.externalId eq "${appId}" AND target.type eq "APPLICATION" AND targetPrincipal.externalId eq "${userId}" AND targetPrincipal.type eq "OKTA_USER"`;
  const { body } = await sandboxGet(
    sandbox,
    `/governance/api/v1/grants?filter=${encodeURIComponent(filter)}`,
  );
  return (body as { data: Json[] }).data;
};

const session = testServer();

describe("a person asks for access", () => {
  it("finds the entry, sees the conflict, files the request with a justification; the owner approves and the grant exists", async () => {
    const { client, sandbox } = session;
    const people = ok<List>(await call(client, "okta_search_users", { q: "Hannah" }));
    expect(people.items[0]?.id).toBe(HANNAH);

    const apps = ok<List>(
      await call(client, "okta_list_requestable_entries", { userId: HANNAH, topLevel: true }),
    );
    const workday = apps.items.find((e) => e.name === "Workday");
    expect(workday?.id).toBe(ENTRIES.workday);
    const bundles = ok<List>(
      await call(client, "okta_list_requestable_entries", { userId: HANNAH, parentId: ENTRIES.workday }),
    );
    expect(bundles.items.map((e) => e.name)).toEqual(["Workday Payroll Operations"]);
    const entryId = String(bundles.items[0]?.id);

    const fields = await call(client, "okta_get_request_fields", { entryId, userId: HANNAH });
    expect(text(fields)).toContain(
      `"What is the business justification?" id ${JUSTIFICATION_FIELD} (TEXT, required)`,
    );
    expect(text(fields)).toContain(
      `Okta's risk assessment (ALLOWED_WITH_NO_OVERRIDES): conflicts with rule "Create and approve payments" ("Workday").`,
    );

    const risk = await call(client, "okta_assess_access_risk", {
      principalOrn: `orn:okta:directory:${ORG}:users:${HANNAH}`,
      resourceOrn: `orn:okta:governance:${ORG}:entitlement-bundles:${PAYROLL_BUNDLE}`,
    });
    expect(text(risk)).toMatch(
      /^1 conflict .*\n- rule "Create and approve payments" \(rul\w+\) in orn:okta:idp:.*:workday:.*: one of "Security Group": "Payroll Admin" together with one of "Security Group": "Expense Approver"$/,
    );

    // The app's owner approves in Okta: the request is filed without asking here.
    const filed = await call(client, "okta_create_access_request", {
      requested: { type: "CATALOG_ENTRY", entryId },
      requestedFor: { type: "OKTA_USER", externalId: HANNAH },
      requesterFieldValues: [
        { id: JUSTIFICATION_FIELD, value: "I cover the payroll close while Diego is away" },
      ],
    });
    const request = ok<Json>(filed);
    expect(request.status).toBe("SUBMITTED");
    expect(text(filed)).toContain(`Filed request ${request.id} (SUBMITTED) for ${HANNAH}`);
    expect(text(filed)).toContain('conflicts with rule "Create and approve payments" ("Workday")');
    const audit = (await session.readAudit()).filter((l) => l.tool === "okta_create_access_request");
    expect(audit.map((l) => l.outcome)).toEqual(["not_required", "executing", "executed"]);
    expect(audit[0]?.detail).toBe(
      `Request "Workday Payroll Operations" (${entryId}) in app "Workday" (${WORKDAY}) for "Hannah Schmidt" (${HANNAH}).`,
    );

    const waiting = await call(client, "okta_get_access_request", { requestId: request.id });
    expect(ok<Json>(waiting).status).toBe("PENDING");
    expect(text(waiting)).toContain("- waiting for its approver in Okta");
    expect(text(waiting)).toContain(
      '- "What is the business justification?": "I cover the payroll close while Diego is away"',
    );
    expect(await grantsOf(sandbox, WORKDAY, HANNAH)).toHaveLength(1); // her custom grant only

    const message = await call(client, "okta_add_request_message", {
      requestId: request.id,
      message: "Diego is away from June 3 to June 21.",
    });
    expect(ok(message)).toEqual({ requestId: request.id, added: true });
    const messages = await sandboxGet(sandbox, `/_sandbox/okta/requests/${request.id}/messages`);
    expect((messages.body as { data: Json[] }).data.map((m) => m.message)).toEqual([
      "Diego is away from June 3 to June 21.",
    ]);

    const approved = await decide(sandbox, String(request.id), "approve");
    expect(approved).toMatchObject({ status: "APPROVED", grantStatus: "GRANTED" });

    const done = await call(client, "okta_get_access_request", { requestId: request.id });
    expect(ok<Json>(done)).toMatchObject({ status: "APPROVED", grantStatus: "GRANTED" });
    expect(text(done)).toMatch(/^Request req\w+ APPROVED, grant GRANTED \S+: bundle /);
    expect(text(done)).toMatch(/- APPROVE by "Aisha Khan" \(00u4OF7SuBwtWqVxAzKi\) at /);
    const grants = await grantsOf(sandbox, WORKDAY, HANNAH);
    expect(grants.find((g) => g.entitlementBundleId === PAYROLL_BUNDLE)).toMatchObject({
      grantType: "ENTITLEMENT-BUNDLE",
      actor: "ACCESS_REQUEST",
      status: "ACTIVE",
    });
    const hers = ok<List>(
      await call(client, "okta_list_access_requests", { status: "APPROVED", requestedFor: HANNAH }),
    );
    expect(hers.items.map((r) => r.id)).toEqual([request.id]);
  });

  it("reports a denied request, and nothing is granted", async () => {
    const { client, sandbox } = session;
    const before = await grantsOf(sandbox, "0oafxqCAJWWGELFTYASJ", "00uZ2iuxU9Yk38Uxqyuk");
    await decide(sandbox, REQUESTS.pending, "deny");
    const denied = await call(client, "okta_get_access_request", { requestId: REQUESTS.pending });
    expect(ok<Json>(denied).status).toBe("DENIED");
    expect(text(denied)).toMatch(/- DENY by "Priya Raman" \(00ub0oNGTSWTBKOLGLNR\) at /);
    expect(await grantsOf(sandbox, "0oafxqCAJWWGELFTYASJ", "00uZ2iuxU9Yk38Uxqyuk")).toEqual(before);
    const again = await fetch(`${sandbox.url}/_sandbox/okta/requests/${REQUESTS.pending}/approve`, {
      method: "POST",
    });
    expect(again.status).toBe(409);
  });

  it("asks a person before an entry Okta approves at once, naming the conflict; confirmed, it is granted", async () => {
    const { client, sandbox } = session;
    const args = {
      requested: { type: "CATALOG_ENTRY", entryId: ENTRIES.platform },
      requestedFor: { type: "OKTA_USER", externalId: KENJI },
    };
    const asked = await call(client, "okta_create_access_request", args);
    expect(structured(asked)).toMatchObject({ status: "confirmation_required" });
    const preview = text(asked);
    expect(preview).toContain(
      `Request "GitHub Platform Engineering" (${ENTRIES.platform}) in app "GitHub Enterprise Cloud" (${GITHUB}) for "Kenji Watanabe" (${KENJI}).`,
    );
    expect(preview).toContain(
      'decides it with the approval sequence "No approver sequence" ("No approvers needed"), which names no approver.',
    );
    expect(preview).toContain("- Okta may grant it without a person approving, so a person confirms here.");
    expect(preview).toContain(
      '- Separation of duties: conflicts with rule "Build and review platform security" in app "GitHub Enterprise Cloud": one of "Team": "Platform" together with one of "Team": "Security".',
    );
    expect(await grantsOf(sandbox, GITHUB, KENJI)).toHaveLength(1);

    const done = await confirmed(client, "okta_create_access_request", args);
    const request = ok<Json>(done);
    const now = ok<Json>(await call(client, "okta_get_access_request", { requestId: request.id }));
    expect(now).toMatchObject({ status: "APPROVED", grantStatus: "GRANTED" });
    expect((now.requestApproval as Json).decisions).toEqual([]);
    const grants = await grantsOf(sandbox, GITHUB, KENJI);
    expect(grants.find((g) => g.entitlementBundleId === PLATFORM_BUNDLE)).toMatchObject({
      actor: "ACCESS_REQUEST",
    });
  });
});

describe("the prompts' scripts, followed through a real client", () => {
  it("request_access names the workflow's tools in order; track_request's steps find the request and report who approved it", async () => {
    const { client, sandbox } = session;
    const script = async (name: string, args: Record<string, string>) => {
      const prompt = await client.getPrompt({ name, arguments: args });
      return (prompt.messages[0]!.content as { text: string }).text;
    };
    const request = await script("request_access", {
      person: "Hannah Schmidt",
      access: "Workday Payroll Operations",
      reason: "month-end payroll cover",
    });
    const steps = ["okta_list_requestable_entries", "okta_get_request_fields", "okta_create_access_request"];
    const at = steps.map((tool) => request.indexOf(tool));
    expect(at.every((i) => i >= 0) && at[0]! < at[1]! && at[1]! < at[2]!).toBe(true);

    const filed = ok<Json>(
      await call(client, "okta_create_access_request", {
        requested: { type: "CATALOG_ENTRY", entryId: ENTRIES.payroll },
        requestedFor: { type: "OKTA_USER", externalId: HANNAH },
        requesterFieldValues: [{ id: JUSTIFICATION_FIELD, value: "month-end payroll cover" }],
      }),
    );
    await decide(sandbox, String(filed.id), "approve");

    const track = await script("track_request", { person: "Hannah Schmidt" });
    expect(track.indexOf("okta_list_access_requests")).toBeLessThan(track.indexOf("okta_get_access_request"));
    const hers = ok<List>(await call(client, "okta_list_access_requests", { requestedFor: HANNAH }));
    expect(hers.items[0]?.id).toBe(filed.id); // newest first
    const status = await call(client, "okta_get_access_request", { requestId: filed.id });
    expect(ok<Json>(status)).toMatchObject({ status: "APPROVED", grantStatus: "GRANTED" });
    expect(text(status)).toMatch(/- APPROVE by "Aisha Khan" \(00u4OF7SuBwtWqVxAzKi\) at /);
    expect(text(status)).toContain('"month-end payroll cover"');
  });
});

describe("through the built bin", () => {
  it("files a request over stdio and reads it back approved", async () => {
    const bin = await session.spawn("stdio");
    const filed = ok<Json>(
      await call(bin.client, "okta_create_access_request", {
        requested: { type: "CATALOG_ENTRY", entryId: ENTRIES.salesCloudAdmin },
        requestedFor: { type: "OKTA_USER", externalId: HANNAH },
      }),
    );
    await decide(session.sandbox, String(filed.id), "approve");
    const read = await call(bin.client, "okta_get_access_request", { requestId: filed.id });
    expect(ok<Json>(read)).toMatchObject({
      status: "APPROVED",
      grantStatus: "GRANTED",
      accessDuration: "P90D",
    });
    expect(text(read)).toContain("- access lasts P90D");
  });
});
