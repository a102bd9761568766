/**
 * What an identity holds and how a plan changes it: a plan's requests resolved to the catalog's entitlements
 * and roles, an identity's holdings as names (what policies name), and provisioning itself (the entitlement
 * on the identity and on its account on the application, an account made when there is none; a role in its
 * assignments). The workflows (workflows.ts) provision through here, and the policy check simulates with it.
 */
import type { Json } from "../kit/json.js";
import { accountSchemaOf, IIQ_APPLICATIONS, IIQ_SCHEMA_USER_EXT, type IiqEntitlementSeed } from "./data.js";
import { IIQ_APPLICATION, type PlanRequest, ROLE_ATTRIBUTE } from "./plan.js";
import { ScimError } from "./scim.js";
import type { IiqStore } from "./store.js";

/** One request of a plan, resolved against the catalog. */
export interface Target {
  kind: "entitlement" | "role";
  op: "Add" | "Remove";
  application: string;
  attribute: string;
  value: string;
  /** The entitlement's displayableName or the role's name. */
  display: string;
  /** The entitlement or role resource. */
  resource: Json;
  comments?: string;
}

/** An entitlement resource as the demo data's seed shape. */
export function seedOf(entitlement: Json): IiqEntitlementSeed {
  const app = (entitlement.application as Json[] | undefined)?.[0];
  return {
    id: String(entitlement.id),
    displayableName: String(entitlement.displayableName),
    type: String(entitlement.type ?? "group"),
    application: String(app?.displayName ?? ""),
    attribute: String(entitlement.attribute),
    value: String(entitlement.value),
    description: "",
    requestable: entitlement.requestable === true,
  };
}

/** The catalog entry a request names: a role by name, or an application's entitlement by attribute and value. */
export function resolve(store: IiqStore, request: PlanRequest): Target {
  const base = {
    op: request.op,
    application: request.application,
    attribute: request.name,
    value: request.value,
  };
  const extra = request.comments === undefined ? {} : { comments: request.comments };
  if (request.application === IIQ_APPLICATION && request.name === ROLE_ATTRIBUTE) {
    const role = store.role(request.value);
    if (!role) throw new ScimError(400, `No role named "${request.value}"`, "invalidValue");
    return { kind: "role", ...base, display: String(role.name), resource: role, ...extra };
  }
  const entitlement = [...store.entitlements.values()].find((e) => {
    const seed = seedOf(e);
    return (
      seed.application === request.application &&
      seed.attribute === request.name &&
      seed.value === request.value
    );
  });
  if (!entitlement) {
    throw new ScimError(
      400,
      `No entitlement ${request.name}="${request.value}" on application "${request.application}" in the catalog`,
      "invalidValue",
    );
  }
  return {
    kind: "entitlement",
    ...base,
    display: String(entitlement.displayableName),
    resource: entitlement,
    ...extra,
  };
}

/** `application\0name` for an entitlement, `\0name` for a role: the keys policies are matched by. */
export const holdingKey = (application: string | undefined, name: string) =>
  `${application ?? ""}\u0000${name}`;

const extensionOf = (user: Json) => user[IIQ_SCHEMA_USER_EXT] as Json;
const listOf = (user: Json, key: string) => ((extensionOf(user)[key] as Json[] | undefined) ?? []) as Json[];

/** What the identity holds, as policy keys. */
export function holdingsOf(user: Json): Set<string> {
  return new Set([
    ...listOf(user, "entitlements").map((e) => holdingKey(String(e.application), String(e.display))),
    ...listOf(user, "roles").map((r) => holdingKey(undefined, String(r.display))),
  ]);
}

/** The holdings after `targets` were provisioned (nothing is changed). */
export function simulate(user: Json, targets: readonly Target[]): Set<string> {
  const held = holdingsOf(user);
  for (const t of targets) {
    const key = holdingKey(t.kind === "role" ? undefined : t.application, t.display);
    if (t.op === "Add") held.add(key);
    else held.delete(key);
  }
  return held;
}

/** Provisions one request on the identity: its holdings, its account on the application, its meta. */
export function provision(store: IiqStore, user: Json, target: Target, at = store.now()): void {
  const ext = extensionOf(user);
  if (target.kind === "role") {
    const roles = listOf(user, "roles").filter((r) => r.value !== target.resource.id);
    ext.roles = target.op === "Add" ? [...roles, store.roleEntry(target.resource)] : roles;
  } else {
    provisionEntitlement(store, user, target, at);
  }
  store.touch(user, at);
}

function provisionEntitlement(store: IiqStore, user: Json, target: Target, at: number): void {
  const ext = extensionOf(user);
  const seed = seedOf(target.resource);
  const app = IIQ_APPLICATIONS.find((a) => a.name === seed.application);
  if (!app)
    throw new ScimError(400, `Application "${seed.application}" cannot be provisioned`, "invalidValue");
  let account = [...store.accounts.values()].find(
    (a) => (a.identity as Json).value === user.id && (a.application as Json).value === app.id,
  );
  if (!account && target.op === "Add") {
    const name = user.name as Json;
    account = store.addAccount(
      {
        id: String(user.id),
        userName: String(user.userName),
        givenName: String(name.givenName),
        familyName: String(name.familyName),
        active: user.active === true,
      },
      app,
      [],
    );
    ext.accounts = [...listOf(user, "accounts"), store.accountEntry(account)];
  }
  const held = listOf(user, "entitlements").filter((e) => e.value !== seed.id);
  ext.entitlements =
    target.op === "Add" ? [...held, store.entitlementEntry(seed, account?.displayName)] : held;
  if (!account) return;
  const attributes = account[accountSchemaOf(app.name)] as Json;
  const values = ((attributes[seed.attribute] as string[] | undefined) ?? []).filter((v) => v !== seed.value);
  attributes[seed.attribute] = target.op === "Add" ? [...values, seed.value] : values;
  account.hasEntitlements = Object.values(attributes).some((v) => Array.isArray(v) && v.length > 0);
  store.touch(account, at);
}
