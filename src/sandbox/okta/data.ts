/**
 * The sandbox's demo org: deterministic, realistic, and exported as data so the README is written
 * from it. It contains every id the seed documents' examples use, so those examples run verbatim.
 *
 * Org `00o11edPwGqbUrsDm0g4` ("Acme Corp"); the sandbox API token acts as Priya Raman
 * (`00ub0oNGTSWTBKOLGLNR`), who is therefore `createdBy`/`lastUpdatedBy` of every change.
 *
 * Apps (all opted in to Entitlement Management except the bookmark app):
 *   Salesforce `0oafxqCAJWWGELFTYASJ` (name `salesforce`) - Profile, Permission Set (28 values, for
 *     paging), License, Access Level, Role (id `0obfxqCAJWWGELFTYASJ`, as the seeds reference it),
 *     License Entitlement (`esp2lr1lavoGDYw5U8g6`, values `ent148gF8aZoRfFsh0g4`, `entotuwr1z1efm5RA1d6`)
 *   GitHub `0oaDvyGm2HO7fwt4XllH` (`github`) - Org Role, Team, Copilot Seat
 *   Workday `0oaxTqkrIBRL7dCnCtAr` (`workday`) - Security Group, Supervisory Organization
 *   Slack `0oaOYCoLhABLJCYAAMAT` (`slack`) - Workspace Role, Channel Access
 *   Company Wiki `0oa4K5vQ5Szpud1npYok` (`bookmark`) - NOT opted in: creating entitlements there is a 404
 *   Scale Test `0oaZ0v6N5R43ZIG90ZtV` (`scale_test`) - only with `scale: N` (N entitlements, 2 values each)
 *
 * Twelve ACTIVE users at `@acme.example` (see OKTA_DEMO_USERS), including Dana Whitfield
 * `00ufxqCAJWWGELFTYCCC` and Priya Raman `00ub0oNGTSWTBKOLGLNR`.
 *
 * Bundles: "Salesforce Sales Cloud admin" `enbfxqCAJWWGELFTYCCC`, "Github admin bundle"
 * `0bbfxqCAJWWGELFTYAAA` (targets the Salesforce app, as in the seed's PUT example), "Salesforce Sales Rep",
 * "GitHub Platform Engineering", "Workday Payroll Operations", and a DELETED "Slack Legacy Admins".
 *
 * Grants: base (POLICY / CUSTOM) and additive (ENTITLEMENT-BUNDLE / ENTITLEMENT) grants across the apps,
 * including the seeds' CUSTOM grant `0ggb0oNGTSWTBKOLGLNR` (Priya on Salesforce), a DENY that removes
 * one bundle value (segregation of duties), a CUSTOM DENY that revokes a contractor's GitHub access,
 * and INACTIVE grants that a later base grant replaced.
 *
 * Ids not fixed by the seeds are derived from names (stableId), so they never change between runs.
 */
import { stableId } from "../kit/prng.js";
import { isoSeconds } from "../kit/time.js";
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

export const OKTA_ORG_ID = "00o11edPwGqbUrsDm0g4";
/** The user the sandbox API token belongs to: `createdBy` / `lastUpdatedBy` of every write. */
export const OKTA_TOKEN_OWNER_ID = PRIYA;

export type SignOnMode = "SAML_2_0" | "OPENID_CONNECT" | "BOOKMARK";
export type GrantType = "CUSTOM" | "POLICY" | "ENTITLEMENT-BUNDLE" | "ENTITLEMENT";
export type GrantAction = "ALLOW" | "DENY";
export type GrantActor = "API" | "ACCESS_REQUEST" | "ADMIN" | "NONE";
export type GrantStatus = "ACTIVE" | "SCHEDULED" | "INACTIVE" | "EXPIRED";

/** `{id: esp…, values: [{id: ent…}]}`, as bundles and grants reference entitlements. */
export interface EntitlementRef {
  id: string;
  values: { id: string }[];
}

