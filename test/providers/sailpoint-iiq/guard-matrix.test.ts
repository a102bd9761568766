/**
 * The guard matrix for iiq_request_access (test/helpers/guard-matrix.ts runs it): a removal (a revoke) and
 * an addition no approver stands in front of (a grant) execute exactly when a person confirmed them, and a
 * preview goes stale when IdentityIQ changes the identity behind the server's back.
 */
import type { Sandbox } from "../../../src/sandbox/index.js";
import { asRequested, DANA, DIEGO, SELF_SERVICE, VPN_USERS } from "../../fixtures/sailpoint-iiq.js";
import { type GuardCase, guardMatrix } from "../../helpers/guard-matrix.js";
import { holdings, provisionDirectly } from "./sandbox.js";

const LAUNCH = { method: "POST", path: "/identityiq/scim/v2/LaunchedWorkflows" };
const DOMAIN_USERS = {
  application: "AD",
  attribute: "memberOf",
  value: "CN=Domain Users,OU=Groups,DC=acme,DC=example",
};

/** Another IdentityIQ client changes what the identity holds: the preview the person saw is stale. */
const changeHoldings = (userName: string) => async (sandbox: Sandbox) => {
  await provisionDirectly(sandbox, userName, DOMAIN_USERS, "Remove");
};

const CASES: GuardCase[] = [
  {
    tool: "iiq_request_access",
    args: {
      identityName: DANA.userName,
      operation: "Remove",
      entitlement: asRequested(VPN_USERS),
      justification: "Moved to an office role",
    },
    otherArgs: {
      identityName: DANA.userName,
      operation: "Remove",
      entitlement: DOMAIN_USERS,
      justification: "Moved to an office role",
    },
    write: LAUNCH,
    readBack: (sandbox) => holdings(sandbox, DANA.userName),
    changeTarget: changeHoldings(DANA.userName),
  },
  {
    tool: "iiq_request_access",
    args: {
      identityName: DIEGO.userName,
      operation: "Add",
      entitlement: asRequested(SELF_SERVICE),
      justification: "Needs his payslips",
    },
    otherArgs: {
      identityName: DIEGO.userName,
      operation: "Add",
      entitlement: asRequested(SELF_SERVICE),
      justification: "Needs his payslips and tax forms",
    },
    write: LAUNCH,
    readBack: (sandbox) => holdings(sandbox, DIEGO.userName),
    changeTarget: changeHoldings(DIEGO.userName),
  },
];

guardMatrix(CASES);
