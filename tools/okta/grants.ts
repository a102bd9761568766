import { z } from "zod";
import { DESTRUCTIVE, DESTRUCTIVE_IDEMPOTENT, defineOperation, READ } from "../../src/core/operation.js";
import { defineQuery, eq, inApp, listSummary } from "../lists.js";
import {
  after,
  appClause,
  appRef,
  entitlementRefs,
  isoDateTime,
  listOutput,
  oktaId,
  optStr,
  orn,
  pageLimit,
  principalClause,
  principalRef,
  sameId,
  scimFilter,
} from "../params.js";
import { plural } from "./previews/describe.js";
import {
  createGrantPreview,
  createGrantSod,
  createGrantVersion,
  entitlementsOfNewGrant,
  entitlementsToNameInGrant,
  existingGrantsFilter,
  grantApp,
  grantee,
  grantUser,
  replaceGrantPreview,
  replaceGrantSod,
  updateGrantPreview,
} from "./previews/grants.js";
import {
  appRead,
  bundleApp,
  bundleRead,
  entitlementsRead,
  fromInput,
  grantRead,
  grantsRead,
  inputApp,
  userRead,
} from "./previews/reads.js";
import { sodRead } from "./previews/sod.js";

/** Every grant type a grant can have, as read. */
const GRANT_TYPES = ["ENTITLEMENT-BUNDLE", "CUSTOM", "POLICY", "ENTITLEMENT"] as const;
/** The grant types a create may name: the spec's grant-creatable maps these three (not ENTITLEMENT). */
const CREATABLE_GRANT_TYPES = ["ENTITLEMENT-BUNDLE", "CUSTOM", "POLICY"] as const;
const ACTORS = ["API", "ACCESS_REQUEST", "ADMIN", "NONE"] as const;

const grantId = oktaId();
const include = z
  .array(z.enum(["full_entitlements", "metadata"]))
  .max(2)
  .optional()
  .describe("full_entitlements: names and values too.");

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

/** When a grant ends: an ISO 8601 date-time and an IANA time zone, both optional as in the spec. */
const schedule = (expires: string, timeZoneExample: string) =>
  z.object({
    expirationDate: isoDateTime.optional().describe(expires),
    timeZone: z.string().min(1).max(64).optional().describe(`IANA time zone, e.g. ${timeZoneExample}.`),
  });

const createInput = z
  .object({
    grantType: z
      .enum(CREATABLE_GRANT_TYPES)
      .describe("ENTITLEMENT-BUNDLE: a bundle; CUSTOM: explicit values; POLICY: the app's policy."),
    targetPrincipal: principalRef,
    entitlementBundleId: oktaId("Bundle to grant (ENTITLEMENT-BUNDLE).").optional(),
    target: appRef.optional().describe("The app (CUSTOM, POLICY)."),
    entitlements: entitlementRefs.optional().describe("The values (CUSTOM)."),
    scheduleSettings: schedule("When the grant ends (ISO 8601 date-time).", "America/New_York")
      .optional()
      .describe("Optional expiry of the grant."),
    action: z
      .enum(["ALLOW", "DENY"])
      .optional()
      .describe(
        "ALLOW (default) or DENY (revokes; CUSTOM DENY without entitlements: all access to the app).",
      ),
    actor: z.enum(ACTORS).optional().describe("Who asks: API (default), ACCESS_REQUEST, ADMIN or NONE."),
  })
  .superRefine((i, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
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
  });

const replaceInput = z
  .object({
    grantId,
    id: z.string().min(1).describe("Equals grantId."),
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
      .describe("The complete values after the replace; values left out are taken away."),
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
  });

const updateInput = z
  .object({
    grantId,
    id: z.string().min(1).describe("Equals grantId."),
    scheduleSettings: schedule("When the grant ends (ISO 8601).", "Europe/Berlin").describe(
      "The new expiry.",
    ),
  })
  .superRefine(sameId("grantId"));

export type CreateGrantInput = z.output<typeof createInput>;
export type ReplaceGrantInput = z.output<typeof replaceInput>;
export type UpdateGrantInput = z.output<typeof updateInput>;

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

