/**
 * The previews of access certification writes, with their effects:
 * - ending a campaign applies its remediation: access reviewers revoked (remediation DENY), and access
 *   nobody decided on (no response DENY, unless skipRemediation) is taken away: each such item is named, by
 *   person and value with what it provisions;
 * - launching one makes and assigns its reviews: nobody's access changes;
 * - reassigning reviews changes who decides them in Okta, not who holds access; a person confirms when the
 *   new reviewer would decide on their own access, or a review could not be read.
 */
import { asObject, type JsonObject } from "../../../src/core/json.js";
import type { Effect, GuardRead, GuardReadParams, GuardState, Preview } from "../../../src/core/operation.js";
import { quote } from "../../../src/core/sanitize.js";
import { eqClause } from "../../../src/core/scim-filter.js";
import { appClause } from "../../params.js";
import type { EndCampaignInput, LaunchCampaignInput } from "../campaigns.js";
import type { ReassignReviewsInput } from "../reviews.js";
import {
  appLabel,
  capLines,
  hasNextPage,
  listData,
  named,
  objects,
  plural,
  str,
  userLabel,
  valueLabel,
} from "./describe.js";
import { userInApp } from "./reads.js";

/** How many review items a read takes in one page; more are said, not listed. */
const PAGE = 200;

/** The campaign a write is about; its 404 fails the call before anything is written. */
export function campaignRead<I extends { campaignId: string }>(): GuardRead<I> {
  return {
    key: "campaign",
    route: "GET /governance/api/v1/campaigns/{campaignId}",
    params: (input) => ({ path: { campaignId: input.campaignId } }),
  };
}

const campaignOf = (state: GuardState) => asObject(state.campaign);
const statusOf = (state: GuardState) => str(campaignOf(state)?.status);
const remediationOf = (state: GuardState) => asObject(campaignOf(state)?.remediationSettings);

/** A campaign as `"Name" (ici…)`. */
function campaignLabel(state: GuardState, id: string): string {
  return `campaign ${named(campaignOf(state)?.name, id)}`;
}

/** A person as a review shows them (principalProfile, reviewerProfile), with their id. */
function person(profile: unknown, fallbackId = "?"): string {
  const p = asObject(profile);
  return userLabel(p ? { profile: p } : undefined, str(p?.id) ?? fallbackId);
}

// ---- ending a campaign ----

/** The reviews of one decision in the campaign, read only while it is ACTIVE (Okta ends nothing else). */
function reviewsRead(
  key: string,
  decision: string,
  when: (input: EndCampaignInput, state: GuardState) => boolean,
) {
  return {
    key,
    route: "GET /governance/api/v1/reviews",
    optional: true,
    params: (input: EndCampaignInput, state: GuardState): GuardReadParams | null =>
      statusOf(state) === "ACTIVE" && when(input, state)
        ? {
            query: {
              filter: `${eqClause("campaignId", input.campaignId)} AND ${eqClause("decision", decision)}`,
              limit: PAGE,
            },
          }
        : null,
  } satisfies GuardRead<EndCampaignInput>;
}

const noResponseRemediated = (input: EndCampaignInput, state: GuardState) =>
  str(remediationOf(state)?.noResponse) === "DENY" && input.skipRemediation !== true;

/** The reads of an end: decisions revoked, and reviews nobody decided on when those are remediated too. */
export const revokedReviewsRead = reviewsRead("revoked", "REVOKE", () => true);
export const unreviewedReviewsRead = reviewsRead("unreviewed", "UNREVIEWED", noResponseRemediated);

type Why = "revoked" | "no response";

/** The reviews an end remediates: revoked decisions not remediated yet, and unanswered ones when DENY. */
export function reviewsToRemediate(
  input: EndCampaignInput,
  state: GuardState,
): { review: JsonObject; why: Why }[] {
  const out: { review: JsonObject; why: Why }[] = [];
  if (str(remediationOf(state)?.accessRevoked) === "DENY") {
    for (const review of listData(state.revoked)) {
      const status = str(review.remediationStatus);
      if (status !== "SUCCESS" && status !== "MANUAL") out.push({ review, why: "revoked" });
    }
  }
  if (noResponseRemediated(input, state)) {
    for (const review of listData(state.unreviewed)) out.push({ review, why: "no response" });
  }
  // Grouped by person, so each one's losses read together.
  const key = (r: JsonObject) => `${person(r.principalProfile)} ${str(r.id)}`;
  return out.sort((a, b) => (key(a.review) < key(b.review) ? -1 : 1));
}

