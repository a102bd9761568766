/**
 * The Okta org's state, in memory, per sandbox: apps, users, entitlements and their values, bundles and
 * grants, loaded from the demo data; ids, and a logical clock that moves at least one second per write
 * (clients use `lastUpdated` as a version); and what grants add up to (effective access).
 */
import { Prng } from "../kit/prng.js";
import { isoSeconds } from "../kit/time.js";
import {
  type DemoApp,
  type DemoBundle,
  type DemoEntitlement,
  type DemoGrant,
  type DemoUser,
  type DemoValue,
  type EntitlementRef,
  type GrantStatus,
  OKTA_DEMO_APPS,
  OKTA_DEMO_BUNDLES,
  OKTA_DEMO_ENTITLEMENTS,
  OKTA_DEMO_GRANTS,
  OKTA_DEMO_USERS,
  OKTA_SCALE_APP,
  OKTA_TOKEN_OWNER_ID,
  scaleEntitlement,
} from "./data.js";
import { appOrn, bundleOrn, userOrn, valueOrn } from "./orn.js";

export interface OktaStoreConfig {
  /** The sandbox's own URL (known once it listens): every href is absolute. */
  baseUrl: () => string;
  seed: "demo" | "empty";
  scale: number;
  now: () => number;
}

export interface Audit {
  created: string;
  createdBy: string;
  lastUpdated: string;
  lastUpdatedBy: string;
}

export interface AppRec extends DemoApp {
  lastUpdated: string;
  orn: string;
}

export interface UserRec {
  id: string;
  status: "ACTIVE";
  created: string;
  lastUpdated: string;
  orn: string;
  profile: Omit<DemoUser, "id" | "created">;
}

interface Parent {
  externalId: string;
  type: "APPLICATION";
}

export interface EntRec extends Omit<DemoEntitlement, "values">, Audit {
  valueIds: string[];
  parent: Parent;
  parentResourceOrn: string;
}

export interface ValRec extends DemoValue, Audit {
  entitlementId: string;
  orn: string;
}

export interface BundleRec extends DemoBundle, Audit {
  orn: string;
  target: Parent;
  targetResourceOrn: string;
}

export type Schedule = NonNullable<DemoGrant["scheduleSettings"]>;

export interface GrantRec extends DemoGrant, Audit {
  /** Creation order: additive grants apply in this order. */
  seq: number;
}

export class OktaStore {
  readonly apps = new Map<string, AppRec>();
  readonly users = new Map<string, UserRec>();
  readonly entitlements = new Map<string, EntRec>();
  readonly entitlementsByApp = new Map<string, Set<string>>();
  readonly values = new Map<string, ValRec>();
  readonly bundles = new Map<string, BundleRec>();
  readonly grants = new Map<string, GrantRec>();

  private readonly ids = new Prng(0x0c7a5eed);
  private pendingScale: number;
  private lastWrite = 0;
  private seq = 0;
  /** Bumped by every write; list results are cached per version. */
  version = 0;
  readonly listCache = new Map<string, { version: number; items: unknown[]; index: Map<string, number> }>();

  constructor(readonly cfg: OktaStoreConfig) {
    this.pendingScale = Math.max(0, Math.floor(cfg.scale));
    this.load();
  }

