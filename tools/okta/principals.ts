import { z } from "zod";
import { defineOperation, type Preview } from "../../src/core/operation.js";
import {
  after,
  appClause,
  listOutput,
  oktaId,
  optBool,
  optStr,
  orn,
  pageLimit,
  principalClause,
  query,
  scimFilter,
  withRawFilter,
} from "../params.js";
import {
  appLabel,
  capLines,
  listData,
  named,
  type Obj,
  obj,
  objects,
  pageHeader,
  plural,
  str,
  userLabel,
  valueText,
} from "./previews/describe.js";

const valueOut = z.looseObject({ id: optStr, name: optStr, externalValue: optStr, orn: optStr });
const principalEntitlementOut = z.looseObject({
  id: optStr,
  name: optStr,
  externalValue: optStr,
  multiValue: optBool,
  parent: z.looseObject({ externalId: optStr, type: optStr }).nullish(),
  targetPrincipal: z.looseObject({ externalId: optStr, type: optStr }).nullish(),
  values: z.array(valueOut).nullish(),
});
const accessGrantOut = z.looseObject({
  grantType: optStr,
  grantMethod: optStr,
  expirationTime: optStr,
  grant: z.looseObject({ id: optStr }).nullish(),
  bundle: z.looseObject({ id: optStr, name: optStr }).nullish(),
  entitlements: z
    .array(z.looseObject({ id: optStr, name: optStr, values: z.array(valueOut).nullish() }))
    .nullish(),
});
const principalAccessOut = z.looseObject({
  parent: z.looseObject({ externalId: optStr, type: optStr }).nullish(),
  targetPrincipal: z.looseObject({ externalId: optStr, type: optStr }).nullish(),
  base: accessGrantOut.nullish(),
  additional: z.array(accessGrantOut).nullish(),
});

/** The inputs of the two "one user in one app" reads: a raw filter, or the app and the user. */
const principalScope = {
  appId: oktaId("App id (0oa…; okta_search_apps).").optional(),
  principalId: oktaId("User id (00u…; okta_search_users).").optional(),
  filter: scimFilter(
    "SCIM filter instead of appId + principalId (eq): parent.externalId + parent.type or parentResourceOrn, and targetPrincipal.externalId + targetPrincipal.type or targetPrincipalOrn.",
  ).optional(),
};

function needsScope(input: {
  filter?: string | undefined;
  appId?: string | undefined;
  principalId?: string | undefined;
}) {
  return input.filter !== undefined || (input.appId !== undefined && input.principalId !== undefined);
}
const scopeRule = {
  path: ["principalId"],
  message: "give appId and principalId, or a filter: Okta answers for one user in one app",
};

function scopeFilter(input: {
  filter?: string | undefined;
  appId?: string | undefined;
  principalId?: string | undefined;
}) {
  return withRawFilter([appClause("parent", input.appId), principalClause(input.principalId)], input.filter);
}

type ValueOut = z.output<typeof valueOut>;
const valueNames = (values: ValueOut[] | null | undefined) =>
  (values ?? []).map((v) => v.name ?? v.id ?? "?").join(", ") || "(no values)";

/** ORNs: `orn:{partition}:{service}:{orgId}:{type}:…:{id}`. */
/**
 * The kind of an ORN whose last part is an Okta id: that id goes into URLs (guard reads), so it is held
 * to the rule of an id a user types (`..%2F..` or any other tail is refused).
 */
const ORN_KIND =
  /^orn:[a-z-]+:[a-z-]+:[0-9A-Za-z]+:(apps|entitlement-values|entitlement-bundles|users):(?:[^\s:]+:)*[0-9A-Za-z]{20}$/;
function ornKind(value: string): string | undefined {
  return ORN_KIND.exec(value)?.[1];
}
function ornId(value: string): string {
  return value.slice(value.lastIndexOf(":") + 1);
}

const revokeOrn = orn("An entitlement value ORN, a bundle ORN, or one app ORN alone.").refine(
  (v) => ["apps", "entitlement-values", "entitlement-bundles"].includes(ornKind(v) ?? ""),
  "must be an entitlement-values, entitlement-bundles or apps ORN ending in an Okta id (20 letters and digits)",
);

interface RevokeInput {
  principalOrn: string;
  revokeOrns: string[];
}

