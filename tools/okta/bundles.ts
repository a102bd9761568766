import { z } from "zod";
import { DESTRUCTIVE_IDEMPOTENT, defineOperation, READ, WRITE } from "../../src/core/operation.js";
import { co, defineQuery, eq, inApp, listSummary, sw } from "../lists.js";
import {
  appClause,
  appRef,
  deletedOutput,
  entitlementRefs,
  listOutput,
  nameContains,
  nameStartsWith,
  oktaId,
  optStr,
  orderBy,
  orn,
  pageLimit,
  sameId,
  scimFilter,
} from "../params.js";
import {
  bundleGrants,
  createBundlePreview,
  deleteBundlePreview,
  entitlementsToNameInBundle,
  firstHolders,
  replaceBundlePreview,
  replaceBundleSod,
} from "./previews/bundles.js";
import { named, plural } from "./previews/describe.js";
import {
  appRead,
  bundleApp,
  bundleRead,
  entitlementsRead,
  fromInput,
  grantsRead,
  userRead,
} from "./previews/reads.js";
import { sodRead } from "./previews/sod.js";

const entitlementBundleId = oktaId();
const include = z
  .array(z.enum(["full_entitlements"]))
  .max(1)
  .optional()
  .describe('["full_entitlements"] to get the entitlements with names and values.');

const bundleOut = z.looseObject({
  id: optStr,
  name: optStr,
  description: optStr,
  status: optStr,
  targetResourceOrn: optStr,
  target: z.looseObject({ externalId: optStr, type: optStr }).nullish(),
  entitlements: z
    .array(
      z.looseObject({
        id: optStr,
        name: optStr,
        values: z.array(z.looseObject({ id: optStr, name: optStr, externalValue: optStr })).nullish(),
      }),
    )
    .nullish(),
  lastUpdated: optStr,
});
type BundleOut = z.output<typeof bundleOut>;

const bundleIdInput = z.object({ entitlementBundleId });

const createInput = z.object({
  name: z.string().min(1).max(255).describe("Unique bundle name."),
  description: z.string().min(1).max(1000).optional().describe("What the bundle is for."),
  target: appRef,
  entitlements: entitlementRefs.min(1).describe("The entitlement values it gives."),
});

const replaceInput = z
  .object({
    entitlementBundleId,
    id: z.string().min(1).describe("Equals entitlementBundleId."),
    name: z.string().min(1).max(255).describe("The bundle name; a new one renames it."),
    description: z.string().min(1).max(1000).optional().describe("What the bundle is for."),
    status: z.enum(["ACTIVE", "DELETED"]).optional().describe("As read; omit to keep it."),
    targetResourceOrn: orn("App ORN, as read."),
    target: appRef,
    entitlements: entitlementRefs.optional().describe("The complete values; values left out are dropped."),
  })
  .superRefine(sameId("entitlementBundleId"));

export type BundleIdInput = z.output<typeof bundleIdInput>;
export type CreateBundleInput = z.output<typeof createInput>;
export type ReplaceBundleInput = z.output<typeof replaceInput>;

function bundleLine(b: BundleOut): string {
  const values = (b.entitlements ?? []).reduce((n, e) => n + (e.values?.length ?? 0), 0);
  const content = b.entitlements?.length
    ? `, ${plural(b.entitlements.length, "entitlement")}, ${plural(values, "value")}`
    : "";
  return `- ${b.name ?? "(unnamed)"} (${b.id ?? "?"}) ${b.status ?? ""}, app ${b.target?.externalId ?? "?"}${content}`;
}

function bundleSummary(lead: string, b: BundleOut): string {
  const values = (b.entitlements ?? []).flatMap((e) =>
    (e.values ?? []).map((v) => (v.name ? `${e.name ?? e.id}: ${v.name}` : (v.id ?? "?"))),
  );
  const listed = values.length
    ? `; values: ${values.slice(0, 20).join(", ")}${values.length > 20 ? ", …" : ""}`
    : "";
  return `${lead} ${named(b.name, b.id ?? "?")} (${b.status ?? "?"}) of app ${b.target?.externalId ?? "?"}${listed}.`;
}

