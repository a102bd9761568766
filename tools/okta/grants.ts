import { z } from "zod";
import { defineOperation, type Effect, type Preview } from "../../src/core/operation.js";
import { quote } from "../../src/core/sanitize.js";
import {
  after,
  appClause,
  appRef,
  entitlementRefs,
  eqClause,
  joinInclude,
  listOutput,
  oktaId,
  omit,
  optStr,
  orn,
  pageLimit,
  principalClause,
  principalRef,
  query,
  sameId,
  scimFilter,
  withRawFilter,
} from "../params.js";
import {
  appIdOf,
  appLabel,
  capLines,
  entitlementIds,
  entitlementsToName,
  indexEntitlementNames,
  indexValues,
  listData,
  named,
  type Obj,
  obj,
  objects,
  pageHeader,
  pairLabel,
  plural,
  str,
  userLabel,
  userName,
  valuePairs,
} from "./previews/describe.js";

const ROUTE = "/governance/api/v1/grants";
const GRANT_TYPES = ["ENTITLEMENT-BUNDLE", "CUSTOM", "POLICY", "ENTITLEMENT"] as const;
const ACTORS = ["API", "ACCESS_REQUEST", "ADMIN", "NONE"] as const;
const BASE_TYPES = new Set(["CUSTOM", "POLICY"]);

const grantId = oktaId("Grant id (okta_list_grants).");
const include = z
  .array(z.enum(["full_entitlements", "metadata"]))
  .max(2)
  .optional()
  .describe('["full_entitlements"] for entitlement names and values; "metadata" adds the collection.');

const grantOut = z.looseObject({
  id: optStr,
  grantType: optStr,
  entitlementBundleId: optStr,
  action: optStr,
  actor: optStr,
  status: optStr,
  targetResourceOrn: optStr,
  target: z.looseObject({ externalId: optStr, type: optStr }).nullish(),
  targetPrincipalOrn: optStr,
  targetPrincipal: z.looseObject({ externalId: optStr, type: optStr }).nullish(),
  entitlements: z
    .array(
      z.looseObject({
        id: optStr,
        name: optStr,
        values: z.array(z.looseObject({ id: optStr, name: optStr })).nullish(),
      }),
    )
    .nullish(),
  scheduleSettings: z.looseObject({ expirationDate: optStr, timeZone: optStr }).nullish(),
  lastUpdated: optStr,
});
type GrantOut = z.output<typeof grantOut>;

function grantLine(g: GrantOut): string {
  const parts = [`user ${g.targetPrincipal?.externalId ?? "?"}`, `app ${g.target?.externalId ?? "?"}`];
  if (g.entitlementBundleId) parts.push(`bundle ${g.entitlementBundleId}`);
  const values = (g.entitlements ?? []).reduce((n, e) => n + (e.values?.length ?? 0), 0);
  if (g.entitlements?.length) parts.push(plural(values, "value"));
  if (g.status) parts.push(g.status);
  if (g.scheduleSettings?.expirationDate) parts.push(`expires ${g.scheduleSettings.expirationDate}`);
  return `- ${g.id ?? "?"} ${g.grantType ?? "?"} ${g.action ?? "ALLOW"}: ${parts.join(", ")}`;
}

function grantSummary(lead: string, g: GrantOut): string {
  return `${lead} ${grantLine(g).slice(2)}.`;
}

const scheduleSettings = z
  .object({
    expirationDate: z
      .string()
      .regex(
        /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/,
        "must be an ISO 8601 date-time like 2026-01-31T17:00:00Z",
      )
      .describe("When the grant ends (ISO 8601, e.g. 2026-01-31T17:00:00Z)."),
    timeZone: z.string().min(1).max(64).optional().describe("IANA time zone, e.g. America/New_York."),
  })
  .optional()
  .describe("Optional expiry of the grant.");