export interface DemoApp {
  id: string;
  /** The app's `name` key, used in its ORN (`orn:okta:idp:<org>:apps:<name>:<id>`). */
  name: string;
  label: string;
  signOnMode: SignOnMode;
  /** Opted in to Entitlement Management. */
  entitlementManagement: boolean;
  created: string;
  /** What a POLICY grant on this app gives (the app's entitlement policy). */
  policy: EntitlementRef[];
}

export interface DemoUser {
  id: string;
  firstName: string;
  lastName: string;
  email: string;
  login: string;
  title: string;
  department: string;
  created: string;
}

export interface DemoValue {
  id: string;
  name: string;
  externalValue: string;
  description?: string;
  externalId?: string;
}

export interface DemoEntitlement {
  id: string;
  appId: string;
  name: string;
  externalValue: string;
  description?: string;
  multiValue: boolean;
  dataType: "string" | "array";
  created: string;
  values: DemoValue[];
}

export interface DemoBundle {
  id: string;
  appId: string;
  name: string;
  description?: string;
  status: "ACTIVE" | "DELETED";
  created: string;
  createdBy: string;
  entitlements: EntitlementRef[];
}

export interface DemoGrant {
  id: string;
  grantType: GrantType;
  userId: string;
  appId: string;
  entitlementBundleId?: string;
  action: GrantAction;
  actor: GrantActor;
  status: GrantStatus;
  entitlements?: EntitlementRef[];
  scheduleSettings?: { expirationDate: string; timeZone?: string };
  created: string;
  createdBy: string;
}

/** Deterministic timestamps without millis: `hours` after `base`. */
function at(base: string, hours: number): string {
  return isoSeconds(Date.parse(base) + hours * 3_600_000);
}

const SEED_TIME = "2022-05-24T14:15:22Z";

const APP_SOURCE: Omit<DemoApp, "created" | "policy">[] = [
  {
    id: "0oafxqCAJWWGELFTYASJ",
    name: "salesforce",
    label: "Salesforce",
    signOnMode: "SAML_2_0",
    entitlementManagement: true,
  },
  {
    id: "0oaDvyGm2HO7fwt4XllH",
    name: "github",
    label: "GitHub Enterprise Cloud",
    signOnMode: "SAML_2_0",
    entitlementManagement: true,
  },
  {
    id: "0oaxTqkrIBRL7dCnCtAr",
    name: "workday",
    label: "Workday",
    signOnMode: "SAML_2_0",
    entitlementManagement: true,
  },
  {
    id: "0oaOYCoLhABLJCYAAMAT",
    name: "slack",
    label: "Slack",
    signOnMode: "OPENID_CONNECT",
    entitlementManagement: true,
  },
  {
    id: "0oa4K5vQ5Szpud1npYok",
    name: "bookmark",
    label: "Company Wiki",
    signOnMode: "BOOKMARK",
    entitlementManagement: false,
  },
];

/** Only present with `scale: N`. */
export const OKTA_SCALE_APP: DemoApp = {
  id: "0oaZ0v6N5R43ZIG90ZtV",
  name: "scale_test",
  label: "Scale Test",
  signOnMode: "SAML_2_0",
  entitlementManagement: true,
  created: "2024-11-04T08:00:00Z",
  policy: [],
};