export const oktaBundleOperations = [
  defineQuery({
    name: "okta_list_bundles",
    title: "List entitlement bundles",
    description:
      "Lists entitlement bundles (sets of values granted together), optionally of one app or by name. Then okta_get_bundle, or okta_create_grant to grant one.",
    provider: "okta",
    route: "GET /governance/api/v1/entitlement-bundles",
    input: z.object({
      appId: oktaId("Only this app's bundles (0oa…).").optional(),
      nameStartsWith,
      nameContains,
      status: z.enum(["ACTIVE", "DELETED"]).optional(),
      filter: scimFilter(
        "Attributes: id (gt), lastUpdated (gt, ge, lt, le), targetResourceOrn, target.externalId, target.type, status (eq), name (sw, co).",
      ).optional(),
      // The spec's cursor here is a bundle id (20 characters).
      after: oktaId().optional(),
      limit: pageLimit,
      orderBy: orderBy('e.g. "created desc" or "lastUpdated asc,id asc".', true),
      include,
    }),
    output: listOutput(bundleOut),
    annotations: READ,
    guard: "none",
    paging: "okta-cursor",
    filterFields: {
      appId: appClause("target"),
      nameStartsWith: sw("name"),
      nameContains: co("name"),
      status: eq("status"),
    },
    summarize: (out, input) => listSummary(out, "bundles", bundleLine, { scope: inApp(input.appId) }),
  }),

  defineQuery({
    name: "okta_get_bundle",
    title: "Get an entitlement bundle",
    description: "Gets one bundle with its app, status, entitlements and values.",
    provider: "okta",
    route: "GET /governance/api/v1/entitlement-bundles/{entitlementBundleId}",
    input: z.object({ entitlementBundleId, include }),
    output: bundleOut,
    annotations: READ,
    guard: "none",
    summarize: (out) => bundleSummary("Bundle", out),
  }),

  defineOperation({
    name: "okta_create_bundle",
    title: "Create an entitlement bundle",
    description:
      "Creates a bundle: a named set of one app's entitlement values, granted together (okta_create_grant). Value ids: okta_list_all_entitlement_values.",
    provider: "okta",
    route: "POST /governance/api/v1/entitlement-bundles",
    input: createInput,
    output: bundleOut,
    annotations: WRITE,
    // Effects: a new bundle nobody holds yet (create).
    guard: {
      effects: ["create"],
      reads: [],
      preview: createBundlePreview,
    },
    summarize: (out) => bundleSummary("Created bundle", out),
  }),

  defineOperation({
    name: "okta_replace_bundle",
    title: "Replace an entitlement bundle",
    description:
      "Replaces a bundle with the complete object; every holder loses the values left out. Get it first (okta_get_bundle). Asks to confirm when somebody holds it.",
    provider: "okta",
    route: "PUT /governance/api/v1/entitlement-bundles/{entitlementBundleId}",
    input: replaceInput,
    output: bundleOut,
    annotations: DESTRUCTIVE_IDEMPOTENT,
    // Effects: re-provisions, renames or removes the bundle (an access change when somebody holds it),
    // changes its description (describe).
    guard: {
      effects: ["provisioning", "rename", "remove", "describe", "unknown"],
      reads: [
        bundleRead(fromInput("entitlementBundleId")),
        appRead(bundleApp),
        grantsRead("grants", bundleGrants),
        entitlementsRead(entitlementsToNameInBundle),
        sodRead(replaceBundleSod),
      ],
      preview: replaceBundlePreview,
    },
    summarize: (out) => bundleSummary("Replaced bundle", out),
  }),

  defineOperation({
    name: "okta_delete_bundle",
    title: "Delete an entitlement bundle",
    description:
      "Deletes a bundle; its holders lose the access it gives. Asks to confirm, naming the holders.",
    provider: "okta",
    route: "DELETE /governance/api/v1/entitlement-bundles/{entitlementBundleId}",
    input: bundleIdInput,
    output: deletedOutput,
    annotations: DESTRUCTIVE_IDEMPOTENT,
    // Effects: the bundle goes (remove); its holders lose what it gives.
    guard: {
      effects: ["remove"],
      reads: [
        bundleRead(fromInput("entitlementBundleId")),
        appRead(bundleApp),
        grantsRead("grants", bundleGrants),
        userRead(firstHolders, "holders"),
      ],
      preview: deleteBundlePreview,
    },
    shape: (_body, input) => ({ deleted: true, id: input.entitlementBundleId }),
    summarize: (out) => `Deleted bundle ${out.id}; it is now DELETED and no longer grants access.`,
  }),
];
