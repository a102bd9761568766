/**
 * The Okta sandbox's access requests over real HTTP: the catalog derived from the apps and bundles (paged,
 * with `match` kept in the links), a request's lifecycle (SUBMITTED, then PENDING or approved at once,
 * fulfilled as a grant, or FAILED when its bundle went away), Okta's own checks of a request, and the
 * control surface, which is the sandbox's and not Okta's (no token, no rate limit, its own 404 and 409).
 */
import { describe, expect, it } from "vitest";
import { DANA, GRACE, SALES_CLOUD_ADMIN } from "../../../fixtures/okta.js";
import { ENTRIES, HANNAH, JUSTIFICATION_FIELD, REQUESTS } from "../../../fixtures/okta-requests.js";
import { get, openSandbox, send } from "../../../helpers/okta-sandbox.js";

const CATALOG = "/governance/api/v2/catalogs/default";
const q = (filter: string) => `filter=${encodeURIComponent(filter)}`;
const ask = (entryId: string, userId: string, fields: unknown[] = []) => ({
  requested: { type: "CATALOG_ENTRY", entryId },
  requestedFor: { type: "OKTA_USER", externalId: userId },
  requesterFieldValues: fields,
});

describe("the access request catalog", () => {
  it("lists an entry per opted-in app, their bundles as children, and pages keeping match", async () => {
    const sb = await openSandbox();
    const top = await get(sb, `${CATALOG}/entries?${q("not(parent pr)")}`);
    expect(top.body.data.map((e: { name: string }) => e.name)).toEqual([
      "GitHub Enterprise Cloud",
      "Salesforce",
      "Slack",
      "Workday",
    ]);
    const slack = top.body.data.find((e: { name: string }) => e.name === "Slack");
    expect(slack.requestable).toBe(false); // its only bundle is DELETED
    const first = await get(
      sb,
      `${CATALOG}/entries?${q(`parent eq "${ENTRIES.salesforce}"`)}&match=sales&limit=1`,
    );
    expect(first.body.data).toHaveLength(1);
    const next = first.body._links.next.href as string;
    expect(next).toContain("match=sales");
    const second = await get(sb, next);
    expect(second.body.data[0].name).not.toBe(first.body.data[0].name);
    const mine = await get(sb, `${CATALOG}/user/${DANA}/entries?${q(`parent eq "${ENTRIES.salesforce}"`)}`);
    expect(mine.body.data.every((e: { requestable: boolean }) => e.requestable)).toBe(true);
    expect(mine.body.data.map((e: { id: string }) => e.id)).not.toContain(ENTRIES.githubAdmin);
  });
});

describe("a request's lifecycle", () => {
  it("answers SUBMITTED, then waits for its approver; approving fulfils it as a grant", async () => {
    const sb = await openSandbox();
    const created = await send(sb, "POST", "/governance/api/v2/requests", {
      body: ask(ENTRIES.payroll, HANNAH, [{ id: JUSTIFICATION_FIELD, value: "Payroll close" }]),
    });
    expect(created.status).toBe(202);
    expect(created.body.status).toBe("SUBMITTED");
    expect(created.body.requesterFieldValues[0]).toMatchObject({
      label: "What is the business justification?",
      type: "TEXT",
    });
    const pending = await get(sb, `/governance/api/v2/requests/${created.body.id}`);
    expect(pending.body.status).toBe("PENDING");
    expect(pending.body._links.approvalSequence.href).toMatch(/request-sequences\/61eb0f06c462d20007f3e9f1$/);

    const approved = await send(sb, "POST", `/_sandbox/okta/requests/${created.body.id}/approve`, {
      auth: null,
    });
    expect(approved.status).toBe(200);
    expect(approved.body.requestApproval.decisions).toEqual([
      expect.objectContaining({
        deciderId: "00u4OF7SuBwtWqVxAzKi",
        deciderName: "Aisha Khan",
        decision: "APPROVE",
      }),
    ]);
    expect(approved.body).toMatchObject({ status: "APPROVED", grantStatus: "GRANTED" });
  });

  it("approves and grants at once when the sequence names no approver", async () => {
    const sb = await openSandbox();
    const created = await send(sb, "POST", "/governance/api/v2/requests", {
      body: ask(ENTRIES.platform, GRACE),
    });
    const now = await get(sb, `/governance/api/v2/requests/${created.body.id}`);
    expect(now.body).toMatchObject({ status: "APPROVED", grantStatus: "GRANTED" });
    expect(now.body.requestApproval.decisions).toEqual([]);
  });

  it("fails the grant of an approved request whose bundle was deleted meanwhile", async () => {
    const sb = await openSandbox();
    const created = await send(sb, "POST", "/governance/api/v2/requests", {
      body: ask(ENTRIES.salesCloudAdmin, GRACE),
    });
    expect(
      (await send(sb, "DELETE", `/governance/api/v1/entitlement-bundles/${SALES_CLOUD_ADMIN}`)).status,
    ).toBe(204);
    const approved = await send(sb, "POST", `/_sandbox/okta/requests/${created.body.id}/approve`, {
      auth: null,
      body: { deciderId: DANA },
    });
    expect(approved.body).toMatchObject({ status: "APPROVED", grantStatus: "FAILED" });
  });

  it("refuses what Okta refuses: an unknown field, an entry nobody can request, a missing required field", async () => {
    const sb = await openSandbox();
    const unknown = await send(sb, "POST", "/governance/api/v2/requests", {
      body: ask(ENTRIES.payroll, HANNAH, [{ id: "05c87fe9-11f6-4d40-a033-b155b39dcdbe", value: "x" }]),
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errorCauses).toContainEqual(
      expect.objectContaining({ location: "/requesterFieldValues/0/id", reason: "IDENTIFIER_NOT_FOUND" }),
    );
    const closed = await send(sb, "POST", "/governance/api/v2/requests", {
      body: ask(ENTRIES.githubAdmin, HANNAH),
    });
    expect(closed.status).toBe(400);
    const missing = await send(sb, "POST", "/governance/api/v2/requests", {
      body: ask(ENTRIES.payroll, HANNAH),
    });
    expect(missing.status).toBe(409);
    expect(missing.body.errorSummary).toBe(
      "Api validation failed: /requesterFieldValues must have all required requesterFields",
    );
  });
});

describe("the sandbox's control surface", () => {
  it("needs no token and no rate budget, and answers its own 404 and 409", async () => {
    const sb = await openSandbox({ rateLimit: { limit: 0 } });
    expect((await get(sb, `/governance/api/v2/requests/${REQUESTS.pending}`)).status).toBe(429);
    const messages = await send(sb, "GET", `/_sandbox/okta/requests/${REQUESTS.pending}/messages`, {
      auth: null,
    });
    expect(messages.status).toBe(200);
    expect(messages.body.data[0].message).toBe("Asked Samuel's manager to confirm the coverage dates.");
    const denied = await send(sb, "POST", `/_sandbox/okta/requests/${REQUESTS.pending}/deny`, { auth: null });
    expect(denied.body.status).toBe("DENIED");
    const twice = await send(sb, "POST", `/_sandbox/okta/requests/${REQUESTS.pending}/approve`, {
      auth: null,
    });
    expect(twice.status).toBe(409);
    const unknown = await send(sb, "POST", "/_sandbox/okta/requests/reqNOTHEREaaaaaaaaaa/approve", {
      auth: null,
    });
    expect(unknown.status).toBe(404);
  });
});