const unique = (ids: (string | undefined)[]) => [...new Set(ids.filter((id): id is string => !!id))].sort();
const appOfReview = (r: JsonObject) => str(r.resourceId);
const valueOfReview = (r: JsonObject) => asObject(r.entitlementValue);
const bundleOfReview = (r: JsonObject) => asObject(r.entitlementBundle);
const isAppReview = (r: JsonObject) => !valueOfReview(r) && !bundleOfReview(r);

/** The apps of the items an end remediates. */
export const remediatedApps = (input: EndCampaignInput, state: GuardState) =>
  unique(reviewsToRemediate(input, state).map(({ review }) => appOfReview(review)));

/** The apps whose values those items name: their entitlements and values are read for what they provision. */
export const appsOfValues = (input: EndCampaignInput, state: GuardState) =>
  unique(
    reviewsToRemediate(input, state)
      .filter(({ review }) => valueOfReview(review))
      .map(({ review }) => appOfReview(review)),
  );

/** The bundles those items name, read with what they give. */
export const remediatedBundles = (input: EndCampaignInput, state: GuardState) =>
  unique(reviewsToRemediate(input, state).map(({ review }) => str(bundleOfReview(review)?.id)));

/** For items about an app as a whole: what the person holds there, one filter per person and app. */
export const appAccessFilters = (input: EndCampaignInput, state: GuardState) =>
  unique(
    reviewsToRemediate(input, state)
      .filter(({ review }) => isAppReview(review))
      .map(({ review }) => {
        const appId = appOfReview(review);
        const userId = str(asObject(review.principalProfile)?.id);
        return appId && userId ? userInApp("parent", appId, userId) : undefined;
      }),
  );

/** A page of an app's entitlements or values, one read per app. */
export function perAppList<I>(
  key: string,
  route: "GET /governance/api/v1/entitlements" | "GET /governance/api/v1/entitlements/values",
  apps: (input: I, state: GuardState) => string[],
): GuardRead<I> {
  return {
    key,
    route,
    optional: true,
    params: (input, state) => {
      const ids = apps(input, state);
      return ids.length === 0
        ? null
        : ids.map((appId) => ({ query: { filter: appClause("parent")(appId), limit: PAGE } }));
    },
  };
}

/** What the reads know of entitlements and values: names and what each value provisions. */
interface Known {
  entitlementNames: Map<string, string>;
  values: Map<string, JsonObject>;
  bundles: Map<string, JsonObject>;
  apps: Map<string, JsonObject>;
}

function known(state: GuardState): Known {
  const pages = (value: unknown) => objects(value).flatMap((page) => listData(page));
  const byId = (items: JsonObject[]) => new Map(items.map((o) => [str(o.id) ?? "", o]));
  const entitlementNames = new Map<string, string>();
  for (const e of pages(state.entitlements)) {
    const id = str(e.id);
    const name = str(e.name);
    if (id && name) entitlementNames.set(id, name);
  }
  return {
    entitlementNames,
    values: byId(pages(state.values)),
    bundles: byId(objects(state.bundles)),
    apps: byId(objects(state.apps)),
  };
}

/** A value named with its entitlement and what it provisions, as far as the reads know. */
function valueText(id: string, fallbackName: string | undefined, k: Known): string {
  const v = k.values.get(id);
  if (!v) return `value ${named(fallbackName, id)} (what it provisions could not be read)`;
  const entitlement = k.entitlementNames.get(str(v.entitlementId) ?? "");
  return valueLabel(entitlement, {
    id,
    name: str(v.name) ?? fallbackName,
    externalValue: str(v.externalValue),
  });
}

