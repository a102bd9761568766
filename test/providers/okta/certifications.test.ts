/**
 * Okta access certifications through a real Client against the sandbox: campaigns listed, reviews found by
 * the spec's filter, a review reassigned (unasked: nobody's access changes; asked when the new reviewer
 * would decide on their own access), a campaign launched (unasked), and ended with remediation only after a
 * person confirmed, the revoked access gone from the sandbox's grants afterwards; ended with skipRemediation
 * and nothing revoked, unasked. Then bad input and upstream errors for every tool, and the guard matrix.
 */
import { describe, expect, it } from "vitest";
import type { Sandbox } from "../../../src/sandbox/index.js";
import { DANA, GITHUB, OLIVIA, PRIYA, SALESFORCE } from "../../fixtures/okta.js";
import {
  DANA_REVIEW,
  DATA_EXPORT,
  decidePath,
  GITHUB_REVIEW,
  HANNAH_REVIEW,
  MARCUS_REVIEW,
  OLIVIA_ADMIN_REVIEW,
  OLIVIA_EXPORT_REVIEW,
  SALES_REVIEW,
  SAMUEL_REVIEW,
  SLACK_REVIEW,
} from "../../fixtures/okta-certifications.js";
import { type GuardCase, guardMatrix, sandboxSend } from "../../helpers/guard-matrix.js";
import {
  type AuditLine,
  call,
  confirmed,
  expectRefusedLocally,
  ok,
  sandboxGet,
  structured,
  text,
} from "../../helpers/harness.js";
import { testServer } from "../../helpers/test-server.js";

type Json = Record<string, unknown>;
interface List {
  items: Json[];
  nextCursor?: string;
}

const session = testServer();
/** The filter of the last request the sandbox answered. */
const lastFilter = (sandbox: Sandbox) => new URLSearchParams(sandbox.requests.at(-1)?.query).get("filter");
const campaignPath = (id: string) => `/governance/api/v1/campaigns/${id}`;
const endPath = (id: string) => `${campaignPath(id)}/end`;
const reassignPath = (id: string) => `${campaignPath(id)}/reviews/reassign`;

/** What a user effectively holds in an app, as value ids, read straight from the sandbox. */
async function holds(sandbox: Sandbox, appId: string, userId: string): Promise<string[]> {
  const filter = `parent.externalId eq "${appId}" AND parent.type eq "APPLICATION" AND targetPrincipal.externalId eq "${userId}" AND targetPrincipal.type eq "OKTA_USER"`;
  const { body } = await sandboxGet(
    sandbox,
    `/governance/api/v1/principal-entitlements?filter=${encodeURIComponent(filter)}`,
  );
  return ((body as { data: Json[] }).data ?? [])
    .flatMap((e) => ((e.values as Json[]) ?? []).map((v) => String(v.id)))
    .sort();
}

/** Every active grant of an app, as `id:user:lastUpdated`, read straight from the sandbox. */
async function grantsOf(sandbox: Sandbox, appId: string): Promise<string[]> {
  const filter = `target.externalId eq "${appId}" AND target.type eq "APPLICATION"`;
  const { body } = await sandboxGet(
    sandbox,
    `/governance/api/v1/grants?filter=${encodeURIComponent(filter)}&limit=200`,
  );
  return (body as { data: Json[] }).data
    .map((g) => `${g.id}:${(g.targetPrincipal as Json).externalId}:${g.lastUpdated}`)
    .sort();
}

const review = async (sandbox: Sandbox, id: string) =>
  (await sandboxGet(sandbox, `/governance/api/v1/reviews/${id}`)).body as Json;

const effectsOf = (lines: AuditLine[], tool: string) =>
  lines.filter((l) => l.tool === tool).map((l) => (l as AuditLine & { effects?: string[] }).effects);

