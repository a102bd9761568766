/**
 * The access-request and risk tools on bad input and upstream errors, through a real MCP Client against
 * the sandbox: bad input is refused before any request, naming the field; every upstream refusal comes
 * back as a tool error with Okta's status, code and summary, and changes nothing.
 */
import { describe, expect, it } from "vitest";
import { DANA, ORG } from "../../fixtures/okta.js";
import { ENTRIES, HANNAH, REQUESTS } from "../../fixtures/okta-requests.js";
import { call, expectRefusedLocally, text } from "../../helpers/harness.js";
import { testServer } from "../../helpers/test-server.js";

const session = testServer({ perFile: true });
const USER_ORN = `orn:okta:directory:${ORG}:users:${HANNAH}`;

describe("bad input is refused before any request, naming the field", () => {
  const refused = (name: string, args: Record<string, unknown>, field: RegExp) =>
    expectRefusedLocally(session.client, session.sandbox, name, args, field);

  it.each([
    ["okta_list_catalog_entries", {}, /exactly one of topLevel.* at topLevel/],
    ["okta_list_catalog_entries", { topLevel: true, parentId: ENTRIES.workday }, /topLevel/],
    ["okta_list_catalog_entries", { topLevel: true, match: "ab" }, /match/],
    ["okta_get_catalog_entry", { entryId: "cen-short" }, /20 letters and digits at entryId/],
    ["okta_list_requestable_entries", { userId: "hannah", topLevel: true }, /userId/],
    ["okta_get_request_fields", { entryId: ENTRIES.payroll, userId: "00u/../../x" }, /userId/],
    [
      "okta_create_access_request",
      {
        requested: { type: "APP", entryId: ENTRIES.payroll },
        requestedFor: { type: "OKTA_USER", externalId: HANNAH },
      },
      /requested\.type/,
    ],
    [
      "okta_create_access_request",
      { requested: { type: "CATALOG_ENTRY", entryId: ENTRIES.payroll } },
      /requestedFor/,
    ],
    [
      "okta_create_access_request",
      {
        requested: { type: "CATALOG_ENTRY", entryId: ENTRIES.payroll },
        requestedFor: { type: "OKTA_USER", externalId: HANNAH },
        requesterFieldValues: [{ id: "x", value: "" }],
      },
      /at requesterFieldValues\[0\]\.value/,
    ],
    ["okta_list_access_requests", { status: "OPEN" }, /status/],
    ["okta_list_access_requests", { after: "00uYBScPIRSmSaaudyuo" }, /request id.* at after/],
    ["okta_list_access_requests", { orderBy: "name asc" }, /orderBy/],
    ["okta_get_access_request", { requestId: "12345" }, /requestId/],
    ["okta_add_request_message", { requestId: REQUESTS.pending, message: "" }, /message/],
    ["okta_list_risk_rules", { filter: 'name sw "Pay" or' }, /filter/],
    ["okta_list_risk_rules", { limit: 500 }, /limit/],
    ["okta_assess_access_risk", { principalOrn: "hannah@acme.example" }, /principalOrn/],
  ])("%s refuses %j", async (name, args, field) => {
    await refused(name, args as Record<string, unknown>, field);
  });
});

describe("upstream errors come back as tool errors with Okta's status and code", () => {
  const expectUpstream = async (
    name: string,
    args: Record<string, unknown>,
    status: RegExp,
    code: RegExp,
  ) => {
    const result = await call(session.client, name, args);
    expect(result.isError, text(result)).toBe(true);
    expect(text(result)).toMatch(status);
    expect(text(result)).toMatch(code);
    return text(result);
  };

  it.each([
    ["okta_list_catalog_entries", { filter: "parent pr" }, /400/, /E0000053/],
    ["okta_get_catalog_entry", { entryId: "cenNOTHEREaaaaaaaaaa" }, /404/, /E0000007/],
    ["okta_list_requestable_entries", { userId: "00uNOTHEREaaaaaaaaaa", topLevel: true }, /404/, /E0000007/],
    ["okta_get_request_fields", { entryId: ENTRIES.githubAdmin, userId: DANA }, /404/, /E0000007/],
    ["okta_list_access_requests", { after: "reqNOTHEREaaaaaaaaaa" }, /400/, /E0000029/],
    ["okta_get_access_request", { requestId: "reqNOTHEREaaaaaaaaaa" }, /404/, /E0000007/],
    ["okta_add_request_message", { requestId: "reqNOTHEREaaaaaaaaaa", message: "Hello" }, /404/, /E0000007/],
    ["okta_list_risk_rules", { filter: 'id eq "x"' }, /400/, /E0000053/],
    [
      "okta_assess_access_risk",
      {
        principalOrn: USER_ORN,
        resourceOrn: `orn:okta:governance:${ORG}:entitlement-bundles:enbNOTHEREaaaaaaaaaa`,
      },
      /400/,
      /E0000001/,
    ],
  ])("%s %j", async (name, args, status, code) => {
    await expectUpstream(name, args as Record<string, unknown>, status, code);
  });

  it("okta_create_access_request without the justification Okta requires: 409, and nothing is filed", async () => {
    const before = (await session.readAudit()).length;
    const message = await expectUpstream(
      "okta_create_access_request",
      {
        requested: { type: "CATALOG_ENTRY", entryId: ENTRIES.payroll },
        requestedFor: { type: "OKTA_USER", externalId: HANNAH },
      },
      /409/,
      /E0000001/,
    );
    expect(message).toMatch(/must have all required requesterFields/);
    expect(message).toMatch(/Nothing was changed\.$/);
    const lines = (await session.readAudit()).slice(before).map((l) => l.outcome);
    expect(lines).toEqual(["not_required", "executing", "failed"]);
    const pending = session.sandbox.requests.filter(
      (r) => r.method === "POST" && r.path === "/governance/api/v2/requests",
    );
    expect(pending.map((r) => r.status)).toEqual([409]);
  });

  it("okta_create_access_request for an entry that is not there: the preview's read fails, nothing is sent", async () => {
    await expectUpstream(
      "okta_create_access_request",
      {
        requested: { type: "CATALOG_ENTRY", entryId: "cenNOTHEREaaaaaaaaaa" },
        requestedFor: { type: "OKTA_USER", externalId: HANNAH },
      },
      /404/,
      /E0000007/,
    );
  });
});