/** The apps a revoke touches: app ORNs, and the targets of the bundles it names. */
function revokeApps(input: RevokeInput, state: Readonly<Record<string, unknown>>): string[] {
  const apps = new Set(input.revokeOrns.filter((o) => ornKind(o) === "apps").map(ornId));
  for (const bundle of objects(state.bundles)) {
    const id = str(obj(bundle.target)?.externalId);
    if (id) apps.add(id);
  }
  return [...apps].sort();
}

function revokePreview(input: RevokeInput, state: Readonly<Record<string, unknown>>): Preview {
  const userId = ornId(input.principalOrn);
  const who = userLabel(state.user, userId);
  const bundles = new Map(objects(state.bundles).map((b) => [str(b.id) ?? "", b]));
  const appsById = new Map(objects(state.apps).map((a) => [str(a.id) ?? "", a]));
  const effective = objects(state.effective).flatMap((page) => listData(page));
  const details: string[] = [];
  for (const target of input.revokeOrns) {
    const id = ornId(target);
    const kind = ornKind(target);
    if (kind === "apps") {
      const lost = effective
        .filter((e) => str(obj(e.parent)?.externalId) === id)
        .flatMap((e: Obj) => {
          const values = objects(e.values);
          const ent = named(e.name, str(e.id) ?? "?");
          return values.length === 0
            ? [`${ent} (no values listed)`]
            : values.map((v) => `${ent}: ${valueText(v)}`);
        });
      details.push(`All access to ${appLabel(appsById.get(id), id)}: every grant of the user there ends.`);
      details.push(
        ...capLines(
          lost.map((l) => `loses ${l}`),
          20,
        ),
      );
    } else if (kind === "entitlement-bundles") {
      const bundle = bundles.get(id);
      const values = objects(bundle?.entitlements).flatMap((e) =>
        objects(e.values).map((v) => `${named(e.name, str(e.id) ?? "?")}: ${valueText(v)}`),
      );
      const where = appLabel(undefined, str(obj(bundle?.target)?.externalId));
      details.push(`The bundle ${named(bundle?.name, id)} in ${where}.`);
      details.push(
        ...capLines(
          values.map((v) => `loses ${v} (unless another grant gives it)`),
          20,
        ),
      );
    } else {
      // Okta reads values per app, and a value ORN names none: say so rather than guess.
      details.push(`The entitlement value ${id} (its name and what it provisions could not be read).`);
    }
  }
  return {
    summary: `Revoke from ${who}: ${plural(input.revokeOrns.length, "item")}.`,
    details,
    effects: [{ kind: "revoke", on: userId }],
    targetIds: [userId, ...input.revokeOrns.map(ornId)],
  };
}

/** The user's active grants on the apps concerned, as `id@lastUpdated`: moves when their access changes. */
function grantsVersion(state: Readonly<Record<string, unknown>>): string {
  const grants = objects(state.grants).flatMap((page) => listData(page));
  return grants
    .map((g) => `${str(g.id)}@${str(g.lastUpdated)}`)
    .sort()
    .join(",");
}

const userRead = (principalOrn: string) => ({ path: { userId: ornId(principalOrn) } });