const USER_SOURCE: [id: string, first: string, last: string, title: string, department: string][] = [
  ["00ub0oNGTSWTBKOLGLNR", "Priya", "Raman", "IT Governance Administrator", "IT"],
  ["00ufxqCAJWWGELFTYCCC", "Dana", "Whitfield", "Regional Sales Manager", "Sales"],
  ["00uJ5w00Amlse2pHcQbs", "Marcus", "Bell", "Account Executive", "Sales"],
  ["00u2f0uF3apeq2oJBzIX", "Olivia", "Brooks", "Sales Operations Analyst", "Sales"],
  ["00utT5MP8WA9iZFIIMYk", "Elena", "Petrova", "Software Engineer", "Engineering"],
  ["00uhwqa5V4tkgWirMdlD", "Tom", "Nguyen", "Engineering Manager", "Engineering"],
  ["00u8mKT9e85wl1DrxMwA", "Kenji", "Watanabe", "Site Reliability Engineer", "Engineering"],
  ["00u4OF7SuBwtWqVxAzKi", "Aisha", "Khan", "HR Business Partner", "People"],
  ["00u2cEvMLRaxLopsKClQ", "Diego", "Alvarez", "Payroll Specialist", "Finance"],
  ["00uYBScPIRSmSaaudyuo", "Hannah", "Schmidt", "Finance Controller", "Finance"],
  ["00uZ2iuxU9Yk38Uxqyuk", "Samuel", "Osei", "Customer Support Lead", "Customer Support"],
  ["00uHwCHSBn6G1ldstZ2x", "Grace", "Liu", "Product Designer (Contractor)", "Design"],
];

export const OKTA_DEMO_USERS: readonly DemoUser[] = USER_SOURCE.map(
  ([id, firstName, lastName, title, department], i) => {
    const email = `${firstName}.${lastName}@acme.example`.toLowerCase();
    return {
      id,
      firstName,
      lastName,
      email,
      login: email,
      title,
      department,
      created: at("2024-10-01T08:30:00Z", i * 26),
    };
  },
);

interface ValueSource {
  name: string;
  externalValue: string;
  description?: string;
  id?: string;
  externalId?: string;
}

interface EntitlementSource {
  app: string;
  id?: string;
  name: string;
  externalValue: string;
  description?: string;
  multiValue: boolean;
  values: ValueSource[];
}

const v = (name: string, externalValue: string, description?: string): ValueSource => ({
  name,
  externalValue,
  ...(description ? { description } : {}),
});

const PERMISSION_SETS = [
  "API Enabled",
  "Author Apex",
  "Convert Leads",
  "CRM Analytics Plus",
  "Customize Application",
  "Data Export",
  "Edit Opportunity Forecasts",
  "Einstein Activity Capture",
  "Export Reports",
  "Flow User",
  "Import Leads",
  "Knowledge User",
  "Lightning Console User",
  "Manage Cases",
  "Manage Dashboards",
  "Manage Leads",
  "Manage Price Books",
  "Manage Public List Views",
  "Manage Territories",
  "Manage Users",
  "Marketing User",
  "Mass Email",
  "Modify All Data",
  "Run Reports",
  "Sales Cloud User",
  "Service Cloud User",
  "Transfer Records",
  "View All Data",
];

