/**
 * The IdentityIQ instance's state, in memory, per sandbox: applications, entitlements, roles, users and
 * accounts as SCIM resources, the workflows it ships, the workflows launched (their task results: see
 * workflows.ts) and policy violations (policies.ts). Resources carry absolute URLs, so they are built on the
 * first request, once the sandbox's URL is known; the scale catalog too (not at start-up).
 */

import type { Json } from "../kit/json.js";
import {
  accountSchemaOf,
  IIQ_APPLICATIONS,
  IIQ_BASE_PATH,
  IIQ_ENTITLEMENTS,
  IIQ_ROLES,
  IIQ_SCALE_APPLICATION,
  IIQ_SCHEMA_ACCOUNT,
  IIQ_SCHEMA_APPLICATION,
  IIQ_SCHEMA_ENTITLEMENT,
  IIQ_SCHEMA_USER,
  IIQ_SCHEMA_USER_EXT,
  IIQ_USERS,
  IIQ_WORKFLOWS,
  type IiqApplication,
  type IiqEntitlementSeed,
  type IiqRoleSeed,
  type IiqUserSeed,
  iiqId,
  iiqScaleEntitlement,
  SEED_003_ENTITLEMENT,
} from "./data.js";
import type { Launch } from "./workflows.js";

export interface IiqStoreConfig {
  baseUrl: () => string;
  seed: "demo" | "empty";
  scale: number;
  now: () => number;
}

/** IdentityIQ writes millis and the server's zone offset; the sandbox's zone is UTC. */
export function iiqTime(ms: number): string {
  return new Date(ms).toISOString().replace("Z", "+00:00");
}

export const IIQ_SCHEMA_ROLE = "urn:ietf:params:scim:schemas:sailpoint:1.0:Role";
export const IIQ_SCHEMA_WORKFLOW = "urn:ietf:params:scim:schemas:sailpoint:1.0:Workflow";

const CREATED = Date.parse("2025-03-03T09:00:00.000Z");

export class IiqStore {
  readonly entitlements = new Map<string, Json>();
  readonly users = new Map<string, Json>();
  readonly applications = new Map<string, Json>();
  readonly accounts = new Map<string, Json>();
  readonly roles = new Map<string, Json>();
  readonly workflows = new Map<string, Json>();
  /** Launched workflows by their task result's id, in launch order. */
  readonly launches = new Map<string, Launch>();
  readonly violations = new Map<string, Json>();
  /** What the demo loader does once the resources exist (workflows.ts seeds requests and violations). */
  onLoaded: ((store: IiqStore) => void) | undefined;
  private loaded = false;
  private scaleBuilt: boolean;

  constructor(private readonly cfg: IiqStoreConfig) {
    this.scaleBuilt = cfg.scale <= 0;
  }

  now(): number {
    return this.cfg.now();
  }

  /** The SCIM base URL, e.g. `http://127.0.0.1:8787/identityiq/scim/v2`. */
  base(): string {
    return `${this.cfg.baseUrl()}${IIQ_BASE_PATH}`;
  }

  /** A resource's `meta`: created, location, type and version (a weak entity tag, RFC 7644 §3.14). */
  meta(resourceType: string, id: string, at = CREATED): Json {
    return {
      created: iiqTime(at),
      lastModified: iiqTime(at),
      location: `${this.base()}/${resourceType}s/${id}`,
      resourceType,
      version: `W/"${at}"`,
    };
  }

  /** Marks a resource changed now: lastModified and its entity tag move on. */
  touch(resource: Json, at = this.now()): void {
    const meta = resource.meta as Json;
    meta.lastModified = iiqTime(at);
    meta.version = `W/"${at}"`;
  }

  /** A reference to another resource, as the spec writes it on that resource type. */
  ref(type: "Users" | "Applications", id: string, displayName: string, key = "$ref"): Json {
    return { value: id, [key]: `${this.base()}/${type}/${id}`, displayName };
  }

