/**
 * The Okta emulator's access certifications (src/sandbox/okta/certifications.ts, routes/campaigns.ts,
 * routes/reviews.ts, review-control.ts): what remediation does to the grants (a value taken from a custom
 * grant, denied where a policy or bundle still gives it, a bundle grant ended; skipRemediation skips only
 * unanswered reviews), what a launch makes, the lifecycle's 409s, reassignment's rules, the reviews' filter
 * and paging, the scopes, and the sandbox's own decide route (no token, outside Okta's API).
 */

import { exportJWK, exportPKCS8, generateKeyPair } from "jose";
import { describe, expect, it } from "vitest";
import { oktaOAuth } from "../../../../src/providers/okta-oauth.js";
import type { Sandbox } from "../../../../src/sandbox/index.js";
import { DANA, GITHUB, GRACE, OLIVIA, PRIYA, SALESFORCE } from "../../../fixtures/okta.js";
import {
  DATA_EXPORT,
  decidePath,
  GITHUB_REVIEW,
  HANNAH_REVIEW,
  MARCUS_REVIEW,
  SALES_REVIEW,
  SAMUEL_REVIEW,
  SLACK_REVIEW,
  SUPPORT_AGENT,
} from "../../../fixtures/okta-certifications.js";
import {
  type Body,
  expectOktaError,
  f,
  GOV,
  get,
  links,
  openSandbox,
  principalFilter,
  send,
  targetFilter,
} from "../../../helpers/okta-sandbox.js";

const SAMUEL = "00uZ2iuxU9Yk38Uxqyuk";
const ELENA = "00utT5MP8WA9iZFIIMYk";
const MEMBER = "entnknO0w4YePiKpXZoS"; // GitHub Org Role "Member", which the app's policy gives

const held = async (sb: Sandbox, appId: string, userId: string): Promise<string[]> =>
  (
    (await get(sb, `${GOV}/principal-entitlements?filter=${f(principalFilter(appId, userId))}`)).body
      .data as Body[]
  )
    .flatMap((e) => (e.values as Body[]).map((v) => v.id as string))
    .sort();
const grantsOf = async (sb: Sandbox, appId: string, userId: string): Promise<Body[]> =>
  (
    await get(
      sb,
      `${GOV}/grants?filter=${f(`${targetFilter(appId)} AND targetPrincipal.externalId eq "${userId}" AND targetPrincipal.type eq "OKTA_USER"`)}`,
    )
  ).body.data;
const reviewsOf = async (sb: Sandbox, filter: string, query = ""): Promise<Body[]> =>
  (await get(sb, `${GOV}/reviews?filter=${f(filter)}${query}`)).body.data;
const decide = (sb: Sandbox, reviewId: string, decision: string, auth?: string | null) =>
  send(sb, "POST", decidePath(reviewId), { body: { decision }, ...(auth !== undefined ? { auth } : {}) });
const end = (sb: Sandbox, campaignId: string, body?: unknown) =>
  send(sb, "POST", `${GOV}/campaigns/${campaignId}/end`, body === undefined ? {} : { body });

