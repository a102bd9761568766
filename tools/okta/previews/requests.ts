/**
 * The guard of an access request (Okta Access Requests v2): what the request gives, the fields it carries,
 * the separation-of-duties conflicts it would bring, and, the deciding question, whether a person approves
 * it in Okta before any access is given. A request is `request` (no confirmation here) only when every
 * active request condition that may decide it names an approval sequence that names a human approver; it
 * is `grant` (a person confirms) when one may be auto-approved, when Okta's risk settings may route it
 * elsewhere, or when any of that could not be read.
 */
import { asObject, type JsonObject } from "../../../src/core/json.js";
import {
  type Effect,
  type GuardRead,
  type GuardState,
  type Preview,
  type Route,
  unavailableCheck,
} from "../../../src/core/operation.js";
import { quote } from "../../../src/core/sanitize.js";
import type { CreateRequestInput } from "../requests.js";
import {
  appIdOf,
  appLabel,
  capLines,
  indexEntitlementNames,
  indexValues,
  listData,
  named,
  objects,
  pairLabel,
  str,
  userName,
  valuePairs,
} from "./describe.js";
import { appNamer, bundleOrn, orgOf, type SodTarget, sodLines, userOrn } from "./sod.js";

const SUBMISSION_TYPES = ["ALLOWED_WITH_NO_OVERRIDES", "ALLOWED_WITH_OVERRIDES", "RESTRICTED"];
const FIELD_TYPES = ["TEXT", "SELECT", "MULTISELECT", "ISO_DATE", "DURATION", "OKTA_USER_ID"];

/** A value of one of the spec's enums as it is, anything else quoted (it is upstream text). */
function known(value: unknown, allowed: readonly string[]): string {
  const text = str(value);
  return text !== undefined && allowed.includes(text) ? text : quote(text ?? "?", 40);
}

