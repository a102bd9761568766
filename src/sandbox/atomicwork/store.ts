/**
 * The Atomicwork workspace's state, in memory, per sandbox: apps, people, policies, entitlements, grants
 * and each grant's history, loaded from the demo data. Timestamps come from a clock that moves at least
 * one second per write. Records carry the fields the spec's descriptions name (a grant's user,
 * entitlement, app, policy, type, provider, provisioning and revocation status, timestamps).
 */

import type { Json } from "../kit/json.js";
import { isoSeconds } from "../kit/time.js";
import { ATOMICWORK_DEMO } from "./data.js";

export interface AtomicworkStoreConfig {
  seed: "demo" | "empty";
  now: () => number;
}

export class AtomicworkStore {
  readonly apps = new Map<number, Json>();
  readonly entitlements = new Map<number, Json>();
  readonly grants = new Map<number, Json>();
  readonly history = new Map<number, Json[]>();
  readonly users = new Map<number, { id: number; name: string; email: string }>();
  readonly policies = new Map<number, Json>();
  nextEntitlement = 600;
  nextGrant = 7100;
  nextPolicy = 3100;
  clock = Date.parse("2026-01-05T09:00:00Z");

  constructor(private readonly cfg: AtomicworkStoreConfig) {
    for (const app of ATOMICWORK_DEMO.apps) this.apps.set(app.id, { ...app });
    for (const u of ATOMICWORK_DEMO.users) {
      this.users.set(u.id, { ...u, email: `${u.name.toLowerCase().replace(" ", ".")}@acme.example` });
    }
    for (const p of ATOMICWORK_DEMO.policies)
      this.policies.set(p.id, { ...p, entitlements: [...p.entitlements] });
    if (cfg.seed === "demo") {
      for (const e of ATOMICWORK_DEMO.entitlements)
        this.entitlements.set(e.id, this.demoEntitlement(e, this.stamp()));
      for (const g of ATOMICWORK_DEMO.grants) {
        const extra: Json = "expires_at" in g ? { expires_at: g.expires_at } : {};
        if (g.status === "REVOKED") extra.revocation_status = { status: "COMPLETED", schedule_id: null };
        if ("policy" in g) Object.assign(extra, { policy: this.policyRef(g.policy), type: "PREAPPROVED" });
        this.grants.set(g.id, this.grantRecord(g.id, g.user, g.entitlement, g.status, extra));
        this.record(g.id, "GRANTED");
        if (g.status !== "GRANTED") this.record(g.id, g.status);
      }
    }
  }

  /** A write timestamp: the clock, at least one second after the previous one. */
  stamp(): string {
    this.clock = Math.max(this.clock + 1000, this.cfg.now());
    return isoSeconds(this.clock);
  }

  private demoEntitlement(e: (typeof ATOMICWORK_DEMO.entitlements)[number], at: string): Json {
    const provider = (this.apps.get(e.app_id)?.provider as string) ?? "MANUAL";
    const kind = provider === "AZURE_AD" ? "AZURE" : provider;
    return {
      id: e.id,
      name: e.name,
      description: `${e.name} (demo)`,
      app_id: e.app_id,
      type: e.type,
      status: e.status,
      provisioning_config: {
        provider,
        type: `${kind}_GROUP_PROVISIONING`,
        value: { label: e.name, value: e.group },
      },
      deprovisioning_config: {
        provider,
        type: `${kind}_GROUP_DEPROVISIONING`,
        value: { label: e.name, value: e.group },
      },
      created_at: at,
      updated_at: at,
    };
  }

  /** A grant as Atomicwork shows it: the user, entitlement and app named, granted now by the demo admin. */
  grantRecord(id: number, userId: number, entitlementId: number, status: string, extra: Json = {}): Json {
    const user = this.users.get(userId) ?? { id: userId, name: `User ${userId}`, email: "" };
    const ent = this.entitlements.get(entitlementId);
    const app = this.apps.get(Number(ent?.app_id));
    const at = this.stamp();
    return {
      id,
      status,
      type: "APPROVED",
      user,
      entitlement: { id: entitlementId, name: ent?.name },
      app: { id: app?.id, name: app?.name },
      provider: app?.provider ?? "MANUAL",
      granted_by: 9002,
      granted_at: at,
      provisioning_status: "COMPLETED",
      created_at: at,
      updated_at: at,
      ...extra,
    };
  }

  /** A policy as a grant names it: id, key and name. */
  policyRef(id: number): Json {
    const p = this.policies.get(id);
    return { id, key: p?.key, name: p?.name };
  }

  /** The policy with this key, if any. */
  policyByKey(key: string): Json | undefined {
    return [...this.policies.values()].find((p) => p.key === key);
  }

  /** Appends an event to a grant's history. */
  record(grantId: number, event: string): void {
    const list = this.history.get(grantId) ?? [];
    list.push({
      id: list.length + 1,
      event_type: event,
      event_at: this.stamp(),
      event_by: { id: 9002, name: "Priya Raman" },
    });
    this.history.set(grantId, list);
  }
}