  /** Builds every resource on the first request, and the scale catalog on the first one after that. */
  load(): void {
    if (!this.loaded) {
      this.loaded = true;
      this.loadDemo();
      this.onLoaded?.(this);
    }
    if (!this.scaleBuilt) {
      this.scaleBuilt = true;
      for (let i = 1; i <= this.cfg.scale; i += 1)
        this.addEntitlement(iiqScaleEntitlement(i), IIQ_SCALE_APPLICATION);
    }
  }

  private loadDemo(): void {
    const demo = this.cfg.seed === "demo";
    for (const app of [...IIQ_APPLICATIONS, ...(this.cfg.scale > 0 ? [IIQ_SCALE_APPLICATION] : [])])
      this.addApplication(app);
    if (demo) {
      this.entitlements.set(
        SEED_003_ENTITLEMENT.id,
        structuredClone(SEED_003_ENTITLEMENT) as unknown as Json,
      );
      for (const seed of IIQ_ENTITLEMENTS) {
        const app = IIQ_APPLICATIONS.find((a) => a.name === seed.application);
        if (app) this.addEntitlement(seed, app);
      }
    }
    for (const workflow of IIQ_WORKFLOWS) this.addWorkflow(workflow);
    if (demo) for (const seed of IIQ_ROLES) this.addRole(seed);
    for (const user of IIQ_USERS) this.addUser(user, demo ? user.entitlements : [], demo ? user.roles : []);
  }

  /** A user by id or, case aside, by userName (RFC 7643 §4.1.1: userName is not case-exact). */
  user(key: string): Json | undefined {
    const wanted = key.toLowerCase();
    return (
      this.users.get(key) ?? [...this.users.values()].find((u) => String(u.userName).toLowerCase() === wanted)
    );
  }

  /** A role by id or by name. */
  role(key: string): Json | undefined {
    return this.roles.get(key) ?? [...this.roles.values()].find((r) => r.name === key);
  }

  private addWorkflow(workflow: (typeof IIQ_WORKFLOWS)[number]): void {
    const id = iiqId(`workflow:${workflow.name}`);
    this.workflows.set(id, {
      id,
      schemas: [IIQ_SCHEMA_WORKFLOW],
      name: workflow.name,
      description: workflow.description,
      type: workflow.type,
      handler: "sailpoint.api.StandardWorkflowHandler",
      meta: this.meta("Workflow", id),
    });
  }

  private addRole(seed: IiqRoleSeed): void {
    const owner = iiqId(`user:${seed.owner}`);
    this.roles.set(seed.id, {
      id: seed.id,
      schemas: [IIQ_SCHEMA_ROLE],
      name: seed.name,
      displayableName: seed.name,
      descriptions: [{ locale: "en_US", value: seed.description }],
      type: {
        name: seed.type,
        displayName: seed.type === "it" ? "IT" : "Business",
        manualAssignment: seed.type === "business",
        autoAssignment: false,
        assignmentSelector: seed.type === "business",
        permits: seed.type === "business",
        requirements: seed.type === "business",
        iiq: false,
      },
      active: true,
      owner: this.ref("Users", owner, seed.owner),
      meta: this.meta("Role", seed.id),
    });
  }

  /** A user's role as the User extension lists it. */
  roleEntry(role: Json): Json {
    return {
      value: role.id,
      display: role.name,
      type: (role.type as Json).name,
      acquired: "Assigned",
      $ref: `${this.base()}/Roles/${String(role.id)}`,
    };
  }

  /** A held entitlement as the User extension lists it. */
  entitlementEntry(seed: IiqEntitlementSeed, accountName: unknown): Json {
    return {
      value: seed.id,
      display: seed.displayableName,
      type: seed.type,
      application: seed.application,
      accountName,
      $ref: `${this.base()}/Entitlements/${seed.id}`,
    };
  }

  private addApplication(app: IiqApplication): void {
    const schema = accountSchemaOf(app.name);
    this.applications.set(app.id, {
      id: app.id,
      schemas: [IIQ_SCHEMA_APPLICATION],
      name: app.name,
      type: app.type,
      descriptions: [{ locale: "en_US", value: app.description }],
      ...(app.owner ? { owner: this.ref("Users", iiqId(`user:${app.owner}`), app.owner) } : {}),
      applicationSchemas: { value: schema, type: "account" },
      meta: this.meta("Application", app.id),
    });
  }