/** The id at the end of the entry's `relatedEntity` link, when it is a `kind` (entitlement-bundles, apps). */
function related(entry: unknown, kind: "entitlement-bundles" | "apps"): string | undefined {
  const href = str(asObject(asObject(asObject(entry)?._links)?.relatedEntity)?.href);
  const m = href ? new RegExp(`/${kind}/([0-9A-Za-z]{20})/?$`).exec(href.split(/[?#]/)[0] ?? "") : null;
  return m?.[1];
}

/** The bundle a catalog entry requests (a child entry), from its related entity. */
export const entryBundle = (_input: unknown, state: GuardState) =>
  related(state.entry, "entitlement-bundles");

/** The app of the entry: its bundle's target, or the app it relates to. */
export const entryApp = (_input: unknown, state: GuardState) =>
  appIdOf(state.bundle) ?? related(state.entry, "apps");

/** A read of the request's app, under the resources path, as a `check` (a 4xx leaves `{unavailable}`). */
function resourceRead(
  key: string,
  route: Route,
  params: (appId: string, state: GuardState) => ReturnType<GuardRead<unknown>["params"]>,
): GuardRead<CreateRequestInput> {
  return {
    key,
    route,
    check: true,
    params: (input, state) => {
      const appId = entryApp(input, state);
      return appId ? params(appId, state) : null;
    },
  };
}

/**
 * The active conditions that may decide the request: for a bundle, those whose access scope is bundles
 * (their full read says which); for an app, those of its default access. In list order.
 */
function candidates(state: GuardState): JsonObject[] {
  const wanted = entryBundle(undefined, state) ? "ENTITLEMENT_BUNDLES" : "RESOURCE_DEFAULT";
  if (state.conditions === undefined || unavailableCheck(state.conditions)) return [];
  return listData(state.conditions).filter(
    (c) => str(c.status) === "ACTIVE" && str(asObject(c.accessScopeSettings)?.type) === wanted,
  );
}

export const requestReads: GuardRead<CreateRequestInput>[] = [
  resourceRead(
    "conditions",
    "GET /governance/api/v2/resources/{resourceId}/request-conditions",
    (resourceId) => ({
      path: { resourceId },
    }),
  ),
  resourceRead(
    "conditionDetails",
    "GET /governance/api/v2/resources/{resourceId}/request-conditions/{requestConditionId}",
    (resourceId, state) => {
      if (!entryBundle(undefined, state)) return null;
      const ids = candidates(state).flatMap((c) => (str(c.id) ? [str(c.id) as string] : []));
      return ids.length
        ? ids.map((requestConditionId) => ({ path: { resourceId, requestConditionId } }))
        : null;
    },
  ),
  resourceRead(
    "sequences",
    "GET /governance/api/v2/resources/{resourceId}/request-sequences",
    (resourceId) => ({
      path: { resourceId },
    }),
  ),
];

/**
 * Whether a sequence names a human approver, from the only words the spec gives it (name, description):
 * "none" when it says nobody approves, "human" when it names a manager, an owner, an approver or a review,
 * "unclear" otherwise. Wording that says nobody approves wins.
 */
export function approverIn(sequence: JsonObject): "human" | "none" | "unclear" {
  const text = `${str(sequence.name) ?? ""} ${str(sequence.description) ?? ""}`.toLowerCase();
  const nobody =
    /\b(no|without|zero)\s+(approv\w*|approvers?|review\w*)|\bauto(matic(ally)?)?[- ]?approv|\bnot\s+(need|required)|\bno[- ]one\b|\bnobody\b|\bskip/;
  if (nobody.test(text)) return "none";
  if (/\b(manager|owner|approv\w*|reviewer|review|supervisor)\b/.test(text)) return "human";
  return "unclear";
}

/** Whether a person approves in Okta, and the lines that say how the server knows (or why it does not). */
export function approvalOf(state: GuardState): { stands: boolean; lines: string[] } {
  const appId = entryApp(undefined, state);
  const where = appLabel(state.app, appId);
  const confirm = "so a person confirms here";
  if (!appId) {
    return {
      stands: false,
      lines: [
        `The entry's app could not be read, nor its request conditions: whether a person approves is unknown, ${confirm}.`,
      ],
    };
  }
  const unread =
    unavailableCheck(state.conditions) ?? (state.conditions === undefined ? "not read" : undefined);
  if (unread) {
    return {
      stands: false,
      lines: [
        `The request conditions of ${where} could not be read (${unread}): whether a person approves is unknown, ${confirm}.`,
      ],
    };
  }
  const bundleId = entryBundle(undefined, state);
  const details = Array.isArray(state.conditionDetails) ? state.conditionDetails : [];
  const lines: string[] = [];
  let stands = true;
  const deciding = candidates(state).filter((c, i) => {
    if (!bundleId) return true;
    const detail = details[i];
    const why = unavailableCheck(detail) ?? (detail === undefined ? "not read" : undefined);
    if (why) {
      lines.push(
        `Condition ${named(c.name, str(c.id) ?? "?")} could not be read (${why}); it is counted as deciding.`,
      );
      return true;
    }
    const bundles = objects(asObject(asObject(detail)?.accessScopeSettings)?.entitlementBundles);
    return bundles.some((b) => str(b.id) === bundleId);
  });
  if (deciding.length === 0) {
    return {
      stands: false,
      lines: [
        `No active request condition of ${where} covers this entry: Okta may refuse the request, ${confirm}.`,
      ],
    };
  }
  const sequences = state.sequences;
  const seqUnread = unavailableCheck(sequences) ?? (sequences === undefined ? "not read" : undefined);
  for (const c of deciding) {
    const cond = named(c.name, str(c.id) ?? "?");
    const seqId = str(c.approvalSequenceId);
    const seq = seqId ? listData(sequences).find((s) => str(s.id) === seqId) : undefined;
    if (!seqId) {
      stands = false;
      lines.push(
        `Condition ${cond} names no approval sequence (INVALID): Okta may refuse or decide the request otherwise.`,
      );
    } else if (!seq) {
      stands = false;
      lines.push(
        `The approval sequence ${seqId} of condition ${cond} could not be read${seqUnread ? ` (${seqUnread})` : ""}.`,
      );
    } else {
      const kind = approverIn(seq);
      if (kind !== "human") stands = false;
      const says =
        kind === "human"
          ? "names a human approver"
          : kind === "none"
            ? "names no approver"
            : "does not say who approves";
      lines.push(
        `Condition ${cond} decides it with the approval sequence ${quote(str(seq.name) ?? "?", 60)} (${quote(str(seq.description) ?? "", 120)}), which ${says}.`,
      );
    }
  }
  const risk = asObject(asObject(asObject(state.fields)?.metadata)?.riskAssessment);
  if (str(risk?.requestSubmissionType) === "ALLOWED_WITH_OVERRIDES") {
    stands = false;
    lines.push(
      "Okta routes a request with this conflict through the app's risk settings, whose approval sequence this server does not read.",
    );
  }
  lines.push(
    stands
      ? "A person approves it in Okta before any access is given: it is filed without asking here."
      : `Okta may grant it without a person approving, ${confirm}.`,
  );
  return { stands, lines };
}

/** What the request would be assessed for: its bundle (or app) for the person it is for. */
export const requestSod = (input: CreateRequestInput, state: GuardState): SodTarget[] | undefined => {
  const bundle = asObject(state.bundle);
  const app = asObject(state.app);
  const o = orgOf(bundle?.orn, bundle?.targetResourceOrn, app?.orn);
  if (!o) return undefined;
  const bundleId = entryBundle(input, state);
  const resourceOrn = str(bundle?.orn) ?? (bundleId ? bundleOrn(o, bundleId) : str(app?.orn));
  if (!resourceOrn) return undefined;
  return [{ principalOrn: userOrn(o, input.requestedFor.externalId), resourceOrn }];
};

/** The request's field values against the fields Okta asks for: given, missing, or unknown to Okta. */
function fieldLines(input: CreateRequestInput, state: GuardState): string[] {
  const given = input.requesterFieldValues ?? [];
  const why = unavailableCheck(state.fields) ?? (state.fields === undefined ? "not read" : undefined);
  if (why) {
    const sent = given.map((v) => `Field ${v.id}: ${quote(v.value ?? (v.values ?? []).join(", "), 200)}`);
    return [`The request fields could not be read (${why}).`, ...sent];
  }
  const asked = objects(asObject(state.fields)?.data);
  const lines = asked.flatMap((f) => {
    if (f.readOnly === true) return [];
    const v = given.find((x) => x.id === str(f.id));
    const head = `Field ${quote(str(f.label) ?? str(f.id) ?? "?", 80)} (${known(f.type, FIELD_TYPES)}${f.required === false ? "" : ", required"})`;
    if (v) return [`${head}: ${quote(v.value ?? (v.values ?? []).join(", "), 200)}`];
    return f.required === false ? [] : [`${head} is not given: Okta will refuse the request.`];
  });
  for (const v of given) {
    if (!asked.some((f) => str(f.id) === v.id))
      lines.push(`Field ${v.id} is not one Okta asks for: Okta will refuse the request.`);
  }
  return lines;
}

export function createRequestPreview(input: CreateRequestInput, state: GuardState): Preview {
  const userId = input.requestedFor.externalId;
  const entry = asObject(state.entry);
  const bundle = asObject(state.bundle);
  const bundleId = entryBundle(input, state);
  const appId = entryApp(input, state);
  const details: string[] = [];
  if (entry?.requestable === false)
    details.push("Okta marks this entry not requestable: it will refuse the request.");
  if (bundleId && bundle) {
    const ents = objects(bundle.entitlements);
    const lines = valuePairs(ents).map(
      (p) => `Would gain ${pairLabel(p, indexValues(ents), indexEntitlementNames(ents))}`,
    );
    details.push(`Gives the bundle ${named(bundle.name, bundleId)}:`, ...capLines(lines, 20));
  } else details.push("What the entry gives could not be read.");
  details.push(...fieldLines(input, state));
  const approval = approvalOf(state);
  details.push(...approval.lines);
  const risk = asObject(asObject(asObject(state.fields)?.metadata)?.riskAssessment);
  if (risk)
    details.push(
      `Okta's own assessment of this request: ${known(risk.requestSubmissionType, SUBMISSION_TYPES)}.`,
    );
  details.push(...sodLines(requestSod(input, state), state.sod, appNamer(state.app)));
  const by =
    input.requestedBy && input.requestedBy.externalId !== userId
      ? `, asked by user ${input.requestedBy.externalId}`
      : "";
  const effects: Effect[] = [{ kind: approval.stands ? "request" : "grant", on: userId }];
  return {
    summary: `Request ${named(entry?.name, input.requested.entryId)} in ${appLabel(state.app, appId)} for ${userName(state.user, userId)}${by}.`,
    details,
    effects,
    targetIds: [userId, input.requested.entryId, bundleId, appId].filter((x): x is string => x !== undefined),
  };
}

/** What the request preview is bound to beyond its text: the bundle's and the conditions' versions. */
export function createRequestVersion(state: GuardState): string {
  const conditions = unavailableCheck(state.conditions) ? [] : listData(state.conditions);
  const stamps = conditions.map((c) => `${str(c.id) ?? ""}@${str(c.lastUpdated) ?? ""}`);
  return `${str(asObject(state.bundle)?.lastUpdated) ?? ""}|${stamps.join(",")}`;
}
