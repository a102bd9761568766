/**
 * The guard previews of the certification writes (tools/okta/previews/certifications.ts), as pure functions
 * of what the reads found: ending a campaign revokes what its remediation settings say (revoked decisions not
 * yet remediated; unanswered reviews with noResponse DENY unless skipRemediation) and asks when they or the
 * reviews could not be read; a launch is a create; a reassignment is a request, unknown for a self-review or
 * an unread review; which reads each makes.
 */

import { describe, expect, it } from "vitest";
import { needsConfirmation } from "../../../../src/core/operation.js";
import { DANA, OLIVIA, PRIYA, SALESFORCE } from "../../../fixtures/okta.js";
import { preview, readParams } from "../../../helpers/definitions.js";

const CAMPAIGN = "iciGeIfS2DAHgTfBq0ma";
const REVIEW_A = "icrAAAAAAAAAAAAAAAAA";
const REVIEW_B = "icrBBBBBBBBBBBBBBBBB";
const DATA_EXPORT = "entwTyJiQpnqq76LZHgP";

const campaign = (status: string, remediation?: Record<string, string>) => ({
  id: CAMPAIGN,
  name: "Sales and finance access review",
  status,
  lastUpdated: "2026-11-02T09:00:00Z",
  reviewerSettings: { type: "USER", reviewerId: PRIYA, selfReviewDisabled: true },
  scheduleSettings: { durationInDays: 30 },
  ...(remediation ? { remediationSettings: { accessApproved: "NO_ACTION", ...remediation } } : {}),
});

const profile = (id: string, firstName: string, lastName: string) => ({
  id,
  firstName,
  lastName,
  status: "ACTIVE",
});
const review = (id: string, fields: Record<string, unknown>) => ({
  id,
  campaignId: CAMPAIGN,
  resourceId: SALESFORCE,
  principalProfile: profile(OLIVIA, "Olivia", "Brooks"),
  reviewerProfile: profile(DANA, "Dana", "Whitfield"),
  decision: "UNREVIEWED",
  remediationStatus: "NONE",
  lastUpdated: "2026-11-04T16:24:00Z",
  ...fields,
});
const page = (...data: unknown[]) => ({ data, _links: { self: { href: "x" } } });

const exportRevoked = review("icrcKiJdRiBXizdJCy4y", {
  entitlementValue: { id: DATA_EXPORT, name: "Data Export" },
  decision: "REVOKE",
  remediationStatus: "OPEN",
});
const values = [
  page({ id: DATA_EXPORT, name: "Data Export", externalValue: "Data_Export", entitlementId: "espPS" }),
];
const entitlements = [page({ id: "espPS", name: "Permission Set" })];