  /** A user, and an account on each application one of the entitlements they hold comes from. */
  private addUser(user: IiqUserSeed, holds: string[], roles: string[]): void {
    const displayName = `${user.givenName} ${user.familyName}`;
    const held = holds.flatMap((name) => IIQ_ENTITLEMENTS.filter((e) => e.displayableName === name));
    const accounts = IIQ_APPLICATIONS.flatMap((app) => {
      const onApp = held.filter((e) => e.application === app.name);
      return onApp.length > 0 ? [this.addAccount(user, app, onApp)] : [];
    });
    this.users.set(user.id, {
      id: user.id,
      schemas: [IIQ_SCHEMA_USER, IIQ_SCHEMA_USER_EXT],
      userName: user.userName,
      displayName,
      name: { givenName: user.givenName, familyName: user.familyName, formatted: displayName },
      emails: [{ value: `${user.userName}@acme.example`, type: "work", primary: true }],
      active: user.active,
      meta: this.meta("User", user.id),
      // RFC 7643 §3.3: an extension's attributes sit in a sub-object keyed by its schema URN.
      [IIQ_SCHEMA_USER_EXT]: {
        entitlements: held.map((seed) =>
          this.entitlementEntry(
            seed,
            accounts.find((a) => (a.application as Json).displayName === seed.application)?.displayName,
          ),
        ),
        accounts: accounts.map((a) => this.accountEntry(a)),
        roles: roles.flatMap((name) => {
          const found = this.role(name);
          return found ? [this.roleEntry(found)] : [];
        }),
      },
    });
  }

  /** An account as the User extension lists it. */
  accountEntry(account: Json): Json {
    return {
      value: account.id,
      displayName: account.displayName,
      $ref: `${this.base()}/Accounts/${String(account.id)}`,
    };
  }

  addAccount(
    user: Pick<IiqUserSeed, "id" | "userName" | "givenName" | "familyName" | "active">,
    app: IiqApplication,
    held: IiqEntitlementSeed[],
  ): Json {
    const id = iiqId(`account:${app.name}:${user.userName}`);
    const schema = accountSchemaOf(app.name);
    const attribute = held[0]?.attribute;
    const account: Json = {
      id,
      schemas: [IIQ_SCHEMA_ACCOUNT, schema],
      identity: {
        userName: user.userName,
        displayName: `${user.givenName} ${user.familyName}`,
        value: user.id,
        ref: `${this.base()}/Users/${user.id}`,
      },
      application: this.ref("Applications", app.id, app.name, "ref"),
      nativeIdentity: app.nativeIdentity(user.givenName, user.familyName, user.userName),
      displayName: user.userName,
      active: user.active,
      locked: false,
      manuallyCorrelated: false,
      hasEntitlements: held.length > 0,
      lastRefresh: iiqTime(CREATED),
      meta: this.meta("Account", id),
      // The account's attributes on its application, under the application's account schema.
      [schema]: attribute === undefined ? {} : { [attribute]: held.map((e) => e.value) },
    };
    this.accounts.set(id, account);
    return account;
  }

  private addEntitlement(seed: IiqEntitlementSeed, app: IiqApplication): void {
    const owner = seed.owner ? iiqId(`user:${seed.owner}`) : undefined;
    this.entitlements.set(seed.id, {
      id: seed.id,
      schemas: [IIQ_SCHEMA_ENTITLEMENT],
      displayableName: seed.displayableName,
      type: seed.type,
      attribute: seed.attribute,
      value: seed.value,
      application: [this.ref("Applications", app.id, app.name)],
      owner: owner && seed.owner ? [this.ref("Users", owner, seed.owner)] : [],
      // The spec (and seed 003) give an entitlement one description object, not a list.
      descriptions: { locale: "en_US", value: seed.description },
      requestable: seed.requestable,
      aggregated: true,
      lastRefresh: iiqTime(CREATED),
      meta: this.meta("Entitlement", seed.id),
    });
  }
}
