/**
 * The demo org's access requests, as data (the README is written from it): who manages whom and who owns
 * each app (the approvers the sandbox's control surface acts for), the approval sequences and request
 * conditions that make the demo bundles requestable, the separation-of-duties rules, and requests in every
 * state of their lifecycle, fulfilled as the demo org's own ACCESS_REQUEST grants.
 *
 * The catalog is not listed here: its entries are derived from the apps and bundles (see requests-store).
 * One entry keeps the id the spec's create example names (`cen3qpimoKc7wCPyx8g6`, the Sales Cloud admin
 * bundle), so that example runs verbatim.
 */
import { stableId } from "../kit/prng.js";
import { OKTA_DEMO_APPS, OKTA_DEMO_BUNDLES, OKTA_DEMO_ENTITLEMENTS, OKTA_DEMO_GRANTS } from "./data.js";
import {
  AISHA,
  DANA,
  DIEGO,
  ELENA,
  GRACE,
  HANNAH,
  KENJI,
  MARCUS,
  OLIVIA,
  PRIYA,
  SAMUEL,
  TOM,
} from "./people.js";

export type FieldType = "TEXT" | "SELECT" | "MULTISELECT" | "ISO_DATE" | "DURATION" | "OKTA_USER_ID";

export interface DemoField {
  id: string;
  type: FieldType;
  label: string;
  required: boolean;
  choices?: string[];
}

/** Who decides a request in Okta: the requester's manager, the app's owner, or nobody (auto-approved). */
export type Approver = "MANAGER" | "RESOURCE_OWNER" | "NONE";

export interface DemoSequence {
  /** 24 characters, as the spec's approval-sequence-id. */
  id: string;
  name: string;
  description: string;
  approver: Approver;
  /** The requester fields the sequence asks for (the request fields of an entry it decides). */
  fields: DemoField[];
}

export interface DemoCondition {
  id: string;
  appId: string;
  name: string;
  description: string;
  priority: number;
  status: "ACTIVE" | "INACTIVE";
  /** The bundles it makes requestable (access scope ENTITLEMENT_BUNDLES). */
  bundleIds: string[];
  sequenceId: string;
  /** An admin-fixed access duration (ISO 8601), when the condition sets one. */
  duration?: string;
  created: string;
}

export interface DemoCriterion {
  operation: "CONTAINS_ONE" | "CONTAINS_ALL";
  /** Entitlement references: `{id: esp…, values: [{id: ent…}]}`. */
  refs: { id: string; values: { id: string }[] }[];
}

export interface DemoRiskRule {
  id: string;
  appId: string;
  name: string;
  description: string;
  criteria: [DemoCriterion, DemoCriterion];
  created: string;
}

export type RequestStatus =
  | "SUBMITTED"
  | "PENDING"
  | "APPROVED"
  | "DENIED"
  | "CANCELED"
  | "EXPIRED"
  | "REJECTED";

export interface DemoMessage {
  message: string;
  authorId: string;
  created: string;
}

export interface DemoRequest {
  id: string;
  bundleId: string;
  requestedFor: string;
  requestedBy: string;
  status: "PENDING" | "APPROVED" | "DENIED";
  created: string;
  /** Who decided it and when (none for an auto-approved request). */
  decision?: { deciderId: string; decided: string };
  /** The grant that fulfilled it (APPROVED requests). */
  grantId?: string;
  justification?: string;
  messages: DemoMessage[];
}

/** Each user's manager (the approver of a MANAGER sequence); Priya has none, and decides herself. */
export const OKTA_MANAGERS: Readonly<Record<string, string>> = {
  [DANA]: PRIYA,
  [MARCUS]: DANA,
  [OLIVIA]: DANA,
  [ELENA]: TOM,
  [KENJI]: TOM,
  [GRACE]: TOM,
  [TOM]: PRIYA,
  [AISHA]: PRIYA,
  [DIEGO]: HANNAH,
  [HANNAH]: PRIYA,
  [SAMUEL]: PRIYA,
};

const app = (name: string) => {
  const found = OKTA_DEMO_APPS.find((a) => a.name === name);
  if (!found) throw new Error(`demo data: unknown app ${name}`);
  return found.id;
};
const bundle = (name: string) => {
  const found = OKTA_DEMO_BUNDLES.find((b) => b.name === name);
  if (!found) throw new Error(`demo data: unknown bundle ${name}`);
  return found.id;
};
const grant = (key: string) => {
  const id = stableId("gra", key);
  const found = OKTA_DEMO_GRANTS.find((g) => g.id === id);
  if (!found) throw new Error(`demo data: unknown grant ${key}`);
  return found;
};