/** What a grant change gives or takes, one line per value. */
function valueChanges(
  gained: { entitlementId: string; valueId: string }[],
  lost: { entitlementId: string; valueId: string }[],
  known: unknown[],
  deny: boolean,
): string[] {
  const values = indexValues(known);
  const names = indexEntitlementNames(known);
  return [
    ...gained.map((p) => `${deny ? "Now also revokes" : "Gains"} ${pairLabel(p, values, names)}`),
    ...lost.map((p) => `${deny ? "No longer revokes" : "Loses"} ${pairLabel(p, values, names)}`),
  ];
}

function existingGrantLine(g: Obj): string {
  const type = str(g.grantType) ?? "?";
  const bundle = str(g.entitlementBundleId);
  const values = valuePairs(g.entitlements).length;
  const what = bundle
    ? `bundle ${bundle}`
    : type === "POLICY"
      ? "per the app's policy"
      : plural(values, "value");
  return `grant ${str(g.id) ?? "?"} (${type} ${str(g.action) ?? "ALLOW"}, ${what})`;
}

interface CreateInput {
  grantType: (typeof GRANT_TYPES)[number];
  targetPrincipal: { externalId: string };
  entitlementBundleId?: string | undefined;
  target?: { externalId: string } | undefined;
  entitlements?: { id: string; values: { id: string }[] }[] | undefined;
  scheduleSettings?: { expirationDate: string; timeZone?: string | undefined } | undefined;
  action?: "ALLOW" | "DENY" | undefined;
}

function createPreview(input: CreateInput, state: Readonly<Record<string, unknown>>): Preview {
  const userId = input.targetPrincipal.externalId;
  const bundle = obj(state.bundle);
  const appId = appIdOf(bundle) ?? input.target?.externalId;
  const deny = input.action === "DENY";
  const who = userName(state.user, userId);
  const where = appLabel(state.app, appId);
  const details: string[] = [];
  if (state.user === undefined)
    details.push(`User ${userId} could not be read: check the id with okta_search_users.`);
  else if (str(obj(state.user)?.status) && str(obj(state.user)?.status) !== "ACTIVE") {
    details.push(`The user's status is ${quote(str(obj(state.user)?.status) ?? "")}.`);
  }

  let what: string;
  let pairs: { entitlementId: string; valueId: string }[];
  let known: unknown[];
  if (input.grantType === "ENTITLEMENT-BUNDLE") {
    what = `the bundle ${named(bundle?.name, input.entitlementBundleId ?? "?")}`;
    pairs = valuePairs(bundle?.entitlements);
    known = objects(bundle?.entitlements);
    if (str(bundle?.status) === "DELETED") details.push("The bundle is DELETED.");
  } else {
    pairs = valuePairs(input.entitlements ?? []);
    known = objects(state.entitlements);
    what =
      input.grantType === "POLICY"
        ? "the access the app's entitlement policy gives"
        : pairs.length > 0
          ? plural(pairs.length, "entitlement value")
          : input.grantType === "CUSTOM" && deny
            ? "all access"
            : "a custom grant without entitlement values";
  }
  details.push(...capLines(valueChanges(pairs, [], known, deny)));

  const existing = state.existingGrants === undefined ? undefined : listData(state.existingGrants);
  const base = BASE_TYPES.has(input.grantType);
  if (existing === undefined) {
    details.push(
      base
        ? "The user's current grants in this app could not be read; a base grant replaces all of them."
        : "The user's current grants in this app could not be read.",
    );
  } else if (existing.length === 0) {
    details.push("The user has no other active grant in this app.");
  } else if (base) {
    details.push(`Replaces the user's ${plural(existing.length, "active grant")} in this app:`);
    details.push(...capLines(existing.map(existingGrantLine), 20));
  } else {
    details.push(`Adds to the user's ${plural(existing.length, "active grant")} in this app.`);
  }
  const schedule = input.scheduleSettings;
  if (schedule) {
    details.push(`Expires ${schedule.expirationDate}${schedule.timeZone ? ` (${schedule.timeZone})` : ""}.`);
  }

  const summary = deny
    ? what === "all access"
      ? `Revoke all access of ${who} to ${where} (DENY).`
      : `Revoke from ${who} ${what} in ${where} (DENY).`
    : `Grant ${who} ${what} in ${where}.`;
  // ALLOW gives (and a base grant takes the user's other grants in the app); DENY takes.
  const effects: Effect[] = [{ kind: deny ? "revoke" : "grant", on: userId }];
  if (base && (existing === undefined || existing.length > 0)) effects.push({ kind: "revoke", on: userId });
  return {
    summary,
    details,
    effects,
    targetIds: [userId, input.entitlementBundleId, appId].filter((x): x is string => x !== undefined),
  };
}

