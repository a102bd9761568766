/**
 * The demo org's access certifications: campaigns and the reviews of their items, over the demo org's real
 * grants (data.ts). Deterministic ids (stableId) and fixed dates, so the README and the tests can name them.
 *
 * - "Sales and finance access review" (ACTIVE): Salesforce and Workday, reviewed by each person's manager
 *   (Priya Raman where none is set); 8 reviews: 2 revoked (Olivia Brooks's "Salesforce Sales Cloud admin"
 *   bundle and her Permission Set "Data Export"), 2 approved, 4 without a decision. Revoked access is
 *   DENY-remediated when the campaign ends; no response keeps access.
 * - "GitHub access review" (SCHEDULED): GitHub, reviewed by Priya Raman; its reviews are made from the
 *   current grants when it is launched. Revoked access and no response are both DENY.
 * - "Slack admin review 2025" (COMPLETED): Samuel Osei's "Slack Legacy Admins" bundle revoked and
 *   remediated (the INACTIVE grant of data.ts), Grace Liu's guest role approved.
 */
import { stableId } from "../kit/prng.js";
import { OKTA_DEMO_APPS, OKTA_DEMO_BUNDLES, OKTA_DEMO_ENTITLEMENTS } from "./data.js";
import { DANA, DIEGO, GRACE, HANNAH, MARCUS, OLIVIA, PRIYA, SAMUEL } from "./people.js";

export type CampaignStatus = "SCHEDULED" | "LAUNCHING" | "ACTIVE" | "COMPLETED" | "DELETED" | "ERROR";
export type Decision = "UNREVIEWED" | "APPROVE" | "REVOKE";
export type RemediationStatus = "NONE" | "OPEN" | "ERROR" | "SUCCESS" | "MANUAL";
export type RemediationAction = "NO_ACTION" | "DENY";

export interface DemoReviewerSettings {
  type: "USER" | "REVIEWER_EXPRESSION";
  reviewerId?: string;
  reviewerScopeExpression?: string;
  fallBackReviewerId?: string;
  selfReviewDisabled: boolean;
}

export interface DemoCampaign {
  id: string;
  name: string;
  description: string;
  status: CampaignStatus;
  startDate: string;
  durationInDays: number;
  timeZone: string;
  /** The apps whose entitlements and bundles are reviewed. */
  appIds: string[];
  reviewerSettings: DemoReviewerSettings;
  remediation: { accessRevoked: RemediationAction; noResponse: RemediationAction };
  created: string;
}

/** What a review is about: one entitlement value, one bundle, or the app as a whole. */
export type ReviewItem =
  | { kind: "value"; entitlementId: string; valueId: string }
  | { kind: "bundle"; bundleId: string }
  | { kind: "app" };

export interface DemoReview {
  id: string;
  campaignId: string;
  principalId: string;
  appId: string;
  item: ReviewItem;
  reviewerId: string;
  decision: Decision;
  decided?: string;
  remediationStatus: RemediationStatus;
  note?: string;
  created: string;
}

function appId(name: string): string {
  const app = OKTA_DEMO_APPS.find((a) => a.name === name);
  if (!app) throw new Error(`certification data: unknown app ${name}`);
  return app.id;
}

function bundle(name: string): ReviewItem {
  const b = OKTA_DEMO_BUNDLES.find((x) => x.name === name);
  if (!b) throw new Error(`certification data: unknown bundle ${name}`);
  return { kind: "bundle", bundleId: b.id };
}

function value(app: string, entitlement: string, valueName: string): ReviewItem {
  const e = OKTA_DEMO_ENTITLEMENTS.find((x) => x.appId === appId(app) && x.name === entitlement);
  const v = e?.values.find((x) => x.name === valueName);
  if (!e || !v) throw new Error(`certification data: ${app} has no ${entitlement}: ${valueName}`);
  return { kind: "value", entitlementId: e.id, valueId: v.id };
}

const SALES_AND_FINANCE = stableId("ici", "sales-and-finance-2026");
const GITHUB_REVIEW = stableId("ici", "github-2027");
const SLACK_ADMINS = stableId("ici", "slack-admins-2025");

export const OKTA_DEMO_CAMPAIGNS: readonly DemoCampaign[] = [
  {
    id: SALES_AND_FINANCE,
    name: "Sales and finance access review",
    description: "Managers certify who keeps access to Salesforce and Workday",
    status: "ACTIVE",
    startDate: "2026-11-02T09:00:00Z",
    durationInDays: 60,
    timeZone: "America/New_York",
    appIds: [appId("salesforce"), appId("workday")],
    reviewerSettings: {
      type: "REVIEWER_EXPRESSION",
      reviewerScopeExpression: "user.profile.managerId",
      fallBackReviewerId: PRIYA,
      selfReviewDisabled: true,
    },
    remediation: { accessRevoked: "DENY", noResponse: "NO_ACTION" },
    created: "2026-10-26T15:00:00Z",
  },
  {
    id: GITHUB_REVIEW,
    name: "GitHub access review",
    description: "Quarterly review of GitHub organization roles, teams and Copilot seats",
    status: "SCHEDULED",
    startDate: "2027-01-04T09:00:00Z",
    durationInDays: 30,
    timeZone: "America/Los_Angeles",
    appIds: [appId("github")],
    reviewerSettings: { type: "USER", reviewerId: PRIYA, selfReviewDisabled: true },
    remediation: { accessRevoked: "DENY", noResponse: "DENY" },
    created: "2026-11-16T10:00:00Z",
  },
  {
    id: SLACK_ADMINS,
    name: "Slack admin review 2025",
    description: "Who still needs Slack admin rights after the 2025 reorganisation",
    status: "COMPLETED",
    startDate: "2025-06-02T09:00:00Z",
    durationInDays: 14,
    timeZone: "Europe/London",
    appIds: [appId("slack")],
    reviewerSettings: { type: "USER", reviewerId: PRIYA, selfReviewDisabled: true },
    remediation: { accessRevoked: "DENY", noResponse: "NO_ACTION" },
    created: "2025-05-26T09:00:00Z",
  },
];