/** The lines naming what one remediated item takes from its person. */
function itemLines(review: JsonObject, why: Why, k: Known, state: GuardState): string[] {
  const who = person(review.principalProfile);
  const appId = appOfReview(review);
  const where = appLabel(k.apps.get(appId ?? ""), appId);
  const by =
    why === "revoked"
      ? `revoked by ${person(review.reviewerProfile)}`
      : `no decision; the campaign's no-response remediation is DENY`;
  const value = valueOfReview(review);
  const bundle = bundleOfReview(review);
  if (value) {
    const id = str(value.id) ?? "?";
    return [`${who} loses ${valueText(id, str(value.name), k)} in ${where} (${by}).`];
  }
  if (bundle) {
    const id = str(bundle.id) ?? "?";
    const read = k.bundles.get(id);
    const lines = [
      `${who} loses the bundle ${named(str(read?.name) ?? str(bundle.name), id)} in ${where} (${by}); it gives:`,
    ];
    const entitlements = objects(read?.entitlements);
    if (!read) lines.push(`what the bundle ${id} gives could not be read`);
    for (const e of entitlements) {
      for (const v of objects(e.values)) {
        lines.push(
          `gives ${valueLabel(str(e.name), { id: str(v.id), name: str(v.name), externalValue: str(v.externalValue) })}`,
        );
      }
    }
    return lines;
  }
  const userId = str(asObject(review.principalProfile)?.id);
  const held = objects(state.appAccess)
    .flatMap((page) => listData(page))
    .filter(
      (e) =>
        str(asObject(e.targetPrincipal)?.externalId) === userId &&
        str(asObject(e.parent)?.externalId) === appId,
    );
  return [
    `${who} loses all access to ${where}: every grant there ends (${by}); holds now:`,
    ...(held.length === 0
      ? ["what they hold there could not be read"]
      : held.flatMap((e) =>
          objects(e.values).map(
            (v) =>
              `holds ${valueLabel(str(e.name), { id: str(v.id), name: str(v.name), externalValue: str(v.externalValue) })}`,
          ),
        )),
  ];
}

export function endCampaignPreview(input: EndCampaignInput, state: GuardState): Preview {
  const id = input.campaignId;
  const status = statusOf(state);
  const skip = input.skipRemediation === true;
  const summary = `End ${campaignLabel(state, id)}${skip ? ", skipping the remediation of reviews nobody decided on" : " with remediation"}.`;
  if (status !== "ACTIVE") {
    return {
      summary,
      details: [
        `The campaign is ${status ?? "in an unknown status"}: Okta ends only ACTIVE campaigns and refuses (409); nothing changes.`,
      ],
      effects: status === undefined ? [{ kind: "unknown", on: id }] : [],
      targetIds: [id],
    };
  }
  const settings = remediationOf(state);
  const accessRevoked = str(settings?.accessRevoked);
  const noResponse = str(settings?.noResponse);
  const details = ["Closes its open reviews: nobody can decide on or reassign them any more."];
  const effects: Effect[] = [];
  if (accessRevoked === undefined || noResponse === undefined) {
    effects.push({ kind: "unknown", on: id });
    details.push("Its remediation settings could not be read: what ending it takes away is unknown.");
  }
  const revoked = listData(state.revoked);
  if (accessRevoked === "DENY") {
    if (state.revoked === undefined) {
      effects.push({ kind: "unknown", on: id });
      details.push("Its revoked decisions could not be read: what ending it takes away is unknown.");
    } else details.push(`Revoked decisions are remediated (accessRevoked DENY): the access is taken away.`);
  } else if (accessRevoked === "NO_ACTION") {
    details.push(
      `Revoked decisions keep their access (accessRevoked NO_ACTION)${revoked.length ? `: ${plural(revoked.length, "revoked review")}, nobody loses access by them` : ""}.`,
    );
  }
  if (noResponse === "DENY" && !skip) {
    if (state.unreviewed === undefined) {
      effects.push({ kind: "unknown", on: id });
      details.push("Its reviews without a decision could not be read: what ending it takes away is unknown.");
    } else
      details.push(
        "Reviews nobody decided on are remediated too (noResponse DENY): that access is taken away.",
      );
  } else if (noResponse === "DENY") {
    details.push(
      "skipRemediation: reviews nobody decided on keep their access (the noResponse DENY remediation is skipped); revoked decisions are still remediated.",
    );
  } else if (noResponse === "NO_ACTION") {
    details.push("Reviews nobody decided on keep their access (noResponse NO_ACTION).");
  }
  const items = reviewsToRemediate(input, state);
  const k = known(state);
  for (const { review } of items)
    effects.push({ kind: "revoke", on: str(asObject(review.principalProfile)?.id) ?? id });
  const more = hasNextPage(state.revoked) || hasNextPage(state.unreviewed);
  if (items.length === 0 && effects.length === 0) details.push("Nobody loses access.");
  else if (items.length > 0) {
    details.push(
      `${plural(items.length, "item")}${more ? ` (or more: the first ${PAGE} of a kind are read)` : ""} taken away:`,
    );
    details.push(
      ...capLines(
        items.flatMap(({ review, why }) => itemLines(review, why, k, state)),
        40,
      ),
    );
  }
  // The audit line names the campaign and the reviews remediated (bounded: a page is 200 of a kind).
  const reviewIds = items.map(({ review }) => str(review.id) ?? "?").slice(0, 100);
  return { summary, details, effects, targetIds: [id, ...reviewIds] };
}

