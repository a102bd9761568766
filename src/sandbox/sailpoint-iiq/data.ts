/**
 * Demo data of the IdentityIQ SCIM emulator (deterministic). Applications: SAP (the seed's), Active
 * Directory ("AD"), Salesforce, Workday. Entitlements: seed 003's example `a2a` verbatim
 * (7f00000180281df7818028bfb7d204c1), AD groups, Salesforce permission sets (including a "Salesforce Sales
 * Cloud admin" group, the same access as the Okta demo bundle), Workday security groups (including "Expense
 * Approver"). Users: the people of the Okta demo org, with the entitlements and roles they hold; each holds an
 * account on every application one of those entitlements comes from. Roles, separation-of-duties policies and
 * the workflows IdentityIQ ships complete the access-request demo.
 */
import { fnv1a } from "../kit/prng.js";

export const IIQ_BASE_PATH = "/identityiq/scim/v2";
export const IIQ_SCHEMA_ENTITLEMENT = "urn:ietf:params:scim:schemas:sailpoint:1.0:Entitlement";
export const IIQ_SCHEMA_USER = "urn:ietf:params:scim:schemas:core:2.0:User";
export const IIQ_SCHEMA_USER_EXT = "urn:ietf:params:scim:schemas:sailpoint:1.0:User";
export const IIQ_SCHEMA_APPLICATION = "urn:ietf:params:scim:schemas:sailpoint:1.0:Application";
export const IIQ_SCHEMA_ACCOUNT = "urn:ietf:params:scim:schemas:sailpoint:1.0:Account";

/** The schema of an application's accounts, whose URN names the application (the spec's Accounts). */
export const accountSchemaOf = (application: string) =>
  `urn:ietf:params:scim:schemas:sailpoint:1.0:Application:Schema:${application}:account`;

/** A 32-hex id derived from a key, like IdentityIQ's GUIDs. */
export function iiqId(key: string): string {
  let out = "";
  for (let i = 0; out.length < 32; i += 1) out += fnv1a(`${key}#${i}`).toString(16).padStart(8, "0");
  return out.slice(0, 32);
}

export interface IiqApplication {
  id: string;
  name: string;
  type: string;
  description: string;
  /** The owner's display name (a demo user). */
  owner?: string;
  /** An account's id on the application, from the user's names. */
  nativeIdentity: (givenName: string, familyName: string, userName: string) => string;
}

export const IIQ_APPLICATIONS: IiqApplication[] = [
  {
    id: "7f00000180281df7818028bfed100826",
    name: "SAP",
    type: "SAP R/3",
    description: "SAP ERP",
    nativeIdentity: (_g, _f, userName) => userName.toUpperCase().replace(".", "_"),
  },
  {
    id: iiqId("app:AD"),
    name: "AD",
    type: "Active Directory - Direct",
    description: "The corporate Active Directory domain",
    owner: "Priya Raman",
    nativeIdentity: (givenName, familyName) => `CN=${givenName} ${familyName},OU=People,DC=acme,DC=example`,
  },
  {
    id: iiqId("app:Salesforce"),
    name: "Salesforce",
    type: "SalesForce",
    description: "Sales Cloud",
    owner: "Olivia Brooks",
    nativeIdentity: (_g, _f, userName) => `${userName}@acme.example`,
  },
  {
    id: iiqId("app:Workday"),
    name: "Workday",
    type: "Workday",
    description: "HR and payroll",
    owner: "Aisha Khan",
    nativeIdentity: (_g, _f, userName) => `W-${iiqId(userName).slice(0, 6).toUpperCase()}`,
  },
];
export const IIQ_SCALE_APPLICATION: IiqApplication = {
  id: iiqId("app:Scale Test"),
  name: "Scale Test",
  type: "Delimited File",
  description: "Generated for benchmarks",
  nativeIdentity: (_g, _f, userName) => userName,
};

export interface IiqEntitlementSeed {
  id: string;
  displayableName: string;
  type: string;
  application: string;
  attribute: string;
  value: string;
  description: string;
  requestable: boolean;
  owner?: string;
}

/**
 * seed 003's example, verbatim (every attribute the document shows) but its meta.version: the document's
 * `"W"1649191950119"` is not an entity tag; SCIM's is a weak one, `W/"…"` (RFC 7644 §3.14, RFC 7232 §2.3).
 */