const ENTITLEMENT_SOURCE: EntitlementSource[] = [
  {
    app: "salesforce",
    name: "Profile",
    externalValue: "profile",
    description: "The Salesforce user profile; every user has exactly one",
    multiValue: false,
    values: [
      v("Standard User", "standard_user", "Standard Salesforce user"),
      v("Sales Manager", "sales_manager", "Manages a sales team's pipeline and forecasts"),
      v("System Administrator", "system_administrator", "Full administrative access to the org"),
      v("Read Only", "read_only", "Can view but not edit records"),
      v("Marketing User", "marketing_user", "Manages campaigns and leads"),
    ],
  },
  {
    app: "salesforce",
    name: "Permission Set",
    externalValue: "permission_set",
    description: "Salesforce permission sets granted on top of the profile",
    multiValue: true,
    values: PERMISSION_SETS.map((name) => v(name, name.replace(/ /g, "_"))),
  },
  {
    app: "salesforce",
    id: "esp81PLbVQGWaklZb0g2",
    name: "License",
    externalValue: "license",
    description: "The Salesforce user license",
    multiValue: false,
    values: [
      { ...v("Corporate License", "corporate", "Corporate License"), id: "entfxqCAJWWFTFUUYBBB" },
      v("Platform License", "platform", "Salesforce Platform license"),
      v("Chatter Free", "chatter_free", "Chatter-only license"),
    ],
  },
  {
    app: "salesforce",
    id: "esp5zFLCIUV7Vibro0g2",
    name: "Access Level",
    externalValue: "access_level",
    description: "Record access level in Salesforce",
    multiValue: false,
    values: [
      {
        ...v("Admin access", "admin", "ability to grant an access"),
        id: "entfxqCAJWWGELFTYAAA",
        externalId: "75941239-123s-1245-xyz6-562fee27167r",
      },
      v("Write access", "write", "Can create and edit records"),
      v("Read access", "read", "Can view records"),
    ],
  },
  {
    app: "salesforce",
    id: "0obfxqCAJWWGELFTYASJ",
    name: "Role",
    externalValue: "role",
    description: "Position in the Salesforce role hierarchy",
    multiValue: false,
    values: [
      v("CEO", "ceo", "Top of the role hierarchy"),
      v("VP of Sales", "vp_sales", "Sees every sales team's records"),
      v("Sales Representative", "sales_rep", "Owns accounts and opportunities"),
      v("Support Agent", "support_agent", "Works customer cases"),
      v("IT Operations", "it_operations", "Administers the org"),
    ],
  },
  {
    app: "salesforce",
    id: "esp2lr1lavoGDYw5U8g6",
    name: "License Entitlement",
    externalValue: "license_entitlement",
    description: "Some license entitlement",
    multiValue: true,
    values: [
      { ...v("value1", "value_1", "description for value1"), id: "ent148gF8aZoRfFsh0g4" },
      { ...v("value2", "value_2", "description for value2"), id: "entotuwr1z1efm5RA1d6" },
    ],
  },
  {
    app: "github",
    name: "Org Role",
    externalValue: "org_role",
    description: "Role in the acme-corp GitHub organization",
    multiValue: false,
    values: [
      v("Member", "member", "Organization member"),
      v("Owner", "owner", "Full administrative access to the organization"),
      v("Billing Manager", "billing_manager", "Manages billing settings"),
    ],
  },
  {
    app: "github",
    name: "Team",
    externalValue: "team",
    description: "GitHub team memberships",
    multiValue: true,
    values: [
      v("Platform", "platform", "Platform engineering team"),
      v("Frontend", "frontend", "Web frontend team"),
      v("Backend", "backend", "API and services team"),
      v("Data", "data", "Data engineering team"),
      v("Security", "security", "Product security team"),
      v("SRE", "sre", "Site reliability engineering team"),
      v("Mobile", "mobile", "iOS and Android team"),
    ],
  },
  {
    app: "github",
    name: "Copilot Seat",
    externalValue: "copilot_seat",
    description: "GitHub Copilot seat assignment",
    multiValue: false,
    values: [v("Copilot Business", "business"), v("Copilot Enterprise", "enterprise")],
  },
  {
    app: "workday",
    name: "Security Group",
    externalValue: "security_group",
    description: "Workday user-based security groups",
    multiValue: true,
    values: [
      v("Employee Self-Service", "employee_self_service", "Every employee's own HR data"),
      v("Manager Self-Service", "manager_self_service", "Team data for people managers"),
      v("Expense Approver", "expense_approver", "Approves expense reports"),
      v("Payroll Admin", "payroll_admin", "Runs and corrects payroll"),
      v("HR Partner", "hr_partner", "HR business partner access"),
      v("Finance Analyst", "finance_analyst", "Financial reporting"),
      v("Benefits Administrator", "benefits_administrator", "Manages benefit plans"),
      v("Compensation Partner", "compensation_partner", "Views and proposes compensation"),
    ],
  },
  {
    app: "workday",
    name: "Supervisory Organization",
    externalValue: "supervisory_organization",
    description: "The supervisory organization the worker belongs to",
    multiValue: false,
    values: [
      v("Sales", "sup_org_sales"),
      v("Engineering", "sup_org_engineering"),
      v("Finance", "sup_org_finance"),
      v("People", "sup_org_people"),
      v("Customer Support", "sup_org_support"),
    ],
  },
  {
    app: "slack",
    name: "Workspace Role",
    externalValue: "workspace_role",
    description: "Role in the Acme Slack workspace",
    multiValue: false,
    values: [
      v("Member", "member"),
      v("Admin", "admin", "Workspace administrator"),
      v("Owner", "owner", "Workspace owner"),
      v("Guest", "guest", "Single-channel guest"),
    ],
  },
  {
    app: "slack",
    name: "Channel Access",
    externalValue: "channel_access",
    description: "Private channels",
    multiValue: true,
    values: [
      v("#sales-deals", "C04SALESDEALS"),
      v("#eng-incidents", "C04ENGINCIDNT"),
      v("#finance-close", "C04FINCLOSE"),
      v("#support-escalations", "C04SUPPORTESC"),
      v("#announcements-admins", "C04ANNADMINS"),
    ],
  },
];