describe("remediation when a campaign ends", () => {
  it("takes a revoked value out of the custom grant and ends a revoked bundle grant; approved access stays", async () => {
    const sb = await openSandbox();
    const marcus = await held(sb, SALESFORCE, "00uJ5w00Amlse2pHcQbs");
    const before = await grantsOf(sb, SALESFORCE, OLIVIA);
    expect(before.map((g) => g.grantType).sort()).toEqual(["CUSTOM", "ENTITLEMENT-BUNDLE"]);
    expect((await end(sb, SALES_REVIEW)).status).toBe(202);
    const after = await grantsOf(sb, SALESFORCE, OLIVIA);
    expect(after.map((g) => g.grantType)).toEqual(["CUSTOM"]);
    const custom = after[0] as Body;
    const values = (custom.entitlements as Body[]).flatMap((e) => (e.values ?? []).map((v: Body) => v.id));
    expect(values).not.toContain(DATA_EXPORT);
    expect(values).toContain("entaWRdlVAm6zmXVaJN9"); // Standard User stays
    expect(custom.lastUpdated > before.find((g) => g.id === custom.id)?.lastUpdated).toBe(true);
    expect(await held(sb, SALESFORCE, "00uJ5w00Amlse2pHcQbs")).toEqual(marcus);
    const campaign = (await get(sb, `${GOV}/campaigns/${SALES_REVIEW}`)).body;
    expect(campaign.status).toBe("COMPLETED");
    const revoked = await reviewsOf(sb, `campaignId eq "${SALES_REVIEW}" AND decision eq "REVOKE"`);
    expect(revoked.map((r) => r.remediationStatus)).toEqual(["SUCCESS", "SUCCESS"]);
    // Nobody decided on Samuel Osei's role, and no response is NO_ACTION: he keeps it.
    expect(await held(sb, SALESFORCE, SAMUEL)).toContain(SUPPORT_AGENT);
  });

  it("denies a revoked value the app's policy still gives, with an additive DENY grant", async () => {
    const sb = await openSandbox();
    await send(sb, "POST", `${GOV}/campaigns/${GITHUB_REVIEW}/launch`);
    const [member] = await reviewsOf(
      sb,
      `campaignId eq "${GITHUB_REVIEW}" AND principalId eq "${ELENA}" AND entitlementValueId eq "${MEMBER}"`,
    );
    expect(member).toBeDefined();
    await decide(sb, String(member?.id), "REVOKE");
    expect(await held(sb, GITHUB, ELENA)).toContain(MEMBER);
    expect((await end(sb, GITHUB_REVIEW, { skipRemediation: true })).status).toBe(202);
    // The policy grant and the bundle both give Member: a DENY takes it, the rest stays (skipRemediation).
    expect(await held(sb, GITHUB, ELENA)).not.toContain(MEMBER);
    const deny = (await grantsOf(sb, GITHUB, ELENA)).filter((g) => g.action === "DENY");
    expect(deny).toMatchObject([{ grantType: "ENTITLEMENT", entitlements: [{ values: [{ id: MEMBER }] }] }]);
    expect((await held(sb, GITHUB, ELENA)).length).toBeGreaterThan(2);
  });

  it("remediates unanswered reviews when no response is DENY: everything nobody decided on is taken", async () => {
    const sb = await openSandbox();
    await send(sb, "POST", `${GOV}/campaigns/${GITHUB_REVIEW}/launch`);
    expect((await end(sb, GITHUB_REVIEW)).status).toBe(202);
    for (const user of [ELENA, "00uhwqa5V4tkgWirMdlD", "00u8mKT9e85wl1DrxMwA"]) {
      expect(await held(sb, GITHUB, user), user).toEqual([]);
    }
    const statuses = (await reviewsOf(sb, `campaignId eq "${GITHUB_REVIEW}"`, "&limit=200")).map(
      (r) => r.remediationStatus,
    );
    expect(new Set(statuses)).toEqual(new Set(["SUCCESS"]));
  });

  it("answers 409 to ending what is not ACTIVE and to launching what is not SCHEDULED", async () => {
    const sb = await openSandbox();
    expectOktaError(await end(sb, SLACK_REVIEW), 409, "E0000170");
    expectOktaError(await end(sb, GITHUB_REVIEW), 409, "E0000170");
    const launched = expectOktaError(
      await send(sb, "POST", `${GOV}/campaigns/${SALES_REVIEW}/launch`),
      409,
      "E0000195",
    );
    expect(launched.errorCauses).toEqual([
      { errorSummary: "Campaign must be scheduled before it can be started" },
    ]);
    expect((await end(sb, SALES_REVIEW)).status).toBe(202);
    expectOktaError(await end(sb, SALES_REVIEW), 409, "E0000170");
    expectOktaError(await end(sb, SALES_REVIEW, { skipRemediation: "yes" }), 400, "E0000001");
  });
});

