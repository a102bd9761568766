/**
 * Access certifications in the sandbox's org: campaigns and their reviews, kept beside the store (one
 * state per store, so a fresh sandbox starts from the demo data again), and what their lifecycle does to
 * the org's grants. Launching makes the reviews from the grants people hold; ending applies remediation:
 * revoked access, and with `noResponse: DENY` access nobody decided on, is taken away from the grants, so
 * a read of the grants afterwards shows it gone.
 */
import { Prng } from "../kit/prng.js";
import { isoSeconds } from "../kit/time.js";
import {
  type Decision,
  type DemoCampaign,
  type DemoReview,
  OKTA_DEMO_CAMPAIGNS,
  OKTA_DEMO_REVIEWS,
  type RemediationStatus,
  type ReviewItem,
} from "./certification-data.js";
import { type EntitlementRef, OKTA_TOKEN_OWNER_ID } from "./data.js";
import { type Audit, type GrantRec, type OktaStore, withoutValues } from "./store.js";

export interface CampaignRec extends Omit<DemoCampaign, "created">, Audit {}

export interface ReviewRec extends Omit<DemoReview, "created">, Audit {
  /** The id of the review's current note (Okta gives notes ids of their own). */
  noteId?: string;
}

export class Certifications {
  readonly campaigns = new Map<string, CampaignRec>();
  readonly reviews = new Map<string, ReviewRec>();
  /** Ids of what launches make: random-looking, the same on every run. */
  private readonly ids = new Prng(0x1c1c0de5);

  constructor(private readonly store: OktaStore) {
    if (store.cfg.seed !== "demo") return;
    for (const c of OKTA_DEMO_CAMPAIGNS) {
      this.campaigns.set(c.id, {
        ...structuredClone(c),
        createdBy: OKTA_TOKEN_OWNER_ID,
        lastUpdated: c.status === "SCHEDULED" ? c.created : c.startDate,
        lastUpdatedBy: OKTA_TOKEN_OWNER_ID,
        created: c.created,
      });
    }
    for (const r of OKTA_DEMO_REVIEWS) {
      const stamp = r.decided ?? r.created;
      this.reviews.set(r.id, {
        ...structuredClone(r),
        ...(r.note ? { noteId: this.noteId() } : {}),
        created: r.created,
        createdBy: OKTA_TOKEN_OWNER_ID,
        lastUpdated: stamp,
        lastUpdatedBy: r.decided ? r.reviewerId : OKTA_TOKEN_OWNER_ID,
      });
    }
  }

  /** A new id with Okta's prefix (`icr` reviews, `ici` campaigns), unique among certifications. */
  newId(prefix: string): string {
    for (;;) {
      const id = prefix + this.ids.chars(17);
      if (!this.campaigns.has(id) && !this.reviews.has(id)) return id;
    }
  }

  noteId(): string {
    return `not${this.ids.chars(17)}`;
  }

  reviewsOf(campaignId: string): ReviewRec[] {
    return [...this.reviews.values()].filter((r) => r.campaignId === campaignId);
  }

  /** The campaign's end date: its start plus its duration. */
  endDate(c: CampaignRec): string {
    return isoSeconds(Date.parse(c.startDate) + c.durationInDays * 86_400_000);
  }

  /**
   * Launches a SCHEDULED campaign: it starts now, and each person's access to its apps becomes reviews (a
   * review per bundle they were granted, and per value other grants give them and they hold).
   */
  launch(c: CampaignRec): void {
    const audit = this.store.stamp();
    c.status = "ACTIVE";
    c.startDate = audit.lastUpdated;
    this.store.touch(c, audit);
    for (const appId of c.appIds) {
      const users = new Set(
        [...this.store.grants.values()]
          .filter((g) => g.appId === appId && this.store.grantStatus(g) === "ACTIVE")
          .map((g) => g.userId),
      );
      for (const userId of [...users].sort()) {
        for (const item of this.itemsHeld(userId, appId)) {
          const review: ReviewRec = {
            id: this.newId("icr"),
            campaignId: c.id,
            principalId: userId,
            appId,
            item,
            reviewerId: this.reviewerFor(c, userId),
            decision: "UNREVIEWED",
            remediationStatus: "NONE",
            ...audit,
          };
          this.reviews.set(review.id, review);
        }
      }
    }
  }

  /** Who reviews a person's access: the campaign's reviewer, or its fallback (the sandbox knows no managers). */
  private reviewerFor(c: CampaignRec, userId: string): string {
    const s = c.reviewerSettings;
    const reviewer = s.type === "USER" ? s.reviewerId : s.fallBackReviewerId;
    if (reviewer === userId && s.selfReviewDisabled && s.fallBackReviewerId) return s.fallBackReviewerId;
    return reviewer ?? OKTA_TOKEN_OWNER_ID;
  }