const appByName = new Map(APP_SOURCE.map((a) => [a.name, a]));

function appId(name: string): string {
  const app = appByName.get(name);
  if (!app) throw new Error(`demo data: unknown app ${name}`);
  return app.id;
}

export const OKTA_DEMO_ENTITLEMENTS: readonly DemoEntitlement[] = ENTITLEMENT_SOURCE.map((e, i) => ({
  id: e.id ?? stableId("esp", `${e.app}/${e.name}`),
  appId: appId(e.app),
  name: e.name,
  externalValue: e.externalValue,
  ...(e.description ? { description: e.description } : {}),
  multiValue: e.multiValue,
  dataType: e.multiValue ? "array" : "string",
  created: e.id === "esp2lr1lavoGDYw5U8g6" ? SEED_TIME : at("2025-01-06T09:00:00Z", i * 5),
  values: e.values.map((value) => ({
    id: value.id ?? stableId("ent", `${e.app}/${e.name}/${value.externalValue}`),
    name: value.name,
    externalValue: value.externalValue,
    ...(value.description ? { description: value.description } : {}),
    ...(value.externalId ? { externalId: value.externalId } : {}),
  })),
}));

/** `[entitlement name, value names]` pairs of one app -> references by id. */
type RefSource = [entitlement: string, values: string[]];

function refs(app: string, source: RefSource[]): EntitlementRef[] {
  const id = appId(app);
  return source.map(([entitlementName, valueNames]) => {
    const ent = OKTA_DEMO_ENTITLEMENTS.find((e) => e.appId === id && e.name === entitlementName);
    if (!ent) throw new Error(`demo data: ${app} has no entitlement ${entitlementName}`);
    return {
      id: ent.id,
      values: valueNames.map((name) => {
        const value = ent.values.find((x) => x.name === name);
        if (!value) throw new Error(`demo data: ${entitlementName} has no value ${name}`);
        return { id: value.id };
      }),
    };
  });
}

const POLICIES: Record<string, RefSource[]> = {
  salesforce: [
    ["Profile", ["Standard User"]],
    ["License", ["Corporate License"]],
  ],
  github: [
    ["Org Role", ["Member"]],
    ["Copilot Seat", ["Copilot Business"]],
  ],
  workday: [["Security Group", ["Employee Self-Service"]]],
  slack: [["Workspace Role", ["Member"]]],
};

export const OKTA_DEMO_APPS: readonly DemoApp[] = APP_SOURCE.map((a, i) => ({
  ...a,
  created: at("2024-09-02T10:00:00Z", i * 49),
  policy: refs(a.name, POLICIES[a.name] ?? []),
}));