/** The version a create-grant preview is bound to: the bundle's, and which grants the user holds. */
function createVersion(state: Readonly<Record<string, unknown>>): string {
  const bundleVersion = str(obj(state.bundle)?.lastUpdated) ?? "";
  const grants = state.existingGrants === undefined ? [] : listData(state.existingGrants);
  const ids = grants.map((g) => str(g.id) ?? "").sort();
  return `${bundleVersion}|${ids.join(",")}`;
}

interface ReplaceInput {
  grantId: string;
  grantType: string;
  action: string;
  actor: string;
  status: string;
  target: { externalId: string };
  targetPrincipal: { externalId: string };
  entitlementBundleId?: string | undefined;
  entitlements?: { id: string; values: { id: string }[] }[] | undefined;
}

function replacePreview(input: ReplaceInput, state: Readonly<Record<string, unknown>>): Preview {
  const grant = obj(state.grant);
  const userId = input.targetPrincipal.externalId;
  const appId = input.target.externalId;
  const before = valuePairs(grant?.entitlements);
  const after = valuePairs(input.entitlements ?? []);
  const beforeIds = new Set(before.map((p) => p.valueId));
  const afterIds = new Set(after.map((p) => p.valueId));
  const gained = after.filter((p) => !beforeIds.has(p.valueId));
  const lost = before.filter((p) => !afterIds.has(p.valueId));
  const known = [...objects(grant?.entitlements), ...objects(state.entitlements)];
  const names = indexEntitlementNames(known);
  const deny = input.action === "DENY";
  const details = capLines(valueChanges(gained, lost, known, deny));

  const withValues = new Set([...before, ...after].map((p) => p.entitlementId));
  const oldEnts = new Set(entitlementIds(grant?.entitlements));
  const newEnts = new Set(entitlementIds(input.entitlements ?? []));
  const entName = (id: string) => named(names.get(id), id);
  for (const id of newEnts)
    if (!oldEnts.has(id) && !withValues.has(id))
      details.push(`Adds entitlement ${entName(id)} without values`);
  for (const id of oldEnts)
    if (!newEnts.has(id) && !withValues.has(id)) details.push(`Removes entitlement ${entName(id)}`);

  if (gained.length === 0 && lost.length === 0) details.push("The entitlement values stay the same.");
  if (lost.length === 0) details.push("Nothing is lost.");
  let changedFields = 0;
  for (const field of ["grantType", "action", "actor", "status", "entitlementBundleId"] as const) {
    const was = str(grant?.[field]);
    const now = input[field];
    if (grant && was !== now) {
      changedFields += 1;
      details.push(
        `Changes ${field} from ${was ?? "(none)"} to ${now ?? "(none)"} (Okta only replaces the entitlements)`,
      );
    }
  }
  if (grant && appIdOf(grant) !== appId) {
    changedFields += 1;
    details.push(`The grant's app is ${appIdOf(grant) ?? "?"}, not ${appId}`);
  }
  const oldUser = str(obj(grant?.targetPrincipal)?.externalId);
  if (grant && oldUser !== userId) {
    changedFields += 1;
    details.push(`The grant's user is ${oldUser ?? "?"}, not ${userId}`);
  }

  const effect = deny
    ? [gained.length ? `revokes ${gained.length} more` : "", lost.length ? `${lost.length} fewer` : ""]
    : [
        gained.length ? `gains ${plural(gained.length, "value")}` : "",
        lost.length ? `loses ${plural(lost.length, "value")}` : "",
      ];
  const parts = effect.filter(Boolean);
  // For an ALLOW grant a gained value is given and a lost one taken; a DENY grant works the other way.
  const effects: Effect[] = [];
  if (gained.length > 0) effects.push({ kind: deny ? "revoke" : "grant", on: userId });
  if (lost.length > 0) effects.push({ kind: deny ? "grant" : "revoke", on: userId });
  const addedWhole = [...newEnts].some((id) => !oldEnts.has(id) && !withValues.has(id));
  const removedWhole = [...oldEnts].some((id) => !newEnts.has(id) && !withValues.has(id));
  if (addedWhole || removedWhole) effects.push({ kind: "unknown", on: input.grantId });
  if (!grant || changedFields > 0 || grant.entitlements === undefined) {
    effects.push({ kind: "unknown", on: input.grantId });
  }
  const change = parts.length
    ? `: ${deny ? "the DENY grant" : "the user"} ${parts.join(deny ? ", " : " and ")}`
    : "";
  return {
    summary: `Replace the entitlements of grant ${input.grantId} of ${userLabel(state.user, userId)} in ${appLabel(state.app, appId)}${change}.`,
    details,
    effects,
    targetIds: [input.grantId, userId, appId],
  };
}