  /** What a person holds in an app, as review items: their bundles, then the values their other grants give. */
  private itemsHeld(userId: string, appId: string): ReviewItem[] {
    const grants = this.store.activeGrants(userId, appId).filter((g) => g.action === "ALLOW");
    const held = this.store.effective(userId, appId);
    const items: ReviewItem[] = [];
    const seen = new Set<string>();
    for (const g of grants) {
      if (g.grantType === "ENTITLEMENT-BUNDLE" && g.entitlementBundleId) {
        if (seen.has(g.entitlementBundleId)) continue;
        seen.add(g.entitlementBundleId);
        items.push({ kind: "bundle", bundleId: g.entitlementBundleId });
        continue;
      }
      for (const ref of this.store.grantRefs(g)) {
        const ids = ref.values.length > 0 ? ref.values.map((v) => v.id) : this.valueIdsOf(ref);
        for (const valueId of ids) {
          if (seen.has(valueId) || !held.get(ref.id)?.has(valueId)) continue;
          seen.add(valueId);
          items.push({ kind: "value", entitlementId: ref.id, valueId });
        }
      }
    }
    return items;
  }

  private valueIdsOf(ref: EntitlementRef): string[] {
    return this.store.entitlements.get(ref.id)?.valueIds ?? [];
  }

  /**
   * Records a reviewer's decision (the sandbox's control surface: reviewers decide in Okta's UI). Revoked
   * access waits for the campaign's end when its remediation is DENY.
   */
  decide(r: ReviewRec, decision: Exclude<Decision, "UNREVIEWED">, note: string | undefined): void {
    const c = this.campaigns.get(r.campaignId) as CampaignRec;
    const audit = this.store.stamp();
    r.decision = decision;
    r.decided = audit.lastUpdated;
    r.remediationStatus = decision === "REVOKE" && c.remediation.accessRevoked === "DENY" ? "OPEN" : "NONE";
    if (note !== undefined) {
      r.note = note;
      r.noteId = this.noteId();
    }
    r.lastUpdated = audit.lastUpdated;
    r.lastUpdatedBy = r.reviewerId;
  }

  /** Hands reviews to another reviewer, with the note that justifies it. */
  reassign(reviews: ReviewRec[], reviewerId: string, note: string): void {
    const audit = this.store.stamp();
    for (const r of reviews) {
      r.reviewerId = reviewerId;
      r.note = note;
      r.noteId = this.noteId();
      this.store.touch(r, audit);
    }
  }

  /**
   * Ends an ACTIVE campaign: COMPLETED, and remediation applied to its reviews. Revoked decisions are
   * remediated when `accessRevoked` is DENY; reviews nobody decided on when `noResponse` is DENY, unless
   * `skipRemediation` (the spec: "to skip remediation in cases where remediationSetting.noResponse=DENY").
   */
  end(c: CampaignRec, skipRemediation: boolean): void {
    const audit = this.store.stamp();
    c.status = "COMPLETED";
    this.store.touch(c, audit);
    for (const r of this.reviewsOf(c.id)) {
      const revoked =
        r.decision === "REVOKE" && c.remediation.accessRevoked === "DENY" && pending(r.remediationStatus);
      const unanswered =
        r.decision === "UNREVIEWED" && c.remediation.noResponse === "DENY" && !skipRemediation;
      if (!revoked && !unanswered) continue;
      this.remediate(r, audit);
      r.remediationStatus = "SUCCESS";
      this.store.touch(r, audit);
    }
  }

  /** Takes the reviewed access away from the person's grants (what revoke-principal-access does for one item). */
  private remediate(r: ReviewRec, audit: Audit): void {
    const grants = this.store.activeGrants(r.principalId, r.appId);
    const end = (g: GrantRec) => {
      g.status = "INACTIVE";
      this.store.touch(g, audit);
    };
    if (r.item.kind === "app") {
      for (const g of grants) end(g);
      return;
    }
    if (r.item.kind === "bundle") {
      const bundleId = r.item.bundleId;
      for (const g of grants) if (g.action === "ALLOW" && g.entitlementBundleId === bundleId) end(g);
      return;
    }
    const { entitlementId, valueId } = r.item;
    const gone = new Set([valueId]);
    for (const g of grants) {
      if (g.action !== "ALLOW" || !g.entitlements?.some((e) => e.values.some((v) => v.id === valueId)))
        continue;
      g.entitlements = withoutValues(g.entitlements, gone);
      // An additive grant left giving nothing ends; a base grant stays the base.
      if (g.grantType === "ENTITLEMENT" && g.entitlements.length === 0) g.status = "INACTIVE";
      this.store.touch(g, audit);
    }
    // Still given by a bundle, a whole entitlement or the policy: deny it with an additive DENY grant.
    if (this.store.effective(r.principalId, r.appId).get(entitlementId)?.has(valueId)) {
      const deny: GrantRec = {
        id: this.store.newId("gra"),
        seq: this.store.nextSeq(),
        grantType: "ENTITLEMENT",
        userId: r.principalId,
        appId: r.appId,
        action: "DENY",
        actor: "API",
        status: "ACTIVE",
        entitlements: [{ id: entitlementId, values: [{ id: valueId }] }],
        ...audit,
      };
      this.store.grants.set(deny.id, deny);
    }
  }
}

/** Remediation still to do: anything but done (SUCCESS) or handed to a person (MANUAL). */
export function pending(status: RemediationStatus): boolean {
  return status !== "SUCCESS" && status !== "MANUAL";
}

const states = new WeakMap<OktaStore, Certifications>();

/** The certifications of one sandbox's org. */
export function certificationsOf(store: OktaStore): Certifications {
  let state = states.get(store);
  if (!state) {
    state = new Certifications(store);
    states.set(store, state);
  }
  return state;
}