interface BundleSource {
  id?: string;
  app: string;
  name: string;
  description?: string;
  status?: "DELETED";
  created?: string;
  entitlements: RefSource[];
}

const BUNDLE_SOURCE: BundleSource[] = [
  {
    id: "enbfxqCAJWWGELFTYCCC",
    app: "salesforce",
    name: "Salesforce Sales Cloud admin",
    description: "Full administrative access to Sales Cloud",
    entitlements: [
      ["Profile", ["System Administrator"]],
      ["Permission Set", ["Modify All Data", "Manage Users", "Sales Cloud User"]],
      ["Access Level", ["Admin access"]],
    ],
  },
  {
    id: "0bbfxqCAJWWGELFTYAAA",
    app: "salesforce",
    name: "Github admin bundle",
    description: "Github bundle for administrative access",
    created: SEED_TIME,
    entitlements: [["Role", []]],
  },
  {
    app: "salesforce",
    name: "Salesforce Sales Rep",
    description: "What an account executive needs in Salesforce",
    entitlements: [
      ["Profile", ["Standard User"]],
      ["Permission Set", ["Sales Cloud User", "Run Reports"]],
      ["Role", ["Sales Representative"]],
    ],
  },
  {
    app: "github",
    name: "GitHub Platform Engineering",
    description: "Platform and SRE teams with a Copilot Enterprise seat",
    entitlements: [
      ["Org Role", ["Member"]],
      ["Team", ["Platform", "SRE"]],
      ["Copilot Seat", ["Copilot Enterprise"]],
    ],
  },
  {
    app: "workday",
    name: "Workday Payroll Operations",
    description: "Runs payroll and approves expenses",
    entitlements: [["Security Group", ["Payroll Admin", "Expense Approver"]]],
  },
  {
    app: "slack",
    name: "Slack Legacy Admins",
    description: "Retired: workspace admins before the 2025 reorganisation",
    status: "DELETED",
    entitlements: [
      ["Workspace Role", ["Admin"]],
      ["Channel Access", ["#announcements-admins"]],
    ],
  },
];

export const OKTA_DEMO_BUNDLES: readonly DemoBundle[] = BUNDLE_SOURCE.map((b, i) => ({
  id: b.id ?? stableId("enb", b.name),
  appId: appId(b.app),
  name: b.name,
  ...(b.description ? { description: b.description } : {}),
  status: b.status ?? "ACTIVE",
  created: b.created ?? at("2025-03-03T15:00:00Z", i * 30),
  createdBy: OKTA_TOKEN_OWNER_ID,
  entitlements: refs(b.app, b.entitlements),
}));

function bundleId(name: string): string {
  const bundle = OKTA_DEMO_BUNDLES.find((b) => b.name === name);
  if (!bundle) throw new Error(`demo data: unknown bundle ${name}`);
  return bundle.id;
}

interface GrantSource {
  id?: string;
  key: string;
  type: GrantType;
  user: string;
  app: string;
  bundle?: string;
  action?: GrantAction;
  actor: GrantActor;
  status?: GrantStatus;
  entitlements?: RefSource[];
  schedule?: { expirationDate: string; timeZone?: string };
  created?: string;
}

