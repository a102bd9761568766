/**
 * The org's access requests, beside its entitlements (one per sandbox, over the same OktaStore): the
 * catalog derived from the apps and bundles, request conditions and approval sequences, risk rules, and
 * requests with their lifecycle. A request is SUBMITTED, then PENDING until its approver decides (the
 * sandbox's control surface acts for them), or APPROVED at once when its sequence names no approver; an
 * approval is fulfilled as a real ENTITLEMENT-BUNDLE grant (actor ACCESS_REQUEST) in the store's grants.
 */
import { stableId } from "../kit/prng.js";
import { isoSeconds } from "../kit/time.js";
import { OKTA_TOKEN_OWNER_ID } from "./data.js";
import {
  type Approver,
  type DemoCondition,
  type DemoField,
  type DemoMessage,
  type DemoRiskRule,
  type DemoSequence,
  FIXED_ENTRY_IDS,
  OKTA_APP_OWNERS,
  OKTA_DEMO_CONDITIONS,
  OKTA_DEMO_REQUESTS,
  OKTA_DEMO_RISK_RULES,
  OKTA_DEMO_SEQUENCES,
  OKTA_MANAGERS,
  type RequestStatus,
} from "./requests-data.js";
import { type Conflict, conflictsOf, valuesOfRefs } from "./risk-engine.js";
import type { AppRec, Audit, BundleRec, GrantRec, OktaStore } from "./store.js";

/** A catalog entry: an app (a parent), or one of its bundles (a child). */
export interface EntryRec {
  id: string;
  name: string;
  description?: string;
  app: AppRec;
  /** The bundle a child entry requests; undefined for an app's entry. */
  bundle?: BundleRec;
  /** The parent entry's id (children only). */
  parent?: string;
}

export type ConditionRec = DemoCondition & Audit;
export type SequenceRec = DemoSequence;
export type RiskRuleRec = DemoRiskRule & Audit;

export interface FieldValue {
  id: string;
  label?: string;
  type?: DemoField["type"];
  value?: string;
  values?: string[];
}

export interface Decision {
  deciderId: string;
  decision: "APPROVE" | "DENY";
  decided: string;
}

export interface RequestRec extends Audit {
  id: string;
  status: RequestStatus;
  resolved?: string;
  grantStatus?: "PENDING" | "GRANTED" | "FAILED";
  granted?: string;
  requestedBy: string;
  requestedFor: string;
  entryId: string;
  appId: string;
  bundleId: string;
  conditionId: string;
  sequenceId: string;
  accessDuration?: string;
  fieldValues: FieldValue[];
  decisions: Decision[];
  riskRules: { name: string; resourceName: string }[];
  grantId?: string;
  messages: DemoMessage[];
}

/** Risk settings of every resource in the demo org: a conflict is shown, and the condition's sequence decides. */
export const RISK_SUBMISSION = "ALLOWED_WITH_NO_OVERRIDES";

export class OktaRequests {
  readonly conditions = new Map<string, ConditionRec>();
  readonly sequences = new Map<string, SequenceRec>();
  readonly riskRules = new Map<string, RiskRuleRec>();
  readonly requests = new Map<string, RequestRec>();

  constructor(readonly store: OktaStore) {
    for (const s of OKTA_DEMO_SEQUENCES) this.sequences.set(s.id, s);
    if (store.cfg.seed !== "demo") return;
    const by = (created: string): Audit => ({
      created,
      createdBy: OKTA_TOKEN_OWNER_ID,
      lastUpdated: created,
      lastUpdatedBy: OKTA_TOKEN_OWNER_ID,
    });
    for (const c of OKTA_DEMO_CONDITIONS) this.conditions.set(c.id, { ...c, ...by(c.created) });
    for (const r of OKTA_DEMO_RISK_RULES) this.riskRules.set(r.id, { ...r, ...by(r.created) });
    for (const r of OKTA_DEMO_REQUESTS) this.loadRequest(r);
  }