/** Each app's owner (the approver of a RESOURCE_OWNER sequence); Priya owns the others. */
export const OKTA_APP_OWNERS: Readonly<Record<string, string>> = {
  [app("salesforce")]: DANA,
  [app("workday")]: AISHA,
  [app("github")]: TOM,
};

/** The catalog entry ids that are not derived (the spec's create example names this one). */
export const FIXED_ENTRY_IDS: Readonly<Record<string, string>> = {
  [bundle("Salesforce Sales Cloud admin")]: "cen3qpimoKc7wCPyx8g6",
};

/** The spec's example justification field (a required TEXT field). */
const JUSTIFICATION: DemoField = {
  id: "bb9da40d-9c1b-41c6-8016-edfd010b02d2",
  type: "TEXT",
  label: "What is the business justification?",
  required: true,
};

export const OKTA_DEMO_SEQUENCES: readonly DemoSequence[] = [
  {
    // The spec's example sequence, as it describes it.
    id: "61eb0f06c462d20007f051ac",
    name: "No approver sequence",
    description: "No approvers needed",
    approver: "NONE",
    fields: [],
  },
  {
    id: "61eb0f06c462d20007f1a4b2",
    name: "Manager approval",
    description: "The requester's manager approves, with a business justification",
    approver: "MANAGER",
    fields: [JUSTIFICATION],
  },
  {
    id: "61eb0f06c462d20007f2c6d8",
    name: "Resource owner approval",
    description: "The app's owner approves",
    approver: "RESOURCE_OWNER",
    fields: [],
  },
  {
    id: "61eb0f06c462d20007f3e9f1",
    name: "Finance owner approval",
    description: "The app's owner approves, with a business justification",
    approver: "RESOURCE_OWNER",
    fields: [JUSTIFICATION],
  },
];

const CONDITION_TIME = "2025-02-03T10:00:00Z";

export const OKTA_DEMO_CONDITIONS: readonly DemoCondition[] = [
  {
    id: stableId("rco", "salesforce/sales-rep"),
    appId: app("salesforce"),
    name: "Sales Rep with manager approval",
    description: "Anyone may ask for the Sales Rep bundle; their manager approves",
    priority: 0,
    status: "ACTIVE",
    bundleIds: [bundle("Salesforce Sales Rep")],
    sequenceId: "61eb0f06c462d20007f1a4b2",
    created: CONDITION_TIME,
  },
  {
    id: stableId("rco", "salesforce/sales-cloud-admin"),
    appId: app("salesforce"),
    name: "Sales Cloud admin with owner approval",
    description: "Salesforce's owner approves administrative access, for 90 days",
    priority: 1,
    status: "ACTIVE",
    bundleIds: [bundle("Salesforce Sales Cloud admin")],
    sequenceId: "61eb0f06c462d20007f2c6d8",
    duration: "P90D",
    created: CONDITION_TIME,
  },
  {
    id: stableId("rco", "github/platform"),
    appId: app("github"),
    name: "Platform Engineering, auto-approved",
    description: "Engineers get the Platform Engineering bundle at once",
    priority: 0,
    status: "ACTIVE",
    bundleIds: [bundle("GitHub Platform Engineering")],
    sequenceId: "61eb0f06c462d20007f051ac",
    created: CONDITION_TIME,
  },
  {
    id: stableId("rco", "workday/payroll"),
    appId: app("workday"),
    name: "Payroll Operations with owner approval",
    description: "Workday's owner approves payroll access, with a business justification",
    priority: 0,
    status: "ACTIVE",
    bundleIds: [bundle("Workday Payroll Operations")],
    sequenceId: "61eb0f06c462d20007f3e9f1",
    created: CONDITION_TIME,
  },
  {
    id: stableId("rco", "workday/payroll-old"),
    appId: app("workday"),
    name: "Payroll Operations, retired",
    description: "Retired in 2025: the approval moved to the app owner",
    priority: 1,
    status: "INACTIVE",
    bundleIds: [bundle("Workday Payroll Operations")],
    sequenceId: "61eb0f06c462d20007f051ac",
    created: CONDITION_TIME,
  },
];

/** `[entitlement name, value names]` of one app -> references by id. */
function refs(appName: string, source: [string, string[]][]): DemoCriterion["refs"] {
  const appId = app(appName);
  return source.map(([entitlement, values]) => {
    const e = OKTA_DEMO_ENTITLEMENTS.find((x) => x.appId === appId && x.name === entitlement);
    if (!e) throw new Error(`demo data: ${appName} has no entitlement ${entitlement}`);
    return {
      id: e.id,
      values: values.map((name) => {
        const value = e.values.find((x) => x.name === name);
        if (!value) throw new Error(`demo data: ${entitlement} has no value ${name}`);
        return { id: value.id };
      }),
    };
  });
}