export const SEED_003_ENTITLEMENT = {
  id: "7f00000180281df7818028bfb7d204c1",
  descriptions: {
    locale: "en_US",
    value: "<strong>**Employee Database**</strong> <em>target friendly description</em>",
  },
  displayableName: "a2a",
  type: "group",
  application: [
    {
      value: "7f00000180281df7818028bfed100826",
      $ref: "http://localhost:8080/identityiq/scim/v2/Applications/7f00000180281df7818028bfed100826",
      displayName: "SAP",
    },
  ],
  owner: [
    {
      value: "7f00000180281df7818028bfab930361",
      $ref: "http://localhost:8080/identityiq/scim/v2/Users/7f00000180281df7818028bfab930361",
      displayName: "Mary Johnson",
    },
  ],
  requestable: true,
  aggregated: true,
  attribute: "memberOf",
  value: "CN=a2a,OU=HierarchicalGroups,OU=DemoData,DC=test,DC=sailpoint,DC=com",
  lastRefresh: "2022-04-14T10:48:01.907-05:00",
  lastTargetAggregation: "2022-04-14T10:48:01.907-05:00",
  classifications: {
    source: "UI",
    effective: false,
    classification: {
      name: "ClassificationA",
      displayName: "ClassA",
      origin: "FAM Aggregation",
      type: "Aggregation",
    },
  },
  meta: {
    created: "2022-04-05T15:52:30.090-05:00",
    location: "http://localhost:8080/identityiq/scim/v2/Entitlements/c0a8019c7ffa186e817ffb80170a0195",
    lastModified: "2022-04-05T15:52:30.119-05:00",
    version: 'W/"1649191950119"',
    resourceType: "Entitlement",
  },
  schemas: [IIQ_SCHEMA_ENTITLEMENT],
  entitleAuth: "None",
  entDate: "2022-04-14T10:44:54.738-05:00",
  active: false,
  rank: 3,
  rule: "APLogin-Contractors-Rule",
  reviewer: {
    displayName: "Caroline Lee",
    value: "c0b4568a4fe7458c434ee77f2fad267c",
    $ref: "http://localhost:8080/identityiq/scim/v2/Users/c0b4568a4fe7458c434ee77f2fad267c",
  },
  emails: "[email protected]",
} as const;

/** A group's owner approves requests for it; `null` leaves it without one (IdentityIQ then approves by itself). */
const groups = (
  application: string,
  attribute: string,
  names: [string, string, (string | null)?][],
  ou: string,
  owner = "Priya Raman",
) =>
  names.map(
    ([name, description, own]): IiqEntitlementSeed => ({
      id: iiqId(`ent:${application}:${name}`),
      displayableName: name,
      type: "group",
      application,
      attribute,
      value: `CN=${name},OU=${ou},DC=acme,DC=example`,
      description,
      requestable: true,
      ...(own === null ? {} : { owner: own ?? owner }),
    }),
  );

export const IIQ_ENTITLEMENTS: IiqEntitlementSeed[] = [
  ...groups(
    "AD",
    "memberOf",
    [
      ["Domain Users", "Every employee"],
      ["VPN Users", "Remote access through the corporate VPN"],
      ["Finance Share RW", "Read and write on the finance file share"],
      ["Helpdesk Operators", "Reset passwords and unlock accounts"],
      ["Domain Admins", "Full control of the domain"],
    ],
    "Groups",
  ),
  ...groups(
    "Salesforce",
    "PermissionSet",
    [
      ["Salesforce Sales Cloud admin", "Full administration of Sales Cloud"],
      ["Sales Cloud User", "Standard Sales Cloud access"],
      ["Modify All Data", "Modify every record"],
      ["Marketing User", "Campaign management"],
    ],
    "Salesforce",
  ),
  ...groups(
    "Workday",
    "SecurityGroup",
    [
      ["Expense Approver", "Approves expense reports"],
      ["Payroll Admin", "Runs and corrects payroll"],
      ["Employee Self-Service", "Every employee", null],
      ["HR Partner", "HR business partner access"],
    ],
    "Workday",
    "Aisha Khan",
  ),
];

export interface IiqUserSeed {
  id: string;
  userName: string;
  givenName: string;
  familyName: string;
  active: boolean;
  /** displayableNames of the entitlements the user holds. */
  entitlements: string[];
  /** Names of the roles assigned to the user. */
  roles: string[];
}

const person = (
  givenName: string,
  familyName: string,
  entitlements: string[],
  roles: string[] = [],
  active = true,
): IiqUserSeed => ({
  id: iiqId(`user:${givenName} ${familyName}`),
  userName: `${givenName}.${familyName}`.toLowerCase(),
  givenName,
  familyName,
  active,
  entitlements,
  roles,
});

export const IIQ_USERS: IiqUserSeed[] = [
  person("Priya", "Raman", ["Domain Users", "Domain Admins", "Helpdesk Operators"], ["Helpdesk - IT"]),
  person("Dana", "Whitfield", ["Domain Users", "VPN Users", "Sales Cloud User"], ["Sales Representative"]),
  person("Marcus", "Bell", ["Domain Users", "Sales Cloud User"], ["Sales Representative"]),
  person("Olivia", "Brooks", ["Domain Users", "Salesforce Sales Cloud admin", "Modify All Data"]),
  person("Hannah", "Schmidt", ["Domain Users", "Finance Share RW", "Expense Approver"], ["Finance Approver"]),
  person("Diego", "Alvarez", ["Domain Users", "Payroll Admin"], ["Payroll Operator"]),
  person("Aisha", "Khan", ["Domain Users", "HR Partner", "Expense Approver"]),
  person("Grace", "Liu", ["VPN Users"], [], false),
];

