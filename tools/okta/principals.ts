import { z } from "zod";
import { asObject } from "../../src/core/json.js";
import { DESTRUCTIVE_IDEMPOTENT, defineOperation, READ } from "../../src/core/operation.js";
import { eqClause } from "../../src/core/scim-filter.js";
import { defineQuery, eq, listSummary, pageHeader } from "../lists.js";
import {
  after,
  appClause,
  isoDateTime,
  listOutput,
  oktaId,
  optBool,
  optStr,
  orn,
  principalClause,
  scimFilter,
} from "../params.js";
import { plural } from "./previews/describe.js";
import {
  effectiveFilters,
  grantsFilters,
  ornKind,
  revokedApps,
  revokedBundles,
  revokedUser,
  revokePreview,
  revokeVersion,
} from "./previews/principals.js";
import { appRead, bundleRead, grantsRead, principalEntitlementsRead, userRead } from "./previews/reads.js";

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
  appId: oktaId().optional(),
  principalId: oktaId("The user.").optional(),
  filter: scimFilter(
    "Instead of appId + principalId. Attributes (eq): parent.*, parentResourceOrn, targetPrincipal.*, targetPrincipalOrn.",
  ).optional(),
};

const principalScopeInput = z.object(principalScope);
type PrincipalScope = z.output<typeof principalScopeInput>;

/** Okta answers for one user in one app: the appId and principalId clauses, or a raw filter. */
function needsScope(input: PrincipalScope) {
  return input.filter !== undefined || (input.appId !== undefined && input.principalId !== undefined);
}
const scopeRule = {
  path: ["principalId"],
  message: "give appId and principalId, or a filter: Okta answers for one user in one app",
};
const scopeFields = { appId: appClause("parent"), principalId: principalClause };

type ValueOut = z.output<typeof valueOut>;
const valueNames = (values: ValueOut[] | null | undefined) =>
  (values ?? []).map((v) => v.name ?? v.id ?? "?").join(", ") || "(no values)";

const revokeOrn = orn("An entitlement value ORN, a bundle ORN, or one app ORN alone.").refine(
  (v) => ["apps", "entitlement-values", "entitlement-bundles"].includes(ornKind(v) ?? ""),
  "must be an entitlement-values, entitlement-bundles or apps ORN ending in an Okta id (20 letters and digits)",
);

const revokeInput = z
  .object({
    principalOrn: orn("The user's ORN: orn:okta:directory:{orgId}:users:{userId}.").refine(
      (v) => ornKind(v) === "users",
      "must be a users ORN ending in the user's Okta id (20 letters and digits)",
    ),
    revokeOrns: z.array(revokeOrn).min(1).max(5).describe("What to revoke (1-5 ORNs)."),
    actor: z.enum(["API", "ACCESS_REQUEST", "ADMIN", "NONE"]).optional().describe("Who asks (default API)."),
  })
  .refine((i) => !i.revokeOrns.some((o) => ornKind(o) === "apps") || i.revokeOrns.length === 1, {
    path: ["revokeOrns"],
    message: "an app ORN revokes everything in that app and must be the only item",
  });

export type RevokeInput = z.output<typeof revokeInput>;

const historyEntitlementOut = z.looseObject({
  id: optStr,
  name: optStr,
  externalValue: optStr,
  values: z.array(valueOut).nullish(),
});
const historyOut = z.looseObject({
  resourceOrn: optStr,
  resource: z.looseObject({ externalId: optStr, type: optStr }).nullish(),
  principalOrn: optStr,
  principal: z.looseObject({ externalId: optStr, type: optStr }).nullish(),
  entitlementHistory: z
    .array(
      z.looseObject({
        startDate: optStr,
        endDate: optStr,
        lifecycle: optStr,
        entitlements: z.array(historyEntitlementOut).nullish(),
      }),
    )
    .nullish(),
  nextCursor: z.string().optional().describe("pass as `after` to get the next page"),
  total: z.number().int().optional(),
});
type HistoryOut = z.output<typeof historyOut>;

/** `resource.externalId eq "0oa…" AND resource.type eq "APPLICATION"`: the history's names for the app. */
const historyApp = (appId: string) =>
  `${eqClause("resource.externalId", appId)} AND ${eqClause("resource.type", "APPLICATION")}`;
const historyUser = (userId: string) =>
  `${eqClause("principal.externalId", userId)} AND ${eqClause("principal.type", "OKTA_USER")}`;

const historyInput = z
  .object({
    appId: oktaId().optional(),
    principalId: oktaId("The user.").optional(),
    startDate: isoDateTime.optional().describe("Only periods on or after this date-time (ISO 8601, UTC)."),
    endDate: isoDateTime.optional().describe("Only periods on or before this date-time (ISO 8601, UTC)."),
    filter: scimFilter(
      "Instead of appId + principalId. Attributes (eq): resource.*, principal.*, resourceOrn, principalOrn, resourceId, principalId, startDate, endDate.",
    ).optional(),
    after,
    limit: z.int().min(1).max(100).optional().describe("Periods per page, 1-100 (default 20)."),
    include: z
      .array(z.enum(["counts"]))
      .max(1)
      .optional()
      .describe('["counts"] adds the number of periods (total).'),
  })
  .refine((i) => i.filter !== undefined || (i.appId !== undefined && i.principalId !== undefined), {
    path: ["principalId"],
    message: "give appId and principalId, or a filter: Okta answers for one user in one app",
  });