export const OKTA_DEMO_RISK_RULES: readonly DemoRiskRule[] = [
  {
    id: stableId("rul", "workday/create-and-approve-payments"),
    appId: app("workday"),
    name: "Create and approve payments",
    description: "Whoever runs payroll must not also approve expenses and payments",
    criteria: [
      { operation: "CONTAINS_ONE", refs: refs("workday", [["Security Group", ["Payroll Admin"]]]) },
      { operation: "CONTAINS_ONE", refs: refs("workday", [["Security Group", ["Expense Approver"]]]) },
    ],
    created: "2025-02-10T09:00:00Z",
  },
  {
    id: stableId("rul", "salesforce/administer-and-export"),
    appId: app("salesforce"),
    name: "Administer and export customer data",
    description: "A Salesforce administrator must not also bulk-export data",
    criteria: [
      { operation: "CONTAINS_ONE", refs: refs("salesforce", [["Profile", ["System Administrator"]]]) },
      {
        operation: "CONTAINS_ONE",
        refs: refs("salesforce", [["Permission Set", ["Data Export", "Export Reports"]]]),
      },
    ],
    created: "2025-02-10T09:30:00Z",
  },
  {
    id: stableId("rul", "github/build-and-review-security"),
    appId: app("github"),
    name: "Build and review platform security",
    description: "The security team reviews the platform team's changes: nobody is on both",
    criteria: [
      { operation: "CONTAINS_ONE", refs: refs("github", [["Team", ["Platform"]]]) },
      { operation: "CONTAINS_ONE", refs: refs("github", [["Team", ["Security"]]]) },
    ],
    created: "2025-02-10T10:00:00Z",
  },
];

/** `hours` before an ISO instant, without millis. */
function before(iso: string, hours: number): string {
  return new Date(Date.parse(iso) - hours * 3_600_000).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** A request the demo grant `key` fulfilled: filed a day before it, decided an hour before it. */
function fulfilled(
  key: string,
  bundleName: string,
  deciderId: string | undefined,
  justification?: string,
): DemoRequest {
  const g = grant(key);
  return {
    id: stableId("req", key),
    bundleId: bundle(bundleName),
    requestedFor: g.userId,
    requestedBy: g.userId,
    status: "APPROVED",
    created: before(g.created, 26),
    ...(deciderId ? { decision: { deciderId, decided: before(g.created, 1) } } : {}),
    grantId: g.id,
    ...(justification ? { justification } : {}),
    messages: [],
  };
}

export const OKTA_DEMO_REQUESTS: readonly DemoRequest[] = [
  fulfilled("dana/salesforce/sales-rep", "Salesforce Sales Rep", PRIYA, "Carrying a territory again"),
  fulfilled("marcus/salesforce/sales-rep", "Salesforce Sales Rep", DANA, "New account executive"),
  fulfilled("olivia/salesforce/sales-cloud-admin", "Salesforce Sales Cloud admin", DANA),
  fulfilled("elena/github/platform", "GitHub Platform Engineering", undefined),
  fulfilled("diego/workday/payroll", "Workday Payroll Operations", AISHA, "I run the monthly payroll close"),
  {
    id: stableId("req", "samuel/salesforce/sales-rep"),
    bundleId: bundle("Salesforce Sales Rep"),
    requestedFor: SAMUEL,
    requestedBy: SAMUEL,
    status: "PENDING",
    created: "2025-06-02T08:15:00Z",
    justification: "Covering the EMEA renewals desk while Marcus is on leave in June",
    messages: [
      {
        message: "Asked Samuel's manager to confirm the coverage dates.",
        authorId: PRIYA,
        created: "2025-06-02T09:00:00Z",
      },
    ],
  },
  {
    id: stableId("req", "grace/salesforce/sales-cloud-admin"),
    bundleId: bundle("Salesforce Sales Cloud admin"),
    requestedFor: GRACE,
    requestedBy: GRACE,
    status: "DENIED",
    created: "2025-05-12T14:00:00Z",
    decision: { deciderId: DANA, decided: "2025-05-13T09:30:00Z" },
    messages: [
      {
        message:
          "Contractors do not get admin access; ask for Salesforce Sales Rep if you need the pipeline.",
        authorId: DANA,
        created: "2025-05-13T09:31:00Z",
      },
    ],
  },
];

/** Everything above in one value, for the README generator. */
export const OKTA_REQUESTS_DEMO = {
  managers: OKTA_MANAGERS,
  appOwners: OKTA_APP_OWNERS,
  sequences: OKTA_DEMO_SEQUENCES,
  conditions: OKTA_DEMO_CONDITIONS,
  riskRules: OKTA_DEMO_RISK_RULES,
  requests: OKTA_DEMO_REQUESTS,
} as const;