  private load(): void {
    const demo = this.cfg.seed === "demo";
    const apps = this.pendingScale > 0 ? [...OKTA_DEMO_APPS, OKTA_SCALE_APP] : OKTA_DEMO_APPS;
    for (const a of apps) {
      this.apps.set(a.id, {
        id: a.id,
        name: a.name,
        label: a.label,
        signOnMode: a.signOnMode,
        entitlementManagement: a.entitlementManagement,
        created: a.created,
        lastUpdated: a.created,
        policy: demo ? structuredClone(a.policy) : [],
        orn: appOrn(a),
      });
    }
    for (const u of OKTA_DEMO_USERS) {
      this.users.set(u.id, {
        id: u.id,
        status: "ACTIVE",
        created: u.created,
        lastUpdated: u.created,
        orn: userOrn(u.id),
        profile: {
          firstName: u.firstName,
          lastName: u.lastName,
          email: u.email,
          login: u.login,
          title: u.title,
          department: u.department,
        },
      });
    }
    let latest = Math.max(...[...this.apps.values()].map((a) => Date.parse(a.created)));
    if (demo) {
      for (const e of OKTA_DEMO_ENTITLEMENTS) this.loadEntitlement(e, OKTA_TOKEN_OWNER_ID);
      for (const b of OKTA_DEMO_BUNDLES) {
        const app = this.apps.get(b.appId) as AppRec;
        this.bundles.set(b.id, {
          id: b.id,
          appId: b.appId,
          name: b.name,
          description: b.description,
          status: b.status,
          entitlements: structuredClone(b.entitlements),
          orn: bundleOrn(b.id),
          target: { externalId: app.id, type: "APPLICATION" },
          targetResourceOrn: app.orn,
          created: b.created,
          createdBy: b.createdBy,
          lastUpdated: b.created,
          lastUpdatedBy: b.createdBy,
        });
      }
      for (const g of OKTA_DEMO_GRANTS) {
        this.grants.set(g.id, {
          id: g.id,
          seq: this.nextSeq(),
          grantType: g.grantType,
          userId: g.userId,
          appId: g.appId,
          entitlementBundleId: g.entitlementBundleId,
          action: g.action,
          actor: g.actor,
          status: g.status,
          entitlements: g.entitlements ? structuredClone(g.entitlements) : undefined,
          scheduleSettings: g.scheduleSettings ? { ...g.scheduleSettings } : undefined,
          created: g.created,
          createdBy: g.createdBy,
          lastUpdated: g.created,
          lastUpdatedBy: g.createdBy,
        });
      }
      const stamps = [
        ...[...this.entitlements.values()].map((e) => e.created),
        ...[...this.bundles.values()].map((b) => b.created),
        ...[...this.grants.values()].map((g) => g.created),
      ];
      latest = Math.max(latest, ...stamps.map((s) => Date.parse(s)));
    }
    this.lastWrite = Math.floor(latest / 1000);
  }

  private loadEntitlement(e: DemoEntitlement, by: string): void {
    const app = this.apps.get(e.appId) as AppRec;
    const audit = { created: e.created, createdBy: by, lastUpdated: e.created, lastUpdatedBy: by };
    const rec: EntRec = {
      id: e.id,
      appId: e.appId,
      name: e.name,
      externalValue: e.externalValue,
      description: e.description,
      multiValue: e.multiValue,
      dataType: e.dataType,
      valueIds: e.values.map((v) => v.id),
      parent: { externalId: app.id, type: "APPLICATION" },
      parentResourceOrn: app.orn,
      ...audit,
    };
    this.entitlements.set(rec.id, rec);
    this.indexEntitlement(rec);
    for (const v of e.values) {
      this.values.set(v.id, {
        id: v.id,
        entitlementId: e.id,
        name: v.name,
        externalValue: v.externalValue,
        description: v.description,
        externalId: v.externalId,
        orn: valueOrn(v.id),
        ...audit,
      });
    }
  }

  indexEntitlement(rec: EntRec): void {
    let set = this.entitlementsByApp.get(rec.appId);
    if (!set) {
      set = new Set();
      this.entitlementsByApp.set(rec.appId, set);
    }
    set.add(rec.id);
  }

  /** The scale app's entitlements are built on the first governance request, not at start-up. */
  materializeScale(): void {
    if (this.pendingScale === 0) return;
    const n = this.pendingScale;
    this.pendingScale = 0;
    for (let i = 0; i < n; i++) this.loadEntitlement(scaleEntitlement(i), OKTA_TOKEN_OWNER_ID);
    this.version++;
  }

  /** A new id with Okta's 3-character prefix, unique across every kind of record. */
  newId(prefix: string): string {
    for (;;) {
      const id = prefix + this.ids.chars(17);
      if (
        !this.entitlements.has(id) &&
        !this.values.has(id) &&
        !this.bundles.has(id) &&
        !this.grants.has(id) &&
        !this.users.has(id) &&
        !this.apps.has(id)
      ) {
        return id;
      }
    }
  }

  /** The next grant's creation order. */
  nextSeq(): number {
    return ++this.seq;
  }

  /** A write timestamp: wall clock, but at least one second after the previous write. */
  stamp(): Audit {
    const seconds = Math.max(Math.floor(this.cfg.now() / 1000), this.lastWrite + 1);
    this.lastWrite = seconds;
    this.version++;
    const at = isoSeconds(seconds * 1000);
    return {
      created: at,
      createdBy: OKTA_TOKEN_OWNER_ID,
      lastUpdated: at,
      lastUpdatedBy: OKTA_TOKEN_OWNER_ID,
    };
  }