  private loadRequest(r: (typeof OKTA_DEMO_REQUESTS)[number]): void {
    const entry = this.entryOfBundle(r.bundleId);
    const condition = entry && this.conditionFor(entry);
    if (!entry || !condition) throw new Error(`demo data: request ${r.id} has no requestable entry`);
    const sequence = this.sequences.get(condition.sequenceId) as SequenceRec;
    const field = sequence.fields.find((f) => f.type === "TEXT");
    const decided = r.decision?.decided ?? r.created;
    const grant = r.grantId ? this.store.grants.get(r.grantId) : undefined;
    const rec: RequestRec = {
      id: r.id,
      status: r.status,
      requestedBy: r.requestedBy,
      requestedFor: r.requestedFor,
      entryId: entry.id,
      appId: entry.app.id,
      bundleId: r.bundleId,
      conditionId: condition.id,
      sequenceId: sequence.id,
      fieldValues:
        field && r.justification
          ? [{ id: field.id, label: field.label, type: field.type, value: r.justification }]
          : [],
      decisions: r.decision
        ? [
            {
              deciderId: r.decision.deciderId,
              decision: r.status === "DENIED" ? "DENY" : "APPROVE",
              decided: r.decision.decided,
            },
          ]
        : [],
      riskRules: [],
      messages: r.messages.map((m) => ({ ...m })),
      created: r.created,
      createdBy: r.requestedBy,
      lastUpdated: grant?.created ?? (r.status === "PENDING" ? r.created : decided),
      lastUpdatedBy: r.decision?.deciderId ?? r.requestedBy,
      ...(r.status !== "PENDING" ? { resolved: decided } : {}),
      ...(grant ? { grantStatus: "GRANTED" as const, granted: grant.created, grantId: grant.id } : {}),
    };
    this.requests.set(rec.id, rec);
  }

  // ---- the catalog ----

  /** The entry of an app (its parent entry) or of a bundle. */
  entryIdOf(app: AppRec, bundle?: BundleRec): string {
    if (!bundle) return stableId("cen", `app/${app.id}`);
    return FIXED_ENTRY_IDS[bundle.id] ?? stableId("cen", `bundle/${bundle.id}`);
  }

  /** Every entry, parents (opted-in apps) each followed by their ACTIVE bundles, in name order. */
  entries(): EntryRec[] {
    const out: EntryRec[] = [];
    const apps = [...this.store.apps.values()]
      .filter((a) => a.entitlementManagement)
      .sort((a, b) => a.label.localeCompare(b.label));
    for (const app of apps) {
      const parent = this.entryIdOf(app);
      out.push({ id: parent, name: app.label, description: `The ${app.label} app`, app });
      const bundles = [...this.store.bundles.values()]
        .filter((b) => b.appId === app.id && b.status === "ACTIVE")
        .sort((a, b) => a.name.localeCompare(b.name));
      for (const bundle of bundles) {
        out.push({
          id: this.entryIdOf(app, bundle),
          name: bundle.name,
          ...(bundle.description ? { description: bundle.description } : {}),
          app,
          bundle,
          parent,
        });
      }
    }
    return out;
  }

  entry(id: string): EntryRec | undefined {
    return this.entries().find((e) => e.id === id);
  }

  entryOfBundle(bundleId: string): EntryRec | undefined {
    return this.entries().find((e) => e.bundle?.id === bundleId);
  }

  /** The ACTIVE conditions of an app, highest priority first. */
  conditionsOf(appId: string): ConditionRec[] {
    return [...this.conditions.values()]
      .filter((c) => c.appId === appId)
      .sort((a, b) => a.priority - b.priority || a.id.localeCompare(b.id));
  }

  /**
   * The condition that decides a request for the entry: the highest-priority ACTIVE one whose access scope
   * holds the entry's bundle (every demo condition lets everyone request). App entries have none: the demo
   * org offers bundles only.
   */
  conditionFor(entry: EntryRec): ConditionRec | undefined {
    const bundleId = entry.bundle?.id;
    if (!bundleId) return undefined;
    return this.conditionsOf(entry.app.id).find(
      (c) => c.status === "ACTIVE" && c.bundleIds.includes(bundleId),
    );
  }

  /** True when the entry, or (for an app) one of its bundles, can be requested. */
  requestable(entry: EntryRec): boolean {
    if (entry.bundle) return this.conditionFor(entry) !== undefined;
    return this.entries().some((e) => e.parent === entry.id && this.conditionFor(e) !== undefined);
  }

  /** What the approver of a sequence is, for a request for `userId` in `appId`. */
  approverOf(approver: Approver, userId: string, appId: string): string {
    if (approver === "MANAGER") return OKTA_MANAGERS[userId] ?? OKTA_TOKEN_OWNER_ID;
    return OKTA_APP_OWNERS[appId] ?? OKTA_TOKEN_OWNER_ID;
  }

  // ---- risk ----