export const oktaGrantOperations = [
  defineOperation({
    name: "okta_list_grants",
    title: "List grants",
    description:
      "Lists the active grants (who was given which bundle or entitlement values) in one app, optionally for one user or bundle. Give appId (okta_search_apps) or a filter; principalId comes from okta_search_users.",
    provider: "okta",
    route: `GET ${ROUTE}`,
    input: z
      .object({
        appId: oktaId("App id (0oa…; okta_search_apps).").optional(),
        principalId: oktaId("Only this user's grants (00u…; okta_search_users).").optional(),
        entitlementBundleId: oktaId("Only grants of this bundle (enb…).").optional(),
        filter: scimFilter(
          "SCIM filter, ANDed with the fields above; must pin one app. Attributes (eq): targetResourceOrn or target.externalId + target.type, targetPrincipalOrn or targetPrincipal.externalId + targetPrincipal.type, entitlementBundleId, entitlements.id, entitlements.values.id, action.",
        ).optional(),
        after,
        limit: pageLimit(20),
        include,
      })
      .refine((i) => i.filter !== undefined || i.appId !== undefined, {
        path: ["appId"],
        message: "give appId or filter: Okta lists the grants of one app (filter by target.externalId)",
      }),
    output: listOutput(grantOut),
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    guard: "none",
    paging: "okta-cursor",
    request: (input) => ({
      query: query({
        filter: withRawFilter(
          [
            appClause("target", input.appId),
            principalClause(input.principalId),
            input.entitlementBundleId === undefined
              ? undefined
              : eqClause("entitlementBundleId", input.entitlementBundleId),
          ],
          input.filter,
        ),
        after: input.after,
        limit: input.limit,
        include: joinInclude(input.include),
      }),
    }),
    summarize: (out, input) => {
      const scope = [
        input.appId ? `in app ${input.appId}` : "",
        input.principalId ? `of user ${input.principalId}` : "",
      ]
        .filter(Boolean)
        .join(" ");
      return [pageHeader(out, "active grants", scope || undefined), ...out.items.map(grantLine)].join("\n");
    },
  }),

  defineOperation({
    name: "okta_get_grant",
    title: "Get a grant",
    description:
      "Gets one grant: its type, user, app, bundle or entitlement values, status and expiry. Use before okta_replace_grant.",
    provider: "okta",
    route: `GET ${ROUTE}/{grantId}`,
    input: z.object({ grantId, include }),
    output: grantOut,
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    guard: "none",
    request: (input) => ({ query: query({ include: joinInclude(input.include) }) }),
    summarize: (out) => grantSummary("Grant", out),
  }),

  defineOperation({
    name: "okta_create_grant",
    title: "Grant or revoke access",
    description:
      "Gives a user a bundle (ENTITLEMENT-BUNDLE) or entitlement values (CUSTOM, ENTITLEMENT) or policy access (POLICY) in an app; action DENY revokes. A CUSTOM or POLICY grant replaces the user's other grants in the app. Asks a person to confirm.",
    provider: "okta",
    route: `POST ${ROUTE}`,
    input: z
      .object({
        grantType: z
          .enum(GRANT_TYPES)
          .describe(
            "ENTITLEMENT-BUNDLE adds a bundle; ENTITLEMENT adds values; CUSTOM (explicit values) and POLICY (the app's policy) are base grants that replace the user's other grants in the app.",
          ),
        targetPrincipal: principalRef,
        entitlementBundleId: oktaId(
          "Bundle to grant (ENTITLEMENT-BUNDLE only; okta_list_bundles).",
        ).optional(),
        target: appRef
          .optional()
          .describe('The app (CUSTOM, POLICY, ENTITLEMENT): {externalId: "0oa…", type: "APPLICATION"}.'),
        entitlements: entitlementRefs
          .optional()
          .describe('The values (CUSTOM, ENTITLEMENT): [{id: "esp…", values: [{id: "ent…"}]}].'),
        scheduleSettings,
        action: z
          .enum(["ALLOW", "DENY"])
          .optional()
          .describe(
            "ALLOW (default) gives access; DENY revokes it (a CUSTOM DENY without entitlements revokes all access to the app).",
          ),
        actor: z.enum(ACTORS).optional().describe("Who asks: API (default), ACCESS_REQUEST, ADMIN or NONE."),
      })
      .superRefine((i, ctx) => {
        const issue = (path: string, message: string) =>
          ctx.addIssue({ code: "custom", path: [path], message });
        if (i.grantType === "ENTITLEMENT-BUNDLE") {
          if (i.entitlementBundleId === undefined)
            issue("entitlementBundleId", "grantType ENTITLEMENT-BUNDLE needs entitlementBundleId");
          if (i.target !== undefined)
            issue("target", "leave target out for grantType ENTITLEMENT-BUNDLE: the bundle's app is used");
          if (i.entitlements !== undefined) {
            issue(
              "entitlements",
              "leave entitlements out for grantType ENTITLEMENT-BUNDLE: the bundle defines them",
            );
          }
          return;
        }
        if (i.entitlementBundleId !== undefined) {
          issue(
            "entitlementBundleId",
            `entitlementBundleId is only for grantType ENTITLEMENT-BUNDLE, not ${i.grantType}`,
          );
        }
        if (i.target === undefined) issue("target", `grantType ${i.grantType} needs target (the app)`);
        if (i.grantType === "POLICY" && i.entitlements !== undefined) {
          issue("entitlements", "leave entitlements out for grantType POLICY: the app's policy decides them");
        }
        if (i.grantType === "ENTITLEMENT" && (i.entitlements === undefined || i.entitlements.length === 0)) {
          issue("entitlements", "grantType ENTITLEMENT needs entitlements");
        }
      }),
    output: grantOut,
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
    // Effects: the user gains what the grant gives (grant); DENY, or a base grant that replaces the
    // user's other grants in the app, takes access (revoke).
    guard: {
      effects: ["grant", "revoke"],
      reads: [
        {
          key: "user",
          route: "GET /api/v1/users/{userId}",
          optional: true,
          params: (i) => ({ path: { userId: i.targetPrincipal.externalId } }),
        },
        {
          key: "bundle",
          route: "GET /governance/api/v1/entitlement-bundles/{entitlementBundleId}",
          params: (i) =>
            i.entitlementBundleId === undefined
              ? null
              : {
                  path: { entitlementBundleId: i.entitlementBundleId },
                  query: { include: "full_entitlements" },
                },
        },
        {
          key: "app",
          route: "GET /api/v1/apps/{appId}",
          optional: true,
          params: (i, state) => {
            const id = appIdOf(state.bundle) ?? i.target?.externalId;
            return id ? { path: { appId: id } } : null;
          },
        },
        {
          key: "entitlements",
          route: "GET /governance/api/v1/entitlements/{entitlementId}",
          optional: true,
          params: (i) => {
            const ids = entitlementIds(i.entitlements ?? []);
            return ids.length ? ids.map((entitlementId) => ({ path: { entitlementId } })) : null;
          },
        },
        {
          key: "existingGrants",
          route: `GET ${ROUTE}`,
          optional: true,
          params: (i, state) => {
            const id = appIdOf(state.bundle) ?? i.target?.externalId;
            if (!id) return null;
            const filter = `${appClause("target", id)} AND ${principalClause(i.targetPrincipal.externalId)}`;
            return { path: {}, query: { filter, limit: 200 } };
          },
        },
      ],
      preview: createPreview,
      version: createVersion,
    },
    summarize: (out) => grantSummary("Created grant", out),
  }),

  defineOperation({
    name: "okta_replace_grant",
    title: "Replace a grant's entitlements",
    description:
      "Replaces the entitlement values of a CUSTOM grant with the complete grant object; values left out are taken from the user. Get it first with okta_get_grant. Asks a person to confirm, showing values gained and lost.",
    provider: "okta",
    route: `PUT ${ROUTE}/{grantId}`,
    input: z
      .object({
        grantId,
        id: oktaId("The grant id again (the body's id); must equal grantId."),
        grantType: z.enum(GRANT_TYPES).describe("The grant type; only CUSTOM grants can be replaced."),
        action: z.enum(["ALLOW", "DENY"]).describe("As read."),
        actor: z.enum(ACTORS).describe("As read."),
        status: z.enum(["ACTIVE", "EXPIRED", "INACTIVE", "SCHEDULED"]).describe("As read."),
        targetResourceOrn: orn("App ORN, as read."),
        target: appRef,
        targetPrincipalOrn: orn("User ORN, as read."),
        targetPrincipal: principalRef,
        entitlementBundleId: oktaId("The bundle id, if okta_get_grant returned one.").optional(),
        entitlements: entitlementRefs
          .optional()
          .describe(
            'The complete entitlement values after the replace: [{id: "esp…", values: [{id: "ent…"}]}]; values left out are taken away.',
          ),
      })
      .superRefine(sameId("grantId"))
      .superRefine((i, ctx) => {
        if (i.grantType !== "CUSTOM") {
          ctx.addIssue({
            code: "custom",
            path: ["grantType"],
            message: `only CUSTOM grants can be replaced, not ${i.grantType}`,
          });
        }
      }),
    output: grantOut,
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
    // Effects: values gained (grant) or lost (revoke), the other way round for a DENY grant; fields Okta
    // does not replace, or a grant the read did not show whole, are unknown.
    guard: {
      effects: ["grant", "revoke", "unknown"],
      reads: [
        {
          key: "grant",
          route: `GET ${ROUTE}/{grantId}`,
          params: (i) => ({ path: { grantId: i.grantId }, query: { include: "full_entitlements" } }),
        },
        {
          key: "user",
          route: "GET /api/v1/users/{userId}",
          optional: true,
          params: (i) => ({ path: { userId: i.targetPrincipal.externalId } }),
        },
        {
          key: "app",
          route: "GET /api/v1/apps/{appId}",
          optional: true,
          params: (i) => ({ path: { appId: i.target.externalId } }),
        },
        {
          key: "entitlements",
          route: "GET /governance/api/v1/entitlements/{entitlementId}",
          optional: true,
          params: (i, state) => {
            const old = objects(obj(state.grant)?.entitlements);
            const ids = entitlementsToName([...old, ...(i.entitlements ?? [])], old);
            return ids.length ? ids.map((entitlementId) => ({ path: { entitlementId } })) : null;
          },
        },
      ],
      preview: replacePreview,
    },
    request: (input) => ({ body: omit(input, ["grantId"]) }),
    summarize: (out) => grantSummary("Replaced grant", out),
  }),
  defineOperation({
    name: "okta_update_grant",
    title: "Change a grant's expiry",
    description:
      "Sets or changes when a grant ends (only the expiry can change). At that time the user loses what the grant gives. Asks a person to confirm, showing the old and new expiry.",
    provider: "okta",
    route: `PATCH ${ROUTE}/{grantId}`,
    input: z
      .object({
        grantId,
        id: oktaId("The grant id again (the body's id); must equal grantId."),
        scheduleSettings: z
          .object({
            expirationDate: z
              .string()
              .regex(
                /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/,
                "must be an ISO 8601 date-time like 2026-01-31T17:00:00Z",
              )
              .describe("When the grant ends (ISO 8601)."),
            timeZone: z.string().min(1).max(64).optional().describe("IANA time zone, e.g. Europe/Berlin."),
          })
          .describe("The new expiry."),
      })
      .superRefine(sameId("grantId")),
    output: grantOut,
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
    // Effects: an earlier end takes access sooner (revoke), a later one keeps it longer (grant).
    guard: {
      effects: ["grant", "revoke", "unknown"],
      reads: [
        {
          key: "grant",
          route: `GET ${ROUTE}/{grantId}`,
          params: (i) => ({ path: { grantId: i.grantId }, query: { include: "full_entitlements" } }),
        },
        {
          key: "user",
          route: "GET /api/v1/users/{userId}",
          optional: true,
          params: (_i, state) => {
            const userId = str(obj(obj(state.grant)?.targetPrincipal)?.externalId);
            return userId ? { path: { userId } } : null;
          },
        },
        {
          key: "app",
          route: "GET /api/v1/apps/{appId}",
          optional: true,
          params: (_i, state) => {
            const appId = str(obj(obj(state.grant)?.target)?.externalId);
            return appId ? { path: { appId } } : null;
          },
        },
      ],
      preview: (input, state) => {
        const grant = obj(state.grant);
        const userId = str(obj(grant?.targetPrincipal)?.externalId) ?? "?";
        const appId = str(obj(grant?.target)?.externalId);
        const before = str(obj(grant?.scheduleSettings)?.expirationDate) ?? "no expiry";
        const after = input.scheduleSettings.expirationDate;
        const gives = str(grant?.entitlementBundleId)
          ? `the bundle ${str(grant?.entitlementBundleId)}`
          : plural(valuePairs(grant?.entitlements).length, "entitlement value");
        // A later end (or none) keeps access longer; an earlier one takes it sooner.
        const was = str(obj(grant?.scheduleSettings)?.expirationDate);
        const effects: Effect[] =
          !grant || was === undefined || Date.parse(after) !== Date.parse(was)
            ? [
                {
                  kind: was !== undefined && Date.parse(after) > Date.parse(was) ? "grant" : "revoke",
                  on: userId,
                },
              ]
            : [];
        if (!grant) effects.push({ kind: "unknown", on: input.grantId });
        return {
          effects,
          summary: `Change when grant ${input.grantId} (${str(grant?.grantType) ?? "?"}) of ${userLabel(state.user, userId)} in ${appLabel(state.app, appId)} ends: ${before} -> ${after}.`,
          details: [
            `At ${after} the user loses what this grant gives: ${gives}.`,
            ...capLines(
              valueChanges([], valuePairs(grant?.entitlements), objects(grant?.entitlements), false),
              20,
            ),
          ],
          targetIds: [input.grantId, userId, ...(appId ? [appId] : [])],
        };
      },
    },
    request: (input) => ({ body: { id: input.id, scheduleSettings: input.scheduleSettings } }),
    summarize: (out) => grantSummary("Updated grant", out),
  }),
];
