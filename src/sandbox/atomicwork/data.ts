/**
 * Demo data of the Atomicwork emulator: the apps (identity providers), people, entitlements and grants a
 * demo workspace starts with, and one access policy (two grants are held under it). Ids are Atomicwork's
 * integers; a policy also has its UUID key.
 */
export const ATOMICWORK_DEMO = {
  apps: [
    { id: 12345, name: "Okta", provider: "OKTA" },
    { id: 12346, name: "Azure AD", provider: "AZURE_AD" },
    { id: 12347, name: "Google Workspace", provider: "GOOGLE_WORKSPACE" },
    { id: 12348, name: "JumpCloud", provider: "JUMPCLOUD" },
  ],
  users: [
    { id: 9001, name: "Dana Whitfield" },
    { id: 9002, name: "Priya Raman" },
    { id: 9003, name: "Marcus Bell" },
    { id: 9004, name: "Olivia Brooks" },
    { id: 9005, name: "Hannah Schmidt" },
    { id: 9006, name: "Diego Alvarez" },
    { id: 9007, name: "Grace Liu" },
  ],
  entitlements: [
    {
      id: 501,
      name: "Salesforce Sales Cloud admin",
      app_id: 12345,
      type: "GROUP",
      status: "PUBLISHED",
      group: "00gSalesCloudAdmins1",
    },
    {
      id: 502,
      name: "Workday Payroll Admin",
      app_id: 12345,
      type: "GROUP",
      status: "PUBLISHED",
      group: "00gWorkdayPayroll001",
    },
    {
      id: 503,
      name: "Expense Approver",
      app_id: 12345,
      type: "ROLE",
      status: "PUBLISHED",
      group: "00gExpenseApprover01",
    },
    {
      id: 504,
      name: "GitHub Engineering",
      app_id: 12345,
      type: "GROUP",
      status: "PUBLISHED",
      group: "00gGitHubEngineers01",
    },
    {
      id: 505,
      name: "Azure Subscription Owner",
      app_id: 12346,
      type: "ROLE",
      status: "PUBLISHED",
      group: "azure-sub-owners",
    },
    {
      id: 506,
      name: "Shared Drive: Finance",
      app_id: 12347,
      type: "GROUP",
      status: "DRAFT",
      group: "finance-drive",
    },
  ],
  grants: [
    { id: 7001, user: 9001, entitlement: 501, status: "GRANTED", policy: 3001 },
    { id: 7002, user: 9005, entitlement: 503, status: "GRANTED", expires_at: "2031-03-31T00:00:00Z" },
    { id: 7003, user: 9006, entitlement: 502, status: "GRANTED" },
    { id: 7004, user: 9003, entitlement: 501, status: "REVOKED" },
    { id: 7005, user: 9007, entitlement: 504, status: "EXPIRED" },
    {
      id: 7006,
      user: 9004,
      entitlement: 501,
      status: "EXTENDED",
      expires_at: "2030-12-31T00:00:00Z",
      policy: 3001,
    },
  ],
  policies: [
    {
      id: 3001,
      key: "5f0c9a3e-8b7d-4c21-9e6a-1d2b3c4d5e6f",
      name: "Sales access",
      type: "SELF_SERVICE",
      status: "PUBLISHED",
      is_active: true,
      app_id: 12345,
      entitlements: [501, 503],
    },
  ],
} as const;