  /** The rules a user would break by gaining values in an app (undefined: the rules they break now). */
  conflicts(userId: string, appId: string, valueIds: readonly string[] | undefined): Conflict[] {
    return conflictsOf(this, userId, appId, valueIds);
  }

  // ---- the request lifecycle ----

  /**
   * Files a request (its fields already checked): it answers SUBMITTED, then waits for its approver
   * (PENDING), or is approved and fulfilled at once when its sequence names nobody.
   */
  file(
    entry: EntryRec & { bundle: BundleRec },
    condition: ConditionRec,
    who: { requestedFor: string; requestedBy: string },
    fieldValues: FieldValue[],
  ): { submitted: RequestRec; now: RequestRec } {
    const audit = this.store.stamp();
    const valueIds = valuesOfRefs(this.store, entry.bundle.entitlements);
    const rec: RequestRec = {
      id: this.store.newId("req"),
      status: "SUBMITTED",
      requestedBy: who.requestedBy,
      requestedFor: who.requestedFor,
      entryId: entry.id,
      appId: entry.app.id,
      bundleId: entry.bundle.id,
      conditionId: condition.id,
      sequenceId: condition.sequenceId,
      ...(condition.duration ? { accessDuration: condition.duration } : {}),
      fieldValues,
      decisions: [],
      riskRules: this.conflicts(who.requestedFor, entry.app.id, valueIds)
        .slice(0, 5)
        .map((c) => ({ name: c.rule.name, resourceName: entry.app.label })),
      messages: [],
      ...audit,
      createdBy: who.requestedBy,
    };
    const submitted = structuredClone(rec);
    this.requests.set(rec.id, rec);
    const sequence = this.sequences.get(condition.sequenceId);
    if (sequence?.approver === "NONE") this.approve(rec, undefined);
    else rec.status = "PENDING";
    return { submitted, now: rec };
  }

  /** Approves a request (`deciderId` undefined: no approver, auto-approved) and fulfils it. */
  approve(rec: RequestRec, deciderId: string | undefined): void {
    const audit = this.store.stamp();
    rec.status = "APPROVED";
    rec.resolved = audit.lastUpdated;
    if (deciderId) rec.decisions.push({ deciderId, decision: "APPROVE", decided: audit.lastUpdated });
    rec.lastUpdated = audit.lastUpdated;
    rec.lastUpdatedBy = deciderId ?? audit.lastUpdatedBy;
    const bundle = this.store.bundles.get(rec.bundleId);
    if (bundle?.status !== "ACTIVE") {
      // What was approved no longer exists: nothing can be granted.
      rec.grantStatus = "FAILED";
      return;
    }
    const g: GrantRec = {
      id: this.store.newId("gra"),
      seq: this.store.nextSeq(),
      grantType: "ENTITLEMENT-BUNDLE",
      userId: rec.requestedFor,
      appId: bundle.appId,
      entitlementBundleId: bundle.id,
      action: "ALLOW",
      actor: "ACCESS_REQUEST",
      status: "ACTIVE",
      ...(rec.accessDuration
        ? { scheduleSettings: { expirationDate: expiry(audit.lastUpdated, rec.accessDuration) } }
        : {}),
      ...audit,
    };
    this.store.grants.set(g.id, g);
    rec.grantStatus = "GRANTED";
    rec.granted = audit.lastUpdated;
    rec.grantId = g.id;
  }

  deny(rec: RequestRec, deciderId: string): void {
    const audit = this.store.stamp();
    rec.status = "DENIED";
    rec.resolved = audit.lastUpdated;
    rec.decisions.push({ deciderId, decision: "DENY", decided: audit.lastUpdated });
    rec.lastUpdated = audit.lastUpdated;
    rec.lastUpdatedBy = deciderId;
  }

  /** Adds a message, authored by the admin the API token belongs to. */
  addMessage(rec: RequestRec, message: string): void {
    const audit = this.store.stamp();
    rec.messages.push({ message, authorId: audit.createdBy, created: audit.created });
  }
}

/** The end of an access that starts at `start` and lasts `duration` (P<n>D, P<n>W or PT<n>H). */
function expiry(start: string, duration: string): string {
  const m = /^P(?:(\d+)W|(\d+)D|T(\d+)H)$/.exec(duration);
  const hours = m ? Number(m[1] ?? 0) * 168 + Number(m[2] ?? 0) * 24 + Number(m[3] ?? 0) : 0;
  return isoSeconds(Date.parse(start) + hours * 3_600_000);
}