/** In creation order (additive grants stack in this order). */
const GRANT_SOURCE: GrantSource[] = [
  {
    id: "0ggb0oNGTSWTBKOLGLNR",
    key: "priya/salesforce/custom",
    type: "CUSTOM",
    user: PRIYA,
    app: "salesforce",
    actor: "API",
    created: SEED_TIME,
    entitlements: [
      ["Role", ["IT Operations"]],
      ["Profile", ["System Administrator"]],
    ],
  },
  {
    key: "marcus/salesforce/custom-old",
    type: "CUSTOM",
    user: MARCUS,
    app: "salesforce",
    actor: "ADMIN",
    status: "INACTIVE",
    entitlements: [["Profile", ["Read Only"]]],
  },
  { key: "dana/salesforce/policy", type: "POLICY", user: DANA, app: "salesforce", actor: "ADMIN" },
  {
    key: "dana/salesforce/sales-rep",
    type: "ENTITLEMENT-BUNDLE",
    user: DANA,
    app: "salesforce",
    bundle: "Salesforce Sales Rep",
    actor: "ACCESS_REQUEST",
  },
  { key: "dana/slack/policy", type: "POLICY", user: DANA, app: "slack", actor: "ADMIN" },
  { key: "marcus/salesforce/policy", type: "POLICY", user: MARCUS, app: "salesforce", actor: "ADMIN" },
  {
    key: "marcus/salesforce/sales-rep",
    type: "ENTITLEMENT-BUNDLE",
    user: MARCUS,
    app: "salesforce",
    bundle: "Salesforce Sales Rep",
    actor: "ACCESS_REQUEST",
  },
  {
    key: "olivia/salesforce/custom",
    type: "CUSTOM",
    user: OLIVIA,
    app: "salesforce",
    actor: "ADMIN",
    entitlements: [
      ["Profile", ["Standard User"]],
      ["Permission Set", ["Export Reports", "Data Export", "Manage Dashboards"]],
      ["License", ["Corporate License"]],
    ],
  },
  {
    key: "olivia/salesforce/sales-cloud-admin",
    type: "ENTITLEMENT-BUNDLE",
    user: OLIVIA,
    app: "salesforce",
    bundle: "Salesforce Sales Cloud admin",
    actor: "ACCESS_REQUEST",
    schedule: { expirationDate: "2030-12-31T23:59:59Z", timeZone: "America/New_York" },
  },
  { key: "elena/github/policy", type: "POLICY", user: ELENA, app: "github", actor: "ADMIN" },
  {
    key: "elena/github/platform",
    type: "ENTITLEMENT-BUNDLE",
    user: ELENA,
    app: "github",
    bundle: "GitHub Platform Engineering",
    actor: "ACCESS_REQUEST",
  },
  { key: "tom/github/policy", type: "POLICY", user: TOM, app: "github", actor: "ADMIN" },
  {
    key: "tom/github/backend",
    type: "ENTITLEMENT",
    user: TOM,
    app: "github",
    actor: "ACCESS_REQUEST",
    entitlements: [["Team", ["Backend"]]],
    schedule: { expirationDate: "2030-06-30T23:59:59Z", timeZone: "America/Los_Angeles" },
  },
  {
    key: "kenji/github/custom",
    type: "CUSTOM",
    user: KENJI,
    app: "github",
    actor: "ADMIN",
    entitlements: [
      ["Org Role", ["Owner"]],
      ["Team", ["SRE", "Security"]],
      ["Copilot Seat", ["Copilot Enterprise"]],
    ],
  },
  {
    key: "aisha/workday/custom",
    type: "CUSTOM",
    user: AISHA,
    app: "workday",
    actor: "ADMIN",
    entitlements: [
      [
        "Security Group",
        ["Employee Self-Service", "Manager Self-Service", "HR Partner", "Compensation Partner"],
      ],
      ["Supervisory Organization", ["People"]],
    ],
  },
  { key: "diego/workday/policy", type: "POLICY", user: DIEGO, app: "workday", actor: "ADMIN" },
  {
    key: "diego/workday/payroll",
    type: "ENTITLEMENT-BUNDLE",
    user: DIEGO,
    app: "workday",
    bundle: "Workday Payroll Operations",
    actor: "ACCESS_REQUEST",
  },
  {
    key: "diego/workday/deny-expense-approver",
    type: "ENTITLEMENT",
    user: DIEGO,
    app: "workday",
    action: "DENY",
    actor: "ADMIN",
    entitlements: [["Security Group", ["Expense Approver"]]],
  },
  {
    key: "hannah/workday/custom",
    type: "CUSTOM",
    user: HANNAH,
    app: "workday",
    actor: "ADMIN",
    entitlements: [
      ["Security Group", ["Employee Self-Service", "Finance Analyst", "Expense Approver"]],
      ["Supervisory Organization", ["Finance"]],
    ],
  },
  {
    key: "samuel/slack/legacy-admins",
    type: "ENTITLEMENT-BUNDLE",
    user: SAMUEL,
    app: "slack",
    bundle: "Slack Legacy Admins",
    actor: "ADMIN",
    status: "INACTIVE",
  },
  {
    key: "samuel/slack/custom",
    type: "CUSTOM",
    user: SAMUEL,
    app: "slack",
    actor: "ADMIN",
    entitlements: [
      ["Workspace Role", ["Member"]],
      ["Channel Access", ["#support-escalations", "#eng-incidents"]],
    ],
  },
  {
    key: "samuel/salesforce/custom",
    type: "CUSTOM",
    user: SAMUEL,
    app: "salesforce",
    actor: "ADMIN",
    entitlements: [
      ["Profile", ["Standard User"]],
      ["Role", ["Support Agent"]],
    ],
  },
  {
    key: "grace/github/policy-old",
    type: "POLICY",
    user: GRACE,
    app: "github",
    actor: "ADMIN",
    status: "INACTIVE",
  },
  {
    key: "grace/github/deny-all",
    type: "CUSTOM",
    user: GRACE,
    app: "github",
    action: "DENY",
    actor: "ADMIN",
  },
  {
    key: "grace/slack/custom",
    type: "CUSTOM",
    user: GRACE,
    app: "slack",
    actor: "ADMIN",
    entitlements: [
      ["Workspace Role", ["Guest"]],
      ["Channel Access", ["#eng-incidents"]],
    ],
  },
];