export interface IiqRoleSeed {
  id: string;
  name: string;
  /** IdentityIQ's role type: a business role people request, or an IT role that holds entitlements. */
  type: "business" | "it";
  description: string;
  /** The owner's display name; the owner approves requests for the role. */
  owner: string;
}

const role = (name: string, type: IiqRoleSeed["type"], owner: string, description: string): IiqRoleSeed => ({
  id: iiqId(`role:${name}`),
  name,
  type,
  owner,
  description,
});

export const IIQ_ROLES: IiqRoleSeed[] = [
  role("Sales Representative", "business", "Olivia Brooks", "Sells: Sales Cloud and the VPN"),
  role("Finance Approver", "business", "Aisha Khan", "Approves expense reports and reads the finance share"),
  role("Payroll Operator", "business", "Aisha Khan", "Runs payroll in Workday"),
  role("Helpdesk - IT", "it", "Priya Raman", "Resets passwords and unlocks accounts"),
];

/** What a policy constraint names: an entitlement of an application, or (no application) a role. */
export interface IiqBundleRef {
  application?: string;
  name: string;
}

export interface IiqPolicySeed {
  name: string;
  /** IdentityIQ's policy types: SOD (role separation of duties) or EntitlementSOD. */
  type: "SOD" | "EntitlementSOD";
  owner: string;
  constraints: { name: string; description: string; left: IiqBundleRef[]; right: IiqBundleRef[] }[];
}

const workday = (name: string): IiqBundleRef => ({ application: "Workday", name });

/**
 * The demo's separation-of-duties policies. Diego Alvarez runs payroll: asking for Expense Approver (or the
 * Finance Approver role) is a real conflict. Olivia Brooks and Priya Raman already hold conflicting access:
 * their violations are open and mitigated.
 */
export const IIQ_POLICIES: IiqPolicySeed[] = [
  {
    name: "Finance SOD Policy",
    type: "EntitlementSOD",
    owner: "Aisha Khan",
    constraints: [
      {
        name: "Approve expenses and run payroll",
        description:
          "Whoever approves expense reports must not also run payroll: together they allow paying out claims nobody checked.",
        left: [workday("Expense Approver")],
        right: [workday("Payroll Admin")],
      },
    ],
  },
  {
    name: "Sales SOD Policy",
    type: "EntitlementSOD",
    owner: "Olivia Brooks",
    constraints: [
      {
        name: "Administer Sales Cloud and modify all data",
        description: "Sales Cloud administrators must not also modify every record.",
        left: [{ application: "Salesforce", name: "Salesforce Sales Cloud admin" }],
        right: [{ application: "Salesforce", name: "Modify All Data" }],
      },
    ],
  },
  {
    name: "IT SOD Policy",
    type: "EntitlementSOD",
    owner: "Priya Raman",
    constraints: [
      {
        name: "Domain administration and helpdesk",
        description: "Helpdesk operators must not also administer the domain.",
        left: [{ application: "AD", name: "Domain Admins" }],
        right: [{ application: "AD", name: "Helpdesk Operators" }],
      },
    ],
  },
  {
    name: "Business Role SOD Policy",
    type: "SOD",
    owner: "Aisha Khan",
    constraints: [
      {
        name: "Finance approver and payroll operator",
        description: "The Finance Approver and Payroll Operator roles must not be held together.",
        left: [{ name: "Finance Approver" }],
        right: [{ name: "Payroll Operator" }],
      },
    ],
  },
];

/** The demo's known violations and their state (the rest a policy check finds are Open). */
export const IIQ_VIOLATION_STATUS: Record<string, "Open" | "Mitigated"> = {
  "olivia.brooks": "Open",
  "priya.raman": "Mitigated",
};

/** Workflows IdentityIQ ships, as SCIM lists them; only LCM Provisioning runs in the sandbox. */
export const IIQ_WORKFLOWS: { name: string; type: string; description: string }[] = [
  {
    name: "LCM Provisioning",
    type: "LCM Provisioning",
    description: "Access requests from Lifecycle Manager: approvals, then provisioning of the plan.",
  },
  {
    name: "LCM Create and Update",
    type: "LCM Identity",
    description: "Creates or updates an identity from Lifecycle Manager.",
  },
  {
    name: "Identity Request Approve",
    type: "Subprocess",
    description: "The approval subprocess of the LCM workflows.",
  },
];

/** The workflow access requests go through, and the scheme its approvals follow. */
export const LCM_PROVISIONING = "LCM Provisioning";

/** The i-th (1-based) generated entitlement of the "Scale Test" application, for benchmarks. */
export function iiqScaleEntitlement(i: number): IiqEntitlementSeed {
  const name = `Scale Entitlement ${String(i).padStart(6, "0")}`;
  return {
    id: iiqId(`scale:${i}`),
    displayableName: name,
    type: "group",
    application: IIQ_SCALE_APPLICATION.name,
    attribute: "memberOf",
    value: `CN=${name},OU=Scale,DC=acme,DC=example`,
    description: "Generated for benchmarks",
    requestable: true,
  };
}