describe("launching", () => {
  it("makes a review per bundle granted and per value other grants give and the person holds, assigned to the reviewer", async () => {
    const sb = await openSandbox();
    expect(await reviewsOf(sb, `campaignId eq "${GITHUB_REVIEW}"`)).toEqual([]);
    const res = await send(sb, "POST", `${GOV}/campaigns/${GITHUB_REVIEW}/launch`);
    expect(res.status).toBe(202);
    expect(res.body).toBeUndefined();
    expect(res.headers.location).toBe(`${sb.url}${GOV}/campaigns/${GITHUB_REVIEW}`);
    const reviews = await reviewsOf(sb, `campaignId eq "${GITHUB_REVIEW}"`, "&limit=200");
    const elena = reviews.filter((r) => r.principalProfile.id === ELENA);
    expect(elena.filter((r) => r.entitlementBundle).map((r) => r.entitlementBundle.name)).toEqual([
      "GitHub Platform Engineering",
    ]);
    expect(
      elena
        .filter((r) => r.entitlementValue)
        .map((r) => r.entitlementValue.name)
        .sort(),
    ).toEqual(["Copilot Business", "Member"]);
    // Grace Liu's GitHub access is denied in full: nothing of hers to review.
    expect(reviews.filter((r) => r.principalProfile.id === GRACE)).toEqual([]);
    expect(new Set(reviews.map((r) => r.reviewerProfile.id))).toEqual(new Set([PRIYA]));
    expect(new Set(reviews.map((r) => r.decision))).toEqual(new Set(["UNREVIEWED"]));
    const campaign = (await get(sb, `${GOV}/campaigns/${GITHUB_REVIEW}`)).body;
    expect(campaign.status).toBe("ACTIVE");
    expect(
      Date.parse(campaign.scheduleSettings.endDate) - Date.parse(campaign.scheduleSettings.startDate),
    ).toBe(30 * 86_400_000);
  });
});

describe("reviews", () => {
  it("filters by every property of the spec, ANDed, and pages with after", async () => {
    const sb = await openSandbox();
    const all = await reviewsOf(sb, `campaignId eq "${SALES_REVIEW}"`);
    expect(all).toHaveLength(8);
    expect((await reviewsOf(sb, `reviewerId eq "${DANA}"`)).map((r) => r.id)).toContain(SAMUEL_REVIEW);
    expect(await reviewsOf(sb, `principalId eq "${SAMUEL}" AND decision eq "UNREVIEWED"`)).toHaveLength(1);
    expect(await reviewsOf(sb, `decision eq "APPROVE" OR decision eq "REVOKE"`)).toHaveLength(6);
    expect(await reviewsOf(sb, `entitlementBundleId eq "enbfxqCAJWWGELFTYCCC"`)).toHaveLength(1);
    expect(await reviewsOf(sb, `resourceId eq "0oaxTqkrIBRL7dCnCtAr"`)).toHaveLength(2);
    const first = await get(
      sb,
      `${GOV}/reviews?filter=${f(`campaignId eq "${SALES_REVIEW}"`)}&limit=3&orderBy=${f("decided desc")}`,
    );
    expect(first.body.data.map((r: Body) => r.decided)).toEqual([
      "2026-11-05T10:05:00Z",
      "2026-11-04T16:30:00Z",
      "2026-11-04T16:24:00Z",
    ]);
    const next = links(first).next as string;
    expect(next).toContain(`after=${first.body.data[2].id}`);
    const second = await get(sb, next);
    expect(second.body.data).toHaveLength(3);
    expectOktaError(await get(sb, `${GOV}/reviews?filter=${f('reviewer eq "x"')}`), 400, "E0000053");
  });

  it("reassigns UNREVIEWED reviews of an ACTIVE campaign, and refuses the rest naming each", async () => {
    const sb = await openSandbox();
    const path = `${GOV}/campaigns/${SALES_REVIEW}/reviews/reassign`;
    const bad = expectOktaError(
      await send(sb, "POST", path, {
        body: {
          reviewerId: "00uNOBODYaaaaaaaaaaa",
          reviewIds: [MARCUS_REVIEW, "icrNOTHEREaaaaaaaaaa", SAMUEL_REVIEW],
          note: "x",
        },
      }),
      400,
      "E0000001",
    );
    expect(bad.errorCauses.map((c: Body) => c.location)).toEqual([
      "/reviewerId",
      "/reviewIds/0",
      "/reviewIds/1",
    ]);
    const ok = await send(sb, "POST", path, {
      body: { reviewerId: PRIYA, reviewIds: [SAMUEL_REVIEW, HANNAH_REVIEW], note: "Priya covers" },
    });
    expect(ok.status).toBe(200);
    // Hannah Schmidt's review was Priya's already: only Samuel Osei's moves.
    expect(ok.body.data.map((r: Body) => r.id)).toEqual([SAMUEL_REVIEW]);
    expect(ok.body._links.reviews.href).toContain(f(`campaignId eq "${SALES_REVIEW}"`));
    const read = (await get(sb, `${GOV}/reviews/${SAMUEL_REVIEW}`)).body;
    expect(read.reviewerProfile.id).toBe(PRIYA);
    expect(read.note.note).toBe("Priya covers");
    expectOktaError(
      await send(sb, "POST", path, {
        body: { reviewerId: PRIYA, reviewIds: [SAMUEL_REVIEW], note: "again" },
      }),
      409,
      "E0000174",
    );
    const done = `${GOV}/campaigns/${SLACK_REVIEW}/reviews/reassign`;
    expectOktaError(
      await send(sb, "POST", done, { body: { reviewerId: PRIYA, reviewIds: [SAMUEL_REVIEW], note: "x" } }),
      400,
      "E0000001",
    );
    const unknown = expectOktaError(
      await send(sb, "POST", `${GOV}/campaigns/iciNOTHEREaaaaaaaaaa/reviews/reassign`, {
        body: { reviewerId: PRIYA, reviewIds: [SAMUEL_REVIEW], note: "x" },
      }),
      400,
      "E0000001",
    );
    expect(unknown.errorCauses[0]).toMatchObject({ location: "campaignId", locationType: "path" });
  });
});