describe("access certifications through a real client", () => {
  it("lists the campaigns, and a campaign's reviews by the spec's filter", async () => {
    const campaigns = ok<List>(await call(session.client, "okta_list_campaigns", { status: "ACTIVE" }));
    expect(campaigns.items.map((c) => c.id)).toEqual([SALES_REVIEW]);
    expect(lastFilter(session.sandbox)).toBe('status eq "ACTIVE"');

    const result = await call(session.client, "okta_list_reviews", {
      campaignId: SALES_REVIEW,
      decision: "REVOKE",
    });
    expect(
      ok<List>(result)
        .items.map((r) => r.id)
        .sort(),
    ).toEqual([OLIVIA_ADMIN_REVIEW, OLIVIA_EXPORT_REVIEW].sort());
    expect(lastFilter(session.sandbox)).toBe(`campaignId eq "${SALES_REVIEW}" AND decision eq "REVOKE"`);
    expect(text(result)).toContain(
      `- ${OLIVIA_EXPORT_REVIEW} Olivia Brooks (${OLIVIA}): value "Data Export" (${DATA_EXPORT}) in app ${SALESFORCE}: REVOKE (remediation OPEN), reviewer Dana Whitfield (${DANA})`,
    );

    const dana = ok<List>(
      await call(session.client, "okta_list_reviews", { campaignId: SALES_REVIEW, reviewerId: DANA }),
    );
    expect(dana.items).toHaveLength(4);
    const one = await call(session.client, "okta_get_review", { reviewId: OLIVIA_ADMIN_REVIEW });
    expect(text(one)).toMatch(
      /bundle "Salesforce Sales Cloud admin".*REVOKE.*Note: "Sales operations reports/,
    );
    const full = ok(await call(session.client, "okta_get_campaign", { campaignId: SALES_REVIEW }));
    expect(full.remediationSettings).toEqual({
      accessApproved: "NO_ACTION",
      accessRevoked: "DENY",
      noResponse: "NO_ACTION",
    });
  });

  it("reassigns a review unasked: who reviews changes, nobody's access", async () => {
    const { client, sandbox } = session;
    const before = await grantsOf(sandbox, SALESFORCE);
    const result = await call(client, "okta_reassign_reviews", {
      campaignId: SALES_REVIEW,
      reviewerId: PRIYA,
      reviewIds: [SAMUEL_REVIEW],
      note: "Dana is on leave until the campaign ends",
    });
    expect(ok<{ data: Json[] }>(result).data.map((r) => r.id)).toEqual([SAMUEL_REVIEW]);
    expect(text(result)).toMatch(/^Reassigned 1 review to user 00ub0oNGTSWTBKOLGLNR\./);
    const read = await review(sandbox, SAMUEL_REVIEW);
    expect((read.reviewerProfile as Json).id).toBe(PRIYA);
    expect((read.note as Json).note).toBe("Dana is on leave until the campaign ends");
    expect(await grantsOf(sandbox, SALESFORCE)).toEqual(before);
    expect(await session.outcomes("okta_reassign_reviews")).toEqual([
      "not_required",
      "executing",
      "executed",
    ]);
    expect(effectsOf(await session.readAudit(), "okta_reassign_reviews")[0]).toEqual(["request"]);
  });

  it("asks before handing a person the review of their own access", async () => {
    const { client, sandbox } = session;
    const args = {
      campaignId: SALES_REVIEW,
      reviewerId: DANA,
      reviewIds: [DANA_REVIEW, HANNAH_REVIEW],
      note: "Dana takes over",
    };
    const asked = await call(client, "okta_reassign_reviews", args);
    expect(structured(asked)).toMatchObject({ status: "confirmation_required" });
    expect(text(asked)).toContain(
      `Reassign 2 reviews of campaign "Sales and finance access review" (${SALES_REVIEW}) to "Dana Whitfield" (${DANA}): who reviews changes, nobody's access.`,
    );
    expect(text(asked)).toMatch(
      /Review \w+: the new reviewer would decide on their own access and could approve it themselves \(the campaign disables self-review: Okta may refuse\): "Dana Whitfield" \(00ufxqCAJWWGELFTYCCC\)'s bundle "Salesforce Sales Rep"/,
    );
    expect(((await review(sandbox, DANA_REVIEW)).reviewerProfile as Json).id).toBe(PRIYA);
    const done = await confirmed(client, "okta_reassign_reviews", args);
    expect(ok<{ data: Json[] }>(done).data).toHaveLength(2);
    expect(((await review(sandbox, DANA_REVIEW)).reviewerProfile as Json).id).toBe(DANA);
  });

  it("ends the campaign with remediation only after confirmation, and the revoked access is gone upstream", async () => {
    const { client, sandbox } = session;
    const held = await holds(sandbox, SALESFORCE, OLIVIA);
    expect(held).toContain(DATA_EXPORT);
    const marcus = await holds(sandbox, SALESFORCE, "00uJ5w00Amlse2pHcQbs");

    const asked = await call(client, "okta_end_campaign", { campaignId: SALES_REVIEW });
    expect(structured(asked)).toMatchObject({ status: "confirmation_required" });
    const preview = text(asked);
    expect(preview).toContain(
      `End campaign "Sales and finance access review" (${SALES_REVIEW}) with remediation.`,
    );
    expect(preview).toContain(
      `"Olivia Brooks" (${OLIVIA}) loses "Permission Set": "Data Export" (${DATA_EXPORT}, externalValue "Data_Export") in app "Salesforce" (${SALESFORCE}) (revoked by "Dana Whitfield" (${DANA})).`,
    );
    expect(preview).toContain(
      `loses the bundle "Salesforce Sales Cloud admin" (enbfxqCAJWWGELFTYCCC) in app "Salesforce"`,
    );
    expect(preview).toContain(
      'gives "Profile": "System Administrator" (entQPA57jlZjJ1HUHsHy, externalValue "system_administrator")',
    );
    expect(preview).toContain("Reviews nobody decided on keep their access (noResponse NO_ACTION).");
    expect(preview).toMatch(/Nothing was changed\.$/);
    expect(((await sandboxGet(sandbox, campaignPath(SALES_REVIEW))).body as Json).status).toBe("ACTIVE");
    expect(await holds(sandbox, SALESFORCE, OLIVIA)).toEqual(held);

    const { confirmationToken } = structured<{ confirmationToken: string }>(asked);
    const done = await call(client, "okta_end_campaign", { campaignId: SALES_REVIEW, confirmationToken });
    expect(ok(done).status).toBe("COMPLETED");
    expect(text(done)).toMatch(/^Ended \w+ "Sales and finance access review": COMPLETED/);

    // Remediation took the revoked access from the grants: the bundle's values and Data Export are gone.
    const after = await holds(sandbox, SALESFORCE, OLIVIA);
    expect(after).not.toContain(DATA_EXPORT);
    expect(after).not.toContain("entQPA57jlZjJ1HUHsHy");
    expect(after).not.toContain("entAFADK6mRnbK3d8HFf"); // Modify All Data
    expect(after).toContain("entaWRdlVAm6zmXVaJN9"); // her own Standard User profile stays
    expect(await holds(sandbox, SALESFORCE, "00uJ5w00Amlse2pHcQbs")).toEqual(marcus);
    const reviews = ok<List>(
      await call(client, "okta_list_reviews", { campaignId: SALES_REVIEW, decision: "REVOKE" }),
    );
    expect(reviews.items.map((r) => r.remediationStatus)).toEqual(["SUCCESS", "SUCCESS"]);
    expect((await review(sandbox, MARCUS_REVIEW)).remediationStatus).toBe("NONE");
    expect(await session.outcomes("okta_end_campaign")).toEqual([
      "confirmation_required",
      "confirmed_by_token",
      "executing",
      "executed",
    ]);
    expect(effectsOf(await session.readAudit(), "okta_end_campaign")[0]).toEqual(["revoke"]);
  });

  it("launches a scheduled campaign unasked, changing nobody's access", async () => {
    const { client, sandbox } = session;
    const before = await grantsOf(sandbox, GITHUB);
    const result = await call(client, "okta_launch_campaign", { campaignId: GITHUB_REVIEW });
    expect(ok(result).status).toBe("ACTIVE");
    expect(text(result)).toMatch(/^Launched \w+ "GitHub access review": ACTIVE/);
    expect(await grantsOf(sandbox, GITHUB)).toEqual(before);
    const reviews = ok<List>(
      await call(client, "okta_list_reviews", { campaignId: GITHUB_REVIEW, limit: 200 }),
    );
    expect(reviews.items.length).toBeGreaterThan(5);
    expect(new Set(reviews.items.map((r) => (r.reviewerProfile as Json).id))).toEqual(new Set([PRIYA]));
    expect(await session.outcomes("okta_launch_campaign")).toEqual(["not_required", "executing", "executed"]);
    expect(effectsOf(await session.readAudit(), "okta_launch_campaign")[0]).toEqual(["create"]);
  });

  it("asks before ending with remediation what nobody decided on (noResponse DENY), naming every item", async () => {
    const { client, sandbox } = session;
    await call(client, "okta_launch_campaign", { campaignId: GITHUB_REVIEW });
    const before = await grantsOf(sandbox, GITHUB);
    const asked = await call(client, "okta_end_campaign", { campaignId: GITHUB_REVIEW });
    expect(structured(asked)).toMatchObject({ status: "confirmation_required" });
    expect(text(asked)).toContain(
      "Reviews nobody decided on are remediated too (noResponse DENY): that access is taken away.",
    );
    expect(text(asked)).toMatch(/- 10 items taken away:/);
    expect(text(asked)).toMatch(
      /"Kenji Watanabe" .* loses "Org Role": "Owner" \(\w+, externalValue "owner"\) in app "GitHub Enterprise Cloud" .*\(no decision/,
    );
    expect(await grantsOf(sandbox, GITHUB)).toEqual(before);
  });

  it("ends with skipRemediation unasked when nothing was revoked: nobody's access changes", async () => {
    const { client, sandbox } = session;
    await call(client, "okta_launch_campaign", { campaignId: GITHUB_REVIEW });
    const before = await grantsOf(sandbox, GITHUB);
    const result = await call(client, "okta_end_campaign", {
      campaignId: GITHUB_REVIEW,
      skipRemediation: true,
    });
    expect(ok(result).status).toBe("COMPLETED");
    expect(await grantsOf(sandbox, GITHUB)).toEqual(before);
    expect(await session.outcomes("okta_end_campaign")).toEqual(["not_required", "executing", "executed"]);
    const lines = (await session.readAudit()).filter((l) => l.tool === "okta_end_campaign");
    expect(lines[0]?.detail).toMatch(/skipping the remediation of reviews nobody decided on/);
  });

  it("still asks with skipRemediation when a reviewer revoked something: skipRemediation covers no response only", async () => {
    const { client, sandbox } = session;
    await call(client, "okta_launch_campaign", { campaignId: GITHUB_REVIEW });
    const [first] = ok<List>(
      await call(client, "okta_list_reviews", { campaignId: GITHUB_REVIEW, limit: 1 }),
    ).items;
    await sandboxSend(sandbox, "POST", decidePath(String(first?.id)), { decision: "REVOKE" }, {});
    const asked = await call(client, "okta_end_campaign", {
      campaignId: GITHUB_REVIEW,
      skipRemediation: true,
    });
    expect(structured(asked)).toMatchObject({ status: "confirmation_required" });
    expect(text(asked)).toMatch(/- 1 item taken away:\n- .* loses .*\(revoked by "Priya Raman"/);
    expect(text(asked)).toContain("skipRemediation: reviews nobody decided on keep their access");
  });
});

describe("bad input and upstream errors, tool by tool", () => {
  it.each([
    ["okta_list_campaigns", { status: "active" }, /status/],
    ["okta_list_campaigns", { filter: 'status eq "ACTIVE" and (' }, /filter/],
    ["okta_get_campaign", { campaignId: "../reviews" }, /campaignId/],
    ["okta_launch_campaign", { campaignId: "ici" }, /campaignId/],
    ["okta_end_campaign", { campaignId: SALES_REVIEW, skipRemediation: "yes" }, /skipRemediation/],
    ["okta_list_reviews", { decision: "DENY" }, /decision/],
    ["okta_list_reviews", { filter: "reviewerType eq USER" }, /filter/],
    ["okta_get_review", { reviewId: "icr/../../campaigns" }, /reviewId/],
    [
      "okta_reassign_reviews",
      { campaignId: SALES_REVIEW, reviewerId: PRIYA, reviewIds: [], note: "x" },
      /reviewIds/,
    ],
    [
      "okta_reassign_reviews",
      { campaignId: SALES_REVIEW, reviewerId: PRIYA, reviewIds: [SAMUEL_REVIEW], note: "x".repeat(301) },
      /note/,
    ],
    [
      "okta_reassign_reviews",
      { campaignId: SALES_REVIEW, reviewerId: PRIYA, reviewIds: Array(51).fill(SAMUEL_REVIEW), note: "x" },
      /reviewIds/,
    ],
  ] as const)("%s refuses %j before any request", async (tool, args, field) => {
    await expectRefusedLocally(session.client, session.sandbox, tool, args, field);
  });

  it.each([
    [
      "okta_list_campaigns",
      { filter: 'owner eq "Priya"' },
      /400 E0000053.*Unsupported filter attribute: owner/s,
    ],
    ["okta_get_campaign", { campaignId: "iciNOTHEREaaaaaaaaaa" }, /404 E0000007/],
    [
      "okta_launch_campaign",
      { campaignId: SALES_REVIEW },
      /409 E0000195.*Campaign must be scheduled before it can be started/s,
    ],
    ["okta_launch_campaign", { campaignId: "iciNOTHEREaaaaaaaaaa" }, /404 E0000007/],
    [
      "okta_end_campaign",
      { campaignId: SLACK_REVIEW },
      /409 E0000170.*An inactive campaign may not be ended/s,
    ],
    ["okta_end_campaign", { campaignId: "iciNOTHEREaaaaaaaaaa" }, /404 E0000007/],
    ["okta_list_reviews", { orderBy: "name asc" }, /400 E0000029/],
    ["okta_get_review", { reviewId: "icrNOTHEREaaaaaaaaaa" }, /404 E0000007/],
    [
      "okta_reassign_reviews",
      { campaignId: SALES_REVIEW, reviewerId: PRIYA, reviewIds: [MARCUS_REVIEW], note: "x" },
      /400 E0000001.*only UNREVIEWED reviews can be reassigned/s,
    ],
    [
      "okta_reassign_reviews",
      { campaignId: SALES_REVIEW, reviewerId: DANA, reviewIds: [SAMUEL_REVIEW], note: "x" },
      /409 E0000174/,
    ],
  ] as const)("%s reports Okta's answer to %j", async (tool, args, answer) => {
    const result = await call(session.client, tool, args);
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(answer);
    if (
      tool !== "okta_list_campaigns" &&
      tool !== "okta_get_campaign" &&
      tool !== "okta_list_reviews" &&
      tool !== "okta_get_review"
    ) {
      expect(text(result)).toMatch(/Nothing was changed\.$/);
    }
  });

  it("reports a read's upstream 503 once the retries are spent", async () => {
    session.sandbox.inject({ route: "GET /governance/api/v1/reviews/{reviewId}", status: 503, times: 3 });
    const result = await call(session.client, "okta_get_review", { reviewId: SAMUEL_REVIEW });
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(/Okta answered 503/);
  });

  it("sends a launch once and reports its 503, audited as failed", async () => {
    const route = "POST /governance/api/v1/campaigns/{campaignId}/launch";
    session.sandbox.inject({ route, status: 503, times: 1 });
    const result = await call(session.client, "okta_launch_campaign", { campaignId: GITHUB_REVIEW });
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(/Okta answered 503/);
    const launches = session.sandbox.requests.filter(
      (r) => r.method === "POST" && r.path.endsWith("/launch"),
    );
    expect(launches).toHaveLength(1);
    expect(await session.outcomes("okta_launch_campaign")).toEqual(["not_required", "executing", "failed"]);
  });
});

const CASES: GuardCase[] = [
  {
    tool: "okta_end_campaign",
    args: { campaignId: SALES_REVIEW },
    otherArgs: { campaignId: SALES_REVIEW, skipRemediation: true },
    write: { method: "POST", path: endPath(SALES_REVIEW) },
    readBack: async (sandbox) => ({
      campaign: ((await sandboxGet(sandbox, campaignPath(SALES_REVIEW))).body as Json).status,
      olivia: await holds(sandbox, SALESFORCE, OLIVIA),
    }),
    // A reviewer revokes another item in Okta: the preview no longer lists everything ending would take.
    changeTarget: async (sandbox) => {
      await sandboxSend(sandbox, "POST", decidePath(SAMUEL_REVIEW), { decision: "REVOKE" }, {});
    },
  },
  {
    tool: "okta_reassign_reviews",
    args: { campaignId: SALES_REVIEW, reviewerId: DANA, reviewIds: [DANA_REVIEW], note: "Dana takes over" },
    otherArgs: {
      campaignId: SALES_REVIEW,
      reviewerId: DANA,
      reviewIds: [DANA_REVIEW],
      note: "Another reason",
    },
    write: { method: "POST", path: reassignPath(SALES_REVIEW) },
    readBack: async (sandbox) => review(sandbox, DANA_REVIEW),
    // Someone hands the review to Hannah Schmidt meanwhile.
    changeTarget: async (sandbox) => {
      await sandboxSend(sandbox, "POST", reassignPath(SALES_REVIEW), {
        reviewerId: "00uYBScPIRSmSaaudyuo",
        reviewIds: [DANA_REVIEW],
        note: "Hannah takes it",
      });
    },
  },
];

guardMatrix(CASES);