export const oktaPrincipalOperations = [
  defineOperation({
    name: "okta_list_principal_entitlements",
    title: "A user's effective entitlements",
    description:
      "Lists what one user effectively holds in one app (all their grants evaluated: policy, bundles, custom, DENY). Give appId and principalId (okta_search_apps, okta_search_users).",
    provider: "okta",
    route: "GET /governance/api/v1/principal-entitlements",
    input: z.object({ ...principalScope, after, limit: pageLimit() }).refine(needsScope, scopeRule),
    output: listOutput(principalEntitlementOut),
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    guard: "none",
    paging: "okta-cursor",
    request: (input) => ({
      query: query({ filter: scopeFilter(input), after: input.after, limit: input.limit }),
    }),
    summarize: (out, input) =>
      [
        pageHeader(out, "entitlements held", input.principalId ? `by user ${input.principalId}` : undefined),
        ...out.items.map((e) => `- ${e.name ?? e.id ?? "?"} (${e.id ?? "?"}): ${valueNames(e.values)}`),
      ].join("\n"),
  }),

  defineOperation({
    name: "okta_get_principal_access",
    title: "How a user got their access",
    description:
      "Shows the grants behind one user's access to one app: the base grant (policy or custom) and additional grants (bundles, entitlements) with their values and expiry.",
    provider: "okta",
    route: "GET /governance/api/v1/principal-access",
    input: z.object(principalScope).refine(needsScope, scopeRule),
    output: principalAccessOut,
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    guard: "none",
    request: (input) => ({ query: query({ filter: scopeFilter(input) }) }),
    summarize: (out) => {
      const line = (g: z.output<typeof accessGrantOut>) => {
        const what = g.bundle ? `bundle '${g.bundle.name ?? g.bundle.id}'` : (g.grantType ?? "?");
        const values = (g.entitlements ?? [])
          .map((e) => `${e.name ?? e.id}: ${valueNames(e.values)}`)
          .join("; ");
        const expiry = g.expirationTime ? `, expires ${g.expirationTime}` : "";
        return `${what} (grant ${g.grant?.id ?? "?"}${expiry})${values ? `: ${values}` : ""}`;
      };
      const lines = [
        `Access of user ${out.targetPrincipal?.externalId ?? "?"} to app ${out.parent?.externalId ?? "?"}:`,
      ];
      if (!out.base && !out.additional?.length) lines.push("- no grants");
      if (out.base) lines.push(`- base: ${line(out.base)}`);
      for (const g of out.additional ?? []) lines.push(`- additional: ${line(g)}`);
      return lines.join("\n");
    },
  }),

  defineOperation({
    name: "okta_revoke_principal_access",
    title: "Revoke a user's access",
    description:
      "Removes a user's entitlement values or bundles (1-5 ORNs), or all their access to one app (its ORN alone). Asks a person to confirm with a preview of what is lost.",
    provider: "okta",
    route: "POST /governance/api/v2/revoke-principal-access",
    input: z
      .object({
        principalOrn: orn("The user's ORN: orn:okta:directory:{orgId}:users:{userId}.").refine(
          (v) => ornKind(v) === "users",
          "must be a users ORN ending in the user's Okta id (20 letters and digits)",
        ),
        revokeOrns: z.array(revokeOrn).min(1).max(5).describe("What to revoke (1-5 ORNs)."),
        actor: z
          .enum(["API", "ACCESS_REQUEST", "ADMIN", "NONE"])
          .optional()
          .describe("Who asks (default API)."),
      })
      .refine((i) => !i.revokeOrns.some((o) => ornKind(o) === "apps") || i.revokeOrns.length === 1, {
        path: ["revokeOrns"],
        message: "an app ORN revokes everything in that app and must be the only item",
      }),
    output: z.looseObject({ data: z.array(z.looseObject({})).nullish() }),
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
    // Effects: the user loses the values, bundles or app access named (revoke).
    guard: {
      effects: ["revoke"],
      reads: [
        {
          key: "user",
          route: "GET /api/v1/users/{userId}",
          optional: true,
          params: (i) => userRead(i.principalOrn),
        },
        {
          key: "bundles",
          route: "GET /governance/api/v1/entitlement-bundles/{entitlementBundleId}",
          optional: true,
          params: (i) =>
            i.revokeOrns
              .filter((o) => ornKind(o) === "entitlement-bundles")
              .map((o) => ({
                path: { entitlementBundleId: ornId(o) },
                query: { include: "full_entitlements" },
              })),
        },
        {
          key: "apps",
          route: "GET /api/v1/apps/{appId}",
          optional: true,
          params: (i) =>
            i.revokeOrns.filter((o) => ornKind(o) === "apps").map((o) => ({ path: { appId: ornId(o) } })),
        },
        {
          key: "effective",
          route: "GET /governance/api/v1/principal-entitlements",
          optional: true,
          params: (i) =>
            i.revokeOrns
              .filter((o) => ornKind(o) === "apps")
              .map((o) => ({
                query: { filter: scopeFilter({ appId: ornId(o), principalId: ornId(i.principalOrn) }) },
              })),
        },
        {
          key: "grants",
          route: "GET /governance/api/v1/grants",
          optional: true,
          params: (i, state) =>
            revokeApps(i, state).map((appId) => ({
              query: {
                filter: withRawFilter(
                  [appClause("target", appId), principalClause(ornId(i.principalOrn))],
                  undefined,
                ),
                limit: 200,
              },
            })),
        },
      ],
      preview: revokePreview,
      version: grantsVersion,
    },
    summarize: (out) =>
      `Revoked ${plural(out.data?.length ?? 0, "item")}. Check what remains with okta_list_principal_entitlements.`,
  }),
];