/** What the preview of an end stated beyond its text: the campaign and the reviews it remediates, as read. */
export function certificationVersion(state: GuardState): string {
  const reviews = ["revoked", "unreviewed", "reviews"]
    .flatMap((key) => (Array.isArray(state[key]) ? objects(state[key]) : listData(state[key])))
    .map((r) => `${str(r.id)}@${str(r.lastUpdated)}`)
    .sort();
  return [str(campaignOf(state)?.lastUpdated) ?? "", ...reviews].join(",");
}

// ---- launching a campaign ----

export function launchCampaignPreview(input: LaunchCampaignInput, state: GuardState): Preview {
  const id = input.campaignId;
  const status = statusOf(state);
  const summary = `Launch ${campaignLabel(state, id)}.`;
  if (status !== "SCHEDULED") {
    return {
      summary,
      details: [
        `The campaign is ${status ?? "in an unknown status"}: Okta launches only SCHEDULED campaigns and refuses (409); nothing changes.`,
      ],
      effects: [],
      targetIds: [id],
    };
  }
  const c = campaignOf(state);
  const reviewers = asObject(c?.reviewerSettings);
  const schedule = asObject(c?.scheduleSettings);
  const settings = remediationOf(state);
  return {
    summary,
    details: [
      `Okta makes its reviews from the access people hold now and assigns them to the reviewers (${str(reviewers?.type) ?? "reviewer type unknown"}); nobody's access changes.`,
      `When it ends (${String(schedule?.durationInDays ?? "?")} days after launch, or with okta_end_campaign) remediation applies: revoked access ${str(settings?.accessRevoked) ?? "?"}, no response ${str(settings?.noResponse) ?? "?"}.`,
    ],
    // Reviews are made, nobody's access changes: a create (asks only with --confirm-creates).
    effects: [{ kind: "create", on: id }],
    targetIds: [id],
  };
}

// ---- reassigning reviews ----

/** The reviews to reassign, each read once (in the order given, without repeats). */
export const reassignedIds = (input: ReassignReviewsInput) => [...new Set(input.reviewIds)];

export function reassignPreview(input: ReassignReviewsInput, state: GuardState): Preview {
  const ids = reassignedIds(input);
  const reviews = Array.isArray(state.reviews) ? state.reviews : [];
  const to = userLabel(state.reviewer, input.reviewerId);
  const status = statusOf(state);
  const selfReviewDisabled = asObject(campaignOf(state)?.reviewerSettings)?.selfReviewDisabled === true;
  const details: string[] = [];
  const effects: Effect[] = [];
  if (status !== "ACTIVE") {
    details.push(
      `The campaign is ${status ?? "in an unknown status"}: Okta reassigns only reviews of an ACTIVE campaign and refuses.`,
    );
  }
  details.push(`Note: ${quote(input.note, 200)}`);
  ids.forEach((id, i) => {
    const review = asObject(reviews[i]);
    if (!review) {
      effects.push({ kind: "unknown", on: id });
      details.push(`Review ${id} could not be read: whose access it decides is unknown.`);
      return;
    }
    const principal = asObject(review.principalProfile);
    const value = valueOfReview(review);
    const bundle = bundleOfReview(review);
    const what = value
      ? `value ${named(str(value.name), str(value.id) ?? "?")}`
      : bundle
        ? `bundle ${named(str(bundle.name), str(bundle.id) ?? "?")}`
        : "all access";
    const where = appLabel(undefined, appOfReview(review));
    const decision = str(review.decision);
    const whose = `${person(principal)}'s ${what} in ${where}`;
    if (decision !== "UNREVIEWED") {
      details.push(
        `Review ${id} (${whose}) is decided (${decision ?? "?"}): Okta reassigns only UNREVIEWED reviews and refuses.`,
      );
    } else if (str(principal?.id) === input.reviewerId) {
      // Nobody independent would stand between the person and the decision on their own access.
      effects.push({ kind: "unknown", on: id });
      details.push(
        `Review ${id}: the new reviewer would decide on their own access and could approve it themselves${selfReviewDisabled ? " (the campaign disables self-review: Okta may refuse)" : ""}: ${whose}.`,
      );
    } else {
      // A person decides in Okta, as before: the reassignment changes who, not anybody's access.
      effects.push({ kind: "request", on: id });
      details.push(`Review ${id}: ${whose}, reviewed until now by ${person(review.reviewerProfile)}.`);
    }
  });
  return {
    summary: `Reassign ${plural(ids.length, "review")} of ${campaignLabel(state, input.campaignId)} to ${to}: who reviews changes, nobody's access.`,
    details: capLines(details, 52),
    effects,
    targetIds: [input.campaignId, ...ids],
  };
}