  touch(rec: Audit, audit: Audit): void {
    rec.lastUpdated = audit.lastUpdated;
    rec.lastUpdatedBy = audit.lastUpdatedBy;
  }

  valuesOf(e: EntRec): ValRec[] {
    return e.valueIds.map((id) => this.values.get(id)).filter((v): v is ValRec => v !== undefined);
  }

  grantStatus(g: GrantRec): GrantStatus {
    if (g.status === "ACTIVE" && g.scheduleSettings) {
      const expires = Date.parse(g.scheduleSettings.expirationDate);
      if (!Number.isNaN(expires) && expires <= this.cfg.now()) return "EXPIRED";
    }
    return g.status;
  }

  /** What a grant gives (or, for DENY, takes): its own refs, its bundle's, or the app's policy. */
  grantRefs(g: GrantRec): EntitlementRef[] {
    switch (g.grantType) {
      case "ENTITLEMENT-BUNDLE": {
        const b = g.entitlementBundleId ? this.bundles.get(g.entitlementBundleId) : undefined;
        return b && b.status === "ACTIVE" ? b.entitlements : [];
      }
      case "POLICY":
        return this.apps.get(g.appId)?.policy ?? [];
      default:
        return g.entitlements ?? [];
    }
  }

  activeGrants(userId: string, appId: string): GrantRec[] {
    return [...this.grants.values()]
      .filter((g) => g.userId === userId && g.appId === appId && this.grantStatus(g) === "ACTIVE")
      .sort((a, b) => a.seq - b.seq);
  }

  /**
   * Effective access: ACTIVE grants in creation order, ALLOW adds, DENY removes (no refs: everything). A
   * reference without values names the entitlement as a whole: every value it has.
   */
  effective(userId: string, appId: string): Map<string, Set<string>> {
    return this.effectiveOf(this.activeGrants(userId, appId));
  }

  /** What `grants` (one user's in one app, in creation order) add up to. */
  effectiveOf(grants: readonly GrantRec[]): Map<string, Set<string>> {
    const allowed = new Map<string, Set<string>>();
    for (const g of grants) {
      const refs = this.grantRefs(g);
      if (g.action === "ALLOW") {
        for (const ref of refs) {
          const set = allowed.get(ref.id) ?? new Set<string>();
          const ids =
            ref.values.length > 0
              ? ref.values.map((v) => v.id)
              : (this.entitlements.get(ref.id)?.valueIds ?? []);
          for (const id of ids) set.add(id);
          allowed.set(ref.id, set);
        }
      } else if (refs.length === 0) {
        allowed.clear();
      } else {
        for (const ref of refs) {
          if (ref.values.length === 0) {
            allowed.delete(ref.id);
            continue;
          }
          const set = allowed.get(ref.id);
          for (const v of ref.values) set?.delete(v.id);
        }
      }
    }
    return allowed;
  }

  /** Forgets values and removes them from every bundle, grant and policy that referenced them. */
  dropValues(ids: string[], audit: Audit): void {
    if (ids.length === 0) return;
    const gone = new Set(ids);
    for (const id of ids) this.values.delete(id);
    const strip = (refs: EntitlementRef[]): EntitlementRef[] | undefined => {
      if (!refs.some((r) => r.values.some((v) => gone.has(v.id)))) return undefined;
      return withoutValues(refs, gone);
    };
    for (const b of this.bundles.values()) {
      const next = strip(b.entitlements);
      if (next) {
        b.entitlements = next;
        this.touch(b, audit);
      }
    }
    for (const g of this.grants.values()) {
      const next = g.entitlements ? strip(g.entitlements) : undefined;
      if (next) {
        g.entitlements = next;
        this.touch(g, audit);
      }
    }
    for (const app of this.apps.values()) app.policy = strip(app.policy) ?? app.policy;
  }
}

/**
 * References without the values in `gone`: an entitlement that loses its last value goes too, one that
 * named no values (all of them) stays.
 */
export function withoutValues(refs: EntitlementRef[], gone: ReadonlySet<string>): EntitlementRef[] {
  return refs
    .map((r) => ({ id: r.id, values: r.values.filter((v) => !gone.has(v.id)), had: r.values.length }))
    .filter((r) => r.values.length > 0 || r.had === 0)
    .map(({ id, values }) => ({ id, values }));
}