interface ReviewSource {
  key: string;
  campaign: string;
  principal: string;
  app: string;
  item: ReviewItem;
  reviewer: string;
  decision?: Decision;
  decided?: string;
  remediationStatus?: RemediationStatus;
  note?: string;
}

const SALESFORCE = "salesforce";
const WORKDAY = "workday";

const REVIEW_SOURCE: ReviewSource[] = [
  {
    key: "olivia/sales-cloud-admin",
    campaign: SALES_AND_FINANCE,
    principal: OLIVIA,
    app: SALESFORCE,
    item: bundle("Salesforce Sales Cloud admin"),
    reviewer: DANA,
    decision: "REVOKE",
    decided: "2026-11-04T16:20:00Z",
    remediationStatus: "OPEN",
    note: "Sales operations reports on the pipeline; it does not administer Salesforce",
  },
  {
    key: "olivia/data-export",
    campaign: SALES_AND_FINANCE,
    principal: OLIVIA,
    app: SALESFORCE,
    item: value(SALESFORCE, "Permission Set", "Data Export"),
    reviewer: DANA,
    decision: "REVOKE",
    decided: "2026-11-04T16:24:00Z",
    remediationStatus: "OPEN",
    note: "Exports go through the reporting team",
  },
  {
    key: "marcus/sales-rep",
    campaign: SALES_AND_FINANCE,
    principal: MARCUS,
    app: SALESFORCE,
    item: bundle("Salesforce Sales Rep"),
    reviewer: DANA,
    decision: "APPROVE",
    decided: "2026-11-04T16:30:00Z",
  },
  {
    key: "samuel/support-agent",
    campaign: SALES_AND_FINANCE,
    principal: SAMUEL,
    app: SALESFORCE,
    item: value(SALESFORCE, "Role", "Support Agent"),
    reviewer: DANA,
  },
  {
    key: "dana/sales-rep",
    campaign: SALES_AND_FINANCE,
    principal: DANA,
    app: SALESFORCE,
    item: bundle("Salesforce Sales Rep"),
    reviewer: PRIYA,
  },
  {
    key: "priya/system-administrator",
    campaign: SALES_AND_FINANCE,
    principal: PRIYA,
    app: SALESFORCE,
    item: value(SALESFORCE, "Profile", "System Administrator"),
    reviewer: HANNAH,
  },
  {
    key: "diego/payroll-operations",
    campaign: SALES_AND_FINANCE,
    principal: DIEGO,
    app: WORKDAY,
    item: bundle("Workday Payroll Operations"),
    reviewer: HANNAH,
    decision: "APPROVE",
    decided: "2026-11-05T10:05:00Z",
  },
  {
    key: "hannah/expense-approver",
    campaign: SALES_AND_FINANCE,
    principal: HANNAH,
    app: WORKDAY,
    item: value(WORKDAY, "Security Group", "Expense Approver"),
    reviewer: PRIYA,
  },
  {
    key: "samuel/slack-legacy-admins",
    campaign: SLACK_ADMINS,
    principal: SAMUEL,
    app: "slack",
    item: bundle("Slack Legacy Admins"),
    reviewer: PRIYA,
    decision: "REVOKE",
    decided: "2025-06-05T11:00:00Z",
    remediationStatus: "SUCCESS",
    note: "Admin rights moved to the IT team",
  },
  {
    key: "grace/slack-guest",
    campaign: SLACK_ADMINS,
    principal: GRACE,
    app: "slack",
    item: value("slack", "Workspace Role", "Guest"),
    reviewer: PRIYA,
    decision: "APPROVE",
    decided: "2025-06-05T11:05:00Z",
  },
];

export const OKTA_DEMO_REVIEWS: readonly DemoReview[] = REVIEW_SOURCE.map((r) => {
  const campaign = OKTA_DEMO_CAMPAIGNS.find((c) => c.id === r.campaign) as DemoCampaign;
  return {
    id: stableId("icr", r.key),
    campaignId: r.campaign,
    principalId: r.principal,
    appId: appId(r.app),
    item: r.item,
    reviewerId: r.reviewer,
    decision: r.decision ?? "UNREVIEWED",
    ...(r.decided ? { decided: r.decided } : {}),
    remediationStatus: r.remediationStatus ?? "NONE",
    ...(r.note ? { note: r.note } : {}),
    created: campaign.startDate,
  };
});