export const OKTA_DEMO_GRANTS: readonly DemoGrant[] = GRANT_SOURCE.map((g, i) => ({
  id: g.id ?? stableId("gra", g.key),
  grantType: g.type,
  userId: g.user,
  appId: appId(g.app),
  ...(g.bundle ? { entitlementBundleId: bundleId(g.bundle) } : {}),
  action: g.action ?? "ALLOW",
  actor: g.actor,
  status: g.status ?? "ACTIVE",
  ...(g.entitlements ? { entitlements: refs(g.app, g.entitlements) } : {}),
  ...(g.schedule ? { scheduleSettings: g.schedule } : {}),
  created: g.created ?? at("2025-04-07T13:00:00Z", i * 11),
  createdBy: OKTA_TOKEN_OWNER_ID,
}));

/** The scale app's `index`-th generated entitlement (0-based): two values, ids derived from the index. */
export function scaleEntitlement(index: number): DemoEntitlement {
  const n = String(index + 1).padStart(6, "0");
  return {
    id: stableId("esp", `scale/${index}`),
    appId: OKTA_SCALE_APP.id,
    name: `Scale Entitlement ${n}`,
    externalValue: `scale_entitlement_${n}`,
    multiValue: true,
    dataType: "array",
    created: "2024-11-04T08:00:00Z",
    values: [
      { id: stableId("ent", `scale/${index}/a`), name: `Scale Value ${n}-A`, externalValue: `scale_${n}_a` },
      { id: stableId("ent", `scale/${index}/b`), name: `Scale Value ${n}-B`, externalValue: `scale_${n}_b` },
    ],
  };
}

/** Everything above in one value, for the README generator. */
export const OKTA_DEMO = {
  orgId: OKTA_ORG_ID,
  tokenOwnerId: OKTA_TOKEN_OWNER_ID,
  apps: OKTA_DEMO_APPS,
  users: OKTA_DEMO_USERS,
  entitlements: OKTA_DEMO_ENTITLEMENTS,
  bundles: OKTA_DEMO_BUNDLES,
  grants: OKTA_DEMO_GRANTS,
  scaleApp: OKTA_SCALE_APP,
} as const;