describe("scopes", () => {
  it("needs okta.governance.accessCertifications.read to read and .manage to launch, end or reassign", async () => {
    const pair = await generateKeyPair("RS256", { extractable: true });
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: "k1", alg: "RS256" };
    const scopes = ["okta.governance.accessCertifications.read", "okta.governance.entitlements.manage"];
    const sb = await openSandbox({ oktaOAuthClients: [{ clientId: "0oaCertReader", keys: [jwk], scopes }] });
    const auth = oktaOAuth({
      orgUrl: sb.url,
      clientId: "0oaCertReader",
      privateKey: await exportPKCS8(pair.privateKey),
      keyId: "k1",
      scopes,
    });
    const as = async (method: string, path: string) =>
      String(((await auth({ method, url: `${sb.url}${path}` })) as Record<string, string>).Authorization);
    const list = `${GOV}/campaigns`;
    expect((await send(sb, "GET", list, { auth: await as("GET", list) })).status).toBe(200);
    const launch = `${GOV}/campaigns/${GITHUB_REVIEW}/launch`;
    const refused = await send(sb, "POST", launch, { auth: await as("POST", launch) });
    expect(refused.status).toBe(403);
    expect(String(refused.headers["www-authenticate"])).toContain(
      'scope="okta.governance.accessCertifications.manage"',
    );
  });
});

describe("the sandbox's control surface", () => {
  it("decides a review without a token, as its reviewer, and the revoked item waits for the end", async () => {
    const sb = await openSandbox();
    const res = await decide(sb, SAMUEL_REVIEW, "REVOKE", null);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: SAMUEL_REVIEW, decision: "REVOKE", remediationStatus: "OPEN" });
    expect(res.body.lastUpdatedBy).toBe(DANA);
    expect(await held(sb, SALESFORCE, SAMUEL)).toContain(SUPPORT_AGENT);
    await end(sb, SALES_REVIEW);
    expect(await held(sb, SALESFORCE, SAMUEL)).not.toContain(SUPPORT_AGENT);
  });

  it("refuses an unknown review, a bad decision, and a campaign that is not ACTIVE; it is not Okta's API", async () => {
    const sb = await openSandbox();
    expectOktaError(await decide(sb, "icrNOTHEREaaaaaaaaaa", "APPROVE", null), 404, "E0000007");
    expectOktaError(await decide(sb, SAMUEL_REVIEW, "DENY", null), 400, "E0000001");
    const [slack] = await reviewsOf(sb, `campaignId eq "${SLACK_REVIEW}"`);
    expectOktaError(await decide(sb, String(slack?.id), "APPROVE", null), 409, "E0000169");
    expect(sb.routes).toContain("POST /_sandbox/okta/reviews/{reviewId}/decide");
    expectOktaError(await send(sb, "GET", decidePath(SAMUEL_REVIEW), { auth: null }), 401, "E0000004");
  });
});