export const oktaGrantOperations = [
  defineQuery({
    name: "okta_list_grants",
    title: "List grants",
    description:
      "Lists the active grants (who was given which bundle or values) in one app, optionally for one user or bundle. Give appId or filter.",
    provider: "okta",
    route: "GET /governance/api/v1/grants",
    input: z
      .object({
        appId: oktaId().optional(),
        principalId: oktaId("Only this user's grants (00u…; okta_search_users).").optional(),
        entitlementBundleId: oktaId("Only grants of this bundle (enb…).").optional(),
        filter: scimFilter(
          "Must pin one app. Attributes (eq): targetResourceOrn, target.*, targetPrincipalOrn, targetPrincipal.*, entitlementBundleId, entitlements.id, entitlements.values.id, action.",
        ).optional(),
        after,
        limit: pageLimit,
        include,
      })
      .refine((i) => i.filter !== undefined || i.appId !== undefined, {
        path: ["appId"],
        message: "give appId or filter: Okta lists the grants of one app (filter by target.externalId)",
      }),
    output: listOutput(grantOut),
    annotations: READ,
    guard: "none",
    paging: "okta-cursor",
    filterFields: {
      appId: appClause("target"),
      principalId: principalClause,
      entitlementBundleId: eq("entitlementBundleId"),
    },
    summarize: (out, input) => {
      const scope = [inApp(input.appId), input.principalId ? `of user ${input.principalId}` : ""]
        .filter(Boolean)
        .join(" ");
      return listSummary(out, "active grants", grantLine, { scope });
    },
  }),

  defineQuery({
    name: "okta_get_grant",
    title: "Get a grant",
    description:
      "Gets one grant: its type, user, app, bundle or entitlement values, status and expiry. Use before okta_replace_grant.",
    provider: "okta",
    route: "GET /governance/api/v1/grants/{grantId}",
    input: z.object({ grantId, include }),
    output: grantOut,
    annotations: READ,
    guard: "none",
    summarize: (out) => grantSummary("Grant", out),
  }),

  defineOperation({
    name: "okta_create_grant",
    title: "Grant or revoke access",
    description:
      "Gives a user a bundle (ENTITLEMENT-BUNDLE), entitlement values (CUSTOM) or policy access (POLICY) in an app; action DENY revokes. CUSTOM and POLICY replace the user's other grants in the app. Asks to confirm.",
    provider: "okta",
    route: "POST /governance/api/v1/grants",
    input: createInput,
    output: grantOut,
    annotations: DESTRUCTIVE,
    // Effects: the user gains what the grant gives (grant); DENY, or a base grant that replaces the
    // user's other grants in the app, takes access (revoke).
    guard: {
      effects: ["grant", "revoke"],
      reads: [
        userRead(grantee),
        bundleRead(fromInput("entitlementBundleId")),
        appRead(bundleApp),
        entitlementsRead(entitlementsOfNewGrant),
        grantsRead("existingGrants", existingGrantsFilter),
        sodRead(createGrantSod),
      ],
      preview: createGrantPreview,
      version: createGrantVersion,
    },
    summarize: (out) => grantSummary("Created grant", out),
  }),

  defineOperation({
    name: "okta_replace_grant",
    title: "Replace a grant's entitlements",
    description:
      "Replaces the entitlement values of a CUSTOM grant with the complete grant; values left out are taken away. Get it first (okta_get_grant). Asks to confirm.",
    provider: "okta",
    route: "PUT /governance/api/v1/grants/{grantId}",
    input: replaceInput,
    output: grantOut,
    annotations: DESTRUCTIVE_IDEMPOTENT,
    // Effects: values gained (grant) or lost (revoke), the other way round for a DENY grant; fields Okta
    // does not replace, or a grant the read did not show whole, are unknown.
    guard: {
      effects: ["grant", "revoke", "unknown"],
      reads: [
        grantRead(fromInput("grantId")),
        userRead(grantee),
        appRead(inputApp),
        entitlementsRead(entitlementsToNameInGrant),
        sodRead(replaceGrantSod),
      ],
      preview: replaceGrantPreview,
    },
    summarize: (out) => grantSummary("Replaced grant", out),
  }),
  defineOperation({
    name: "okta_update_grant",
    title: "Change a grant's expiry",
    description:
      "Sets or changes when a grant ends (only the expiry can change). Asks to confirm, showing the old and new expiry.",
    provider: "okta",
    route: "PATCH /governance/api/v1/grants/{grantId}",
    input: updateInput,
    output: grantOut,
    annotations: DESTRUCTIVE_IDEMPOTENT,
    // Effects: an earlier end takes access sooner (revoke), a later one keeps it longer (grant).
    guard: {
      effects: ["grant", "revoke", "unknown"],
      reads: [grantRead(fromInput("grantId")), userRead(grantUser), appRead(grantApp)],
      preview: updateGrantPreview,
    },
    summarize: (out) => grantSummary("Updated grant", out),
  }),
];