/** The `after` cursor of a next link. */
function afterOf(href: string): string | undefined {
  try {
    return new URL(href, "http://placeholder.invalid").searchParams.get("after") ?? undefined;
  } catch {
    return undefined;
  }
}

/** The history with the next page's cursor and the count lifted out, as lists carry them. */
function shapeHistory(body: unknown): HistoryOut {
  const obj = asObject(body) ?? {};
  const next = asObject(asObject(obj._links)?.next)?.href;
  const total = asObject(obj.metadata)?.total;
  const nextCursor = typeof next === "string" ? afterOf(next) : undefined;
  return {
    ...obj,
    ...(nextCursor ? { nextCursor } : {}),
    ...(typeof total === "number" ? { total } : {}),
  } as HistoryOut;
}

function historyLine(r: NonNullable<HistoryOut["entitlementHistory"]>[number]): string {
  const when = r.endDate ? `${r.startDate ?? "?"} to ${r.endDate}` : `since ${r.startDate ?? "?"}`;
  const held = (r.entitlements ?? []).map((e) => `${e.name ?? e.id ?? "?"}: ${valueNames(e.values)}`);
  return `- ${when} (${r.lifecycle ?? "?"}): ${held.length ? held.join("; ") : "no entitlements"}`;
}

export const oktaPrincipalOperations = [
  defineQuery({
    name: "okta_list_principal_entitlements",
    title: "A user's effective entitlements",
    description:
      "What one user effectively holds in one app (every grant evaluated). Give appId and principalId.",
    provider: "okta",
    route: "GET /governance/api/v1/principal-entitlements",
    // The spec's getPrincipalEntitlements takes only `filter`: no paging parameters.
    input: principalScopeInput.refine(needsScope, scopeRule),
    output: listOutput(principalEntitlementOut),
    annotations: READ,
    guard: "none",
    paging: "okta-cursor",
    filterFields: scopeFields,
    summarize: (out, input) =>
      listSummary(
        out,
        "entitlements held",
        (e) => `- ${e.name ?? e.id ?? "?"} (${e.id ?? "?"}): ${valueNames(e.values)}`,
        {
          scope: input.principalId ? `by user ${input.principalId}` : undefined,
        },
      ),
  }),

  defineQuery({
    name: "okta_get_principal_access",
    title: "How a user got their access",
    description:
      "The grants behind one user's access to one app: base grant (policy or custom) and additional grants, with values and expiry.",
    provider: "okta",
    route: "GET /governance/api/v1/principal-access",
    input: principalScopeInput.refine(needsScope, scopeRule),
    output: principalAccessOut,
    annotations: READ,
    guard: "none",
    filterFields: scopeFields,
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

  defineQuery({
    name: "okta_get_principal_entitlements_history",
    title: "A user's entitlement history",
    description:
      "When one user held which entitlements in one app: periods, newest first, with the values held. Give appId and principalId. Current access: okta_get_principal_access.",
    provider: "okta",
    route: "GET /governance/api/v1/principal-entitlements/history",
    input: historyInput,
    output: historyOut,
    annotations: READ,
    guard: "none",
    filterFields: {
      appId: historyApp,
      principalId: historyUser,
      startDate: eq("startDate"),
      endDate: eq("endDate"),
    },
    shape: shapeHistory,
    summarize: (out) => {
      const records = out.entitlementHistory ?? [];
      const user = out.principal?.externalId ?? "?";
      const app = out.resource?.externalId ?? "?";
      const header = pageHeader({ items: records, nextCursor: out.nextCursor, total: out.total }, "periods", {
        scope: `of user ${user} in app ${app}`,
      });
      return [header, ...records.map(historyLine)].join("\n");
    },
  }),

  defineOperation({
    name: "okta_revoke_principal_access",
    title: "Revoke a user's access",
    description:
      "Removes a user's entitlement values or bundles (1-5 ORNs), or all their access to one app (its ORN alone). Asks to confirm.",
    provider: "okta",
    route: "POST /governance/api/v2/revoke-principal-access",
    input: revokeInput,
    output: z.looseObject({ data: z.array(z.looseObject({})).nullish() }),
    annotations: DESTRUCTIVE_IDEMPOTENT,
    // Effects: the user loses the values, bundles or app access named (revoke).
    guard: {
      effects: ["revoke"],
      reads: [
        userRead(revokedUser),
        bundleRead(revokedBundles, { key: "bundles", optional: true }),
        appRead(revokedApps, "apps"),
        principalEntitlementsRead("effective", effectiveFilters),
        grantsRead("grants", grantsFilters),
      ],
      preview: revokePreview,
      version: revokeVersion,
    },
    summarize: (out) =>
      `Revoked ${plural(out.data?.length ?? 0, "item")}. Check what remains with okta_list_principal_entitlements.`,
  }),
];