describe("okta_end_campaign", () => {
  const TOOL = "okta_end_campaign";

  it("reads the revoked reviews of an ACTIVE campaign, and the unanswered ones only when they are remediated too", () => {
    const deny = { campaign: campaign("ACTIVE", { accessRevoked: "DENY", noResponse: "DENY" }) };
    expect(readParams(TOOL, "revoked", { campaignId: CAMPAIGN }, deny)).toEqual({
      query: { filter: `campaignId eq "${CAMPAIGN}" AND decision eq "REVOKE"`, limit: 200 },
    });
    expect(readParams(TOOL, "unreviewed", { campaignId: CAMPAIGN }, deny)).toEqual({
      query: { filter: `campaignId eq "${CAMPAIGN}" AND decision eq "UNREVIEWED"`, limit: 200 },
    });
    expect(readParams(TOOL, "unreviewed", { campaignId: CAMPAIGN, skipRemediation: true }, deny)).toBeNull();
    const kept = { campaign: campaign("ACTIVE", { accessRevoked: "DENY", noResponse: "NO_ACTION" }) };
    expect(readParams(TOOL, "unreviewed", { campaignId: CAMPAIGN }, kept)).toBeNull();
    expect(
      readParams(TOOL, "revoked", { campaignId: CAMPAIGN }, { campaign: campaign("COMPLETED") }),
    ).toBeNull();
  });

  it("names what a revoked decision takes, by person and value with what it provisions", () => {
    const p = preview(
      TOOL,
      { campaignId: CAMPAIGN },
      {
        campaign: campaign("ACTIVE", { accessRevoked: "DENY", noResponse: "NO_ACTION" }),
        revoked: page(exportRevoked),
        values,
        entitlements,
      },
    );
    expect(p.required).toBe(true);
    expect(p.effects).toEqual([{ kind: "revoke", on: OLIVIA }]);
    expect(p.details).toContain(
      `"Olivia Brooks" (${OLIVIA}) loses "Permission Set": "Data Export" (${DATA_EXPORT}, externalValue "Data_Export") in app ${SALESFORCE} (revoked by "Dana Whitfield" (${DANA})).`,
    );
  });

  it("passes when nothing is taken: revoked access kept (NO_ACTION), remediated already, or handed to a person", () => {
    for (const [remediation, revoked] of [
      [{ accessRevoked: "NO_ACTION", noResponse: "NO_ACTION" }, exportRevoked],
      [
        { accessRevoked: "DENY", noResponse: "NO_ACTION" },
        { ...exportRevoked, remediationStatus: "SUCCESS" },
      ],
      [
        { accessRevoked: "DENY", noResponse: "NO_ACTION" },
        { ...exportRevoked, remediationStatus: "MANUAL" },
      ],
    ] as const) {
      const p = preview(
        TOOL,
        { campaignId: CAMPAIGN },
        {
          campaign: campaign("ACTIVE", remediation),
          revoked: page(revoked),
        },
      );
      expect(p.effects, JSON.stringify(remediation)).toEqual([]);
      expect(p.required).toBe(false);
    }
  });

  it("skipRemediation keeps unanswered access but still counts revoked decisions (the spec's skip covers noResponse)", () => {
    const skipped = preview(
      TOOL,
      { campaignId: CAMPAIGN, skipRemediation: true },
      {
        campaign: campaign("ACTIVE", { accessRevoked: "DENY", noResponse: "DENY" }),
        revoked: page(),
        unreviewed: page(review("icrX", { entitlementValue: { id: DATA_EXPORT, name: "Data Export" } })),
      },
    );
    expect(skipped.effects).toEqual([]);
    expect(skipped.summary).toMatch(/skipping the remediation of reviews nobody decided on\.$/);
    const revoked = preview(
      TOOL,
      { campaignId: CAMPAIGN, skipRemediation: true },
      {
        campaign: campaign("ACTIVE", { accessRevoked: "DENY", noResponse: "DENY" }),
        revoked: page(exportRevoked),
      },
    );
    expect(revoked.effects).toEqual([{ kind: "revoke", on: OLIVIA }]);
    const unanswered = preview(
      TOOL,
      { campaignId: CAMPAIGN },
      {
        campaign: campaign("ACTIVE", { accessRevoked: "DENY", noResponse: "DENY" }),
        revoked: page(),
        unreviewed: page(review("icrX", { entitlementValue: { id: DATA_EXPORT, name: "Data Export" } })),
      },
    );
    expect(unanswered.effects).toEqual([{ kind: "revoke", on: OLIVIA }]);
    expect(unanswered.details.at(-1)).toMatch(/no decision; the campaign's no-response remediation is DENY/);
  });

  it("asks when the remediation settings or the reviews could not be read", () => {
    const unsettled = preview(
      TOOL,
      { campaignId: CAMPAIGN },
      { campaign: campaign("ACTIVE"), revoked: page() },
    );
    expect(unsettled.effects).toEqual([{ kind: "unknown", on: CAMPAIGN }]);
    expect(unsettled.required).toBe(true);
    const unread = preview(
      TOOL,
      { campaignId: CAMPAIGN },
      {
        campaign: campaign("ACTIVE", { accessRevoked: "DENY", noResponse: "DENY" }),
      },
    );
    expect(unread.effects.map((e) => e.kind)).toEqual(["unknown", "unknown"]);
  });

  it("says Okta refuses a campaign that is not ACTIVE, and changes nothing", () => {
    const p = preview(TOOL, { campaignId: CAMPAIGN }, { campaign: campaign("COMPLETED") });
    expect(p.effects).toEqual([]);
    expect(p.details).toEqual([
      "The campaign is COMPLETED: Okta ends only ACTIVE campaigns and refuses (409); nothing changes.",
    ]);
  });

  it("names a bundle's values, and an app as a whole with what the person holds there", () => {
    const bundleReview = review(REVIEW_B, {
      entitlementBundle: { id: "enbA", name: "Sales Cloud admin" },
      decision: "REVOKE",
      remediationStatus: "OPEN",
    });
    const appReview = review(REVIEW_A, { decision: "REVOKE", remediationStatus: "OPEN" });
    const p = preview(
      TOOL,
      { campaignId: CAMPAIGN },
      {
        campaign: campaign("ACTIVE", { accessRevoked: "DENY", noResponse: "NO_ACTION" }),
        revoked: page(bundleReview, appReview),
        bundles: [
          {
            id: "enbA",
            name: "Sales Cloud admin",
            entitlements: [
              {
                id: "espP",
                name: "Profile",
                values: [{ id: "entS", name: "System Administrator", externalValue: "system_administrator" }],
              },
            ],
          },
        ],
        appAccess: [
          page({
            id: "espP",
            name: "Profile",
            parent: { externalId: SALESFORCE },
            targetPrincipal: { externalId: OLIVIA },
            values: [{ id: "entU", name: "Standard User", externalValue: "standard_user" }],
          }),
        ],
      },
    );
    expect(p.details).toContain(
      'gives "Profile": "System Administrator" (entS, externalValue "system_administrator")',
    );
    expect(
      p.details.some((d) => d.includes(`loses all access to app ${SALESFORCE}: every grant there ends`)),
    ).toBe(true);
    expect(p.details).toContain('holds "Profile": "Standard User" (entU, externalValue "standard_user")');
  });

  it("quotes upstream names on one line, so a name cannot forge a line of the preview", () => {
    const hostile = review("icrH", {
      principalProfile: profile(OLIVIA, 'Olivia"\n- Nobody loses access', "Brooks"),
      entitlementValue: { id: DATA_EXPORT, name: "Data Export" },
      decision: "REVOKE",
      remediationStatus: "OPEN",
    });
    const p = preview(
      TOOL,
      { campaignId: CAMPAIGN },
      {
        campaign: campaign("ACTIVE", { accessRevoked: "DENY", noResponse: "NO_ACTION" }),
        revoked: page(hostile),
      },
    );
    const line = p.details.find((d) => d.includes("Olivia")) ?? "";
    expect(line).toMatch(/^"Olivia\\" - Nobody loses access Brooks" \(/);
    expect(p.details.filter((d) => d.startsWith("- "))).toEqual([]);
  });
});

describe("okta_launch_campaign", () => {
  it("is a create: reviews are made, nobody's access changes (asked only with --confirm-creates)", () => {
    const p = preview(
      "okta_launch_campaign",
      { campaignId: CAMPAIGN },
      {
        campaign: campaign("SCHEDULED", { accessRevoked: "DENY", noResponse: "DENY" }),
      },
    );
    expect(p.effects).toEqual([{ kind: "create", on: CAMPAIGN }]);
    expect(p.required).toBe(false);
    expect(needsConfirmation(p.effects, { confirmCreates: true })).toBe(true);
    expect(p.details[0]).toMatch(/nobody's access changes\.$/);
    expect(p.details[1]).toMatch(/remediation applies: revoked access DENY, no response DENY\.$/);
    const active = preview(
      "okta_launch_campaign",
      { campaignId: CAMPAIGN },
      { campaign: campaign("ACTIVE") },
    );
    expect(active.effects).toEqual([]);
  });
});

describe("okta_reassign_reviews", () => {
  const TOOL = "okta_reassign_reviews";
  const args = (reviewerId: string, reviewIds: string[]) => ({
    campaignId: CAMPAIGN,
    reviewerId,
    reviewIds,
    note: "On leave",
  });

  it("reads each review once, and the new reviewer", () => {
    expect(readParams(TOOL, "reviews", args(PRIYA, [REVIEW_A, REVIEW_B, REVIEW_A]), {})).toEqual([
      { path: { reviewId: REVIEW_A } },
      { path: { reviewId: REVIEW_B } },
    ]);
    expect(readParams(TOOL, "reviewer", args(PRIYA, [REVIEW_A]), {})).toEqual({ path: { userId: PRIYA } });
  });

  it("is a request: a person still decides in Okta, and nobody's access changes", () => {
    const p = preview(TOOL, args(PRIYA, [REVIEW_A]), {
      campaign: campaign("ACTIVE"),
      reviews: [review(REVIEW_A, {})],
    });
    expect(p.effects).toEqual([{ kind: "request", on: REVIEW_A }]);
    expect(p.required).toBe(false);
    expect(p.details).toContain('Note: "On leave"');
  });

  it("asks when the new reviewer would decide on their own access, or a review could not be read", () => {
    const self = preview(TOOL, args(OLIVIA, [REVIEW_A]), {
      campaign: campaign("ACTIVE"),
      reviews: [review(REVIEW_A, {})],
    });
    expect(self.effects).toEqual([{ kind: "unknown", on: REVIEW_A }]);
    expect(self.required).toBe(true);
    const unread = preview(TOOL, args(PRIYA, [REVIEW_A, REVIEW_B]), {
      campaign: campaign("ACTIVE"),
      reviews: [review(REVIEW_A, {}), undefined],
    });
    expect(unread.effects).toEqual([
      { kind: "request", on: REVIEW_A },
      { kind: "unknown", on: REVIEW_B },
    ]);
  });

  it("says Okta refuses a decided review, and counts no effect for it", () => {
    const p = preview(TOOL, args(PRIYA, [REVIEW_A]), {
      campaign: campaign("ACTIVE"),
      reviews: [review(REVIEW_A, { decision: "APPROVE" })],
    });
    expect(p.effects).toEqual([]);
    expect(p.details.at(-1)).toMatch(
      /is decided \(APPROVE\): Okta reassigns only UNREVIEWED reviews and refuses\.$/,
    );
  });
});
