import { z } from "zod";
import { defineOperation, type Effect, type Held, type Preview } from "../../src/core/operation.js";
import { quote } from "../../src/core/sanitize.js";
import {
  after,
  appClause,
  appRef,
  coClause,
  deletedOutput,
  entitlementRefs,
  eqClause,
  joinInclude,
  listOutput,
  nameContains,
  nameStartsWith,
  oktaId,
  omit,
  optStr,
  orderBy,
  orn,
  pageLimit,
  query,
  sameId,
  scimFilter,
  swClause,
  withRawFilter,
} from "../params.js";
import {
  appIdOf,
  appLabel,
  capLines,
  entitlementsToName,
  hasNextPage,
  indexEntitlementNames,
  indexValues,
  listData,
  named,
  obj,
  objects,
  pageHeader,
  pairLabel,
  plural,
  str,
  userLabel,
  valuePairs,
} from "./previews/describe.js";

const ROUTE = "/governance/api/v1/entitlement-bundles";
const MAX_HOLDERS_READ = 20;

const entitlementBundleId = oktaId("Bundle id (enb…).");
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

const bundleRead = {
  key: "bundle",
  route: `GET ${ROUTE}/{entitlementBundleId}`,
  params: (i: { entitlementBundleId: string }) => ({
    path: { entitlementBundleId: i.entitlementBundleId },
    query: { include: "full_entitlements" },
  }),
} as const;

const appRead = {
  key: "app",
  route: "GET /api/v1/apps/{appId}",
  optional: true,
  params: (
    i: { entitlementBundleId: string; target?: { externalId: string } | undefined },
    state: Readonly<Record<string, unknown>>,
  ) => {
    const id = appIdOf(state.bundle) ?? i.target?.externalId;
    return id ? { path: { appId: id } } : null;
  },
} as const;

const bundleGrantsRead = {
  key: "grants",
  route: "GET /governance/api/v1/grants",
  optional: true,
  params: (
    i: { entitlementBundleId: string; target?: { externalId: string } | undefined },
    state: Readonly<Record<string, unknown>>,
  ) => {
    const id = appIdOf(state.bundle) ?? i.target?.externalId;
    if (!id) return null;
    const filter = `${appClause("target", id)} AND ${eqClause("entitlementBundleId", i.entitlementBundleId)}`;
    return { path: {}, query: { filter, limit: 200 } };
  },
} as const;

/** The distinct users holding the grants of a raw grants list body. */
function holders(grants: unknown): string[] {
  const ids = listData(grants).flatMap((g) => {
    const id = str(obj(g.targetPrincipal)?.externalId);
    return id ? [id] : [];
  });
  return [...new Set(ids)];
}

/** "2 users" / "1 user (or more)": how many hold the bundle, and the verb that agrees with it. */
function holderCount(grants: unknown): { users: string; hold: string } {
  const n = holders(grants).length;
  return {
    users: `${plural(n, "user")}${hasNextPage(grants) ? " (or more)" : ""}`,
    hold: n === 1 ? "holds" : "hold",
  };
}

interface ReplaceInput {
  entitlementBundleId: string;
  name: string;
  description?: string | undefined;
  status: string;
  targetResourceOrn: string;
  target: { externalId: string };
  entitlements?: { id: string; values: { id: string }[] }[] | undefined;
}

/** Whether anybody holds the bundle, from its grants read. */
function bundleHeld(grants: unknown): Held {
  if (grants === undefined) return "unknown";
  if (holders(grants).length > 0) return "yes";
  return hasNextPage(grants) ? "unknown" : "no";
}

/**
 * The preview of a replace, with its effects: values added to or dropped from the bundle, its app, ORN or
 * a re-activation change what it provisions; a rename; DELETED removes it; the description only describes.
 * Each is an access change exactly when somebody holds the bundle.
 */
function replacePreview(input: ReplaceInput, state: Readonly<Record<string, unknown>>): Preview {
  const bundle = obj(state.bundle);
  const appId = appIdOf(bundle) ?? input.target.externalId;
  const known = [...objects(bundle?.entitlements), ...objects(state.entitlements)];
  const values = indexValues(known);
  const names = indexEntitlementNames(known);
  const current = valuePairs(bundle?.entitlements);
  const next = valuePairs(input.entitlements ?? []);
  const nextIds = new Set(next.map((p) => p.valueId));
  const currentIds = new Set(current.map((p) => p.valueId));
  const added = next.filter((p) => !currentIds.has(p.valueId));
  const dropped = current.filter((p) => !nextIds.has(p.valueId));
  const held = bundleHeld(state.grants);
  const on = input.entitlementBundleId;
  const details: string[] = [];
  const effects: Effect[] = [];
  const reprovisions = (line: string) => {
    effects.push({ kind: "provisioning", held, on });
    details.push(line);
  };
  if (!bundle) effects.push({ kind: "unknown", on });
  if (input.entitlements === undefined && current.length > 0) {
    reprovisions("No entitlements were given: Okta may drop every current value of the bundle.");
  }
  for (const p of added) reprovisions(`Adds ${pairLabel(p, values, names)}`);
  for (const p of dropped) reprovisions(`Drops ${pairLabel(p, values, names)}`);
  if (added.length === 0 && dropped.length === 0) details.push("The entitlement values stay the same.");
  else if (dropped.length === 0 && input.entitlements !== undefined) details.push("No value is dropped.");
  if (bundle && str(bundle.name) !== input.name) {
    effects.push({ kind: "rename", held, on });
    details.push(
      `Renames the bundle from ${quote(str(bundle.name) ?? "?")} to ${quote(input.name)} (Okta says the name can't be modified)`,
    );
  }
  if (bundle && (str(bundle.description) ?? undefined) !== input.description) {
    effects.push({ kind: "describe", on });
    details.push("Changes the description");
  }
  if (bundle && str(bundle.status) !== input.status) {
    if (input.status === "DELETED") effects.push({ kind: "remove", on });
    else effects.push({ kind: "provisioning", held, on });
    details.push(`Sets the status to ${input.status}`);
  }
  if (appIdOf(bundle) && appIdOf(bundle) !== input.target.externalId) {
    reprovisions(`Moves the bundle to app ${input.target.externalId}`);
  }
  if (bundle && str(bundle.targetResourceOrn) !== input.targetResourceOrn) {
    reprovisions("Changes the bundle's targetResourceOrn");
  }
  if (state.grants === undefined) details.push("Who holds this bundle could not be checked.");
  else if (holders(state.grants).length === 0) details.push("No user holds this bundle right now.");
  else {
    const { users, hold } = holderCount(state.grants);
    details.push(
      added.length + dropped.length > 0 || input.entitlements === undefined
        ? `Changes the access of ${users} who ${hold} this bundle.`
        : `${users} ${hold} this bundle; their entitlement values stay the same.`,
    );
  }
  const effect = [
    added.length ? `adds ${plural(added.length, "value")}` : undefined,
    dropped.length ? `drops ${plural(dropped.length, "value")}` : undefined,
  ].filter(Boolean);
  return {
    summary: `Replace bundle ${named(bundle?.name ?? input.name, input.entitlementBundleId)} of ${appLabel(state.app, appId)}${effect.length ? `: ${effect.join(", ")}` : ""}.`,
    details: capLines(details),
    effects,
    targetIds: [input.entitlementBundleId, appId],
  };
}

function deletePreview(
  input: { entitlementBundleId: string },
  state: Readonly<Record<string, unknown>>,
): Preview {
  const bundle = obj(state.bundle);
  const appId = appIdOf(bundle);
  const values = indexValues(objects(bundle?.entitlements));
  const names = indexEntitlementNames(objects(bundle?.entitlements));
  const pairs = valuePairs(bundle?.entitlements);
  const details: string[] = [];
  if (str(bundle?.status) === "DELETED") details.push("The bundle is already DELETED (Okta answers 409).");
  details.push(
    pairs.length
      ? `It gives ${plural(pairs.length, "entitlement value")}: ${pairs
          .slice(0, 20)
          .map((p) => pairLabel(p, values, names))
          .join(", ")}${pairs.length > 20 ? ", …" : ""}`
      : "It gives no entitlement values.",
  );
  if (state.grants === undefined) details.push("Who holds this bundle could not be checked.");
  else {
    const ids = holders(state.grants);
    if (ids.length === 0) details.push("No user holds this bundle.");
    else {
      const { users: count, hold } = holderCount(state.grants);
      details.push(`${count} ${hold} this bundle and will lose the access it gives:`);
      const users = Array.isArray(state.holders) ? state.holders : [];
      const lines = ids.slice(0, MAX_HOLDERS_READ).map((id, n) => userLabel(users[n], id));
      details.push(...lines);
      if (ids.length > MAX_HOLDERS_READ) details.push(`… and ${ids.length - MAX_HOLDERS_READ} more users`);
    }
  }
  return {
    summary: `Delete bundle ${named(bundle?.name, input.entitlementBundleId)} of ${appLabel(state.app, appId)}.`,
    details,
    effects: [{ kind: "remove", on: input.entitlementBundleId }],
    targetIds: appId ? [input.entitlementBundleId, appId] : [input.entitlementBundleId],
    confirmName: str(bundle?.name) ?? input.entitlementBundleId,
  };
}

export const oktaBundleOperations = [
  defineOperation({
    name: "okta_list_bundles",
    title: "List entitlement bundles",
    description:
      "Lists entitlement bundles (named sets of entitlement values that are granted together), optionally of one app (appId from okta_search_apps) or by name. Then okta_get_bundle for the values, or okta_create_grant to grant one.",
    provider: "okta",
    route: `GET ${ROUTE}`,
    input: z.object({
      appId: oktaId("Only this app's bundles (0oa…).").optional(),
      nameStartsWith,
      nameContains,
      status: z.enum(["ACTIVE", "DELETED"]).optional().describe("Only bundles with this status."),
      filter: scimFilter(
        'SCIM filter, ANDed with the fields above. Attributes: id (gt), lastUpdated (gt, ge, lt, le), targetResourceOrn, target.externalId, target.type, status (eq), name (sw, co). Example: lastUpdated gt "2025-01-01T00:00:00Z"',
      ).optional(),
      after,
      limit: pageLimit(20),
      orderBy: orderBy(
        'Sort: "created desc", "lastUpdated asc", or several: "lastUpdated asc,id asc".',
        true,
      ),
      include,
    }),
    output: listOutput(bundleOut),
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    guard: "none",
    paging: "okta-cursor",
    request: (input) => ({
      query: query({
        filter: withRawFilter(
          [
            appClause("target", input.appId),
            input.nameStartsWith === undefined ? undefined : swClause("name", input.nameStartsWith),
            input.nameContains === undefined ? undefined : coClause("name", input.nameContains),
            input.status === undefined ? undefined : eqClause("status", input.status),
          ],
          input.filter,
        ),
        after: input.after,
        limit: input.limit,
        orderBy: input.orderBy,
        include: joinInclude(input.include),
      }),
    }),
    summarize: (out, input) =>
      [
        pageHeader(out, "bundles", input.appId ? `in app ${input.appId}` : undefined),
        ...out.items.map(bundleLine),
      ].join("\n"),
  }),

  defineOperation({
    name: "okta_get_bundle",
    title: "Get an entitlement bundle",
    description:
      "Gets one entitlement bundle with its app, status and full entitlements and values. Use before okta_replace_bundle or to check what okta_create_grant would give.",
    provider: "okta",
    route: `GET ${ROUTE}/{entitlementBundleId}`,
    input: z.object({ entitlementBundleId, include }),
    output: bundleOut,
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    guard: "none",
    request: (input) => ({ query: query({ include: joinInclude(input.include) }) }),
    summarize: (out) => bundleSummary("Bundle", out),
  }),

  defineOperation({
    name: "okta_create_bundle",
    title: "Create an entitlement bundle",
    description:
      "Creates an entitlement bundle: a named set of entitlement values of one app, granted together with okta_create_grant. Find value ids with okta_list_all_entitlement_values. Returns the bundle.",
    provider: "okta",
    route: `POST ${ROUTE}`,
    input: z.object({
      name: z.string().min(1).max(255).describe("Unique bundle name (can't be changed later)."),
      description: z.string().min(1).max(1000).optional().describe("What the bundle is for."),
      target: appRef,
      entitlements: entitlementRefs
        .min(1)
        .describe('The entitlements and values it gives: [{id: "esp…", values: [{id: "ent…"}]}].'),
    }),
    output: bundleOut,
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    // Effects: a new bundle nobody holds yet (create).
    guard: {
      effects: ["create"],
      reads: [],
      preview: (input) => ({
        summary: `Create bundle ${quote(input.name)} in app ${input.target.externalId} with ${plural(valuePairs(input.entitlements).length, "entitlement value")}.`,
        details: [],
        effects: [{ kind: "create" }],
        targetIds: [input.target.externalId],
      }),
    },
    summarize: (out) => bundleSummary("Created bundle", out),
  }),

  defineOperation({
    name: "okta_replace_bundle",
    title: "Replace an entitlement bundle",
    description:
      "Replaces a bundle's description or entitlements with the complete object; the change applies to every user who holds the bundle, so values left out are taken from them. Get it first with okta_get_bundle. Asks for confirmation when somebody holds it.",
    provider: "okta",
    route: `PUT ${ROUTE}/{entitlementBundleId}`,
    input: z
      .object({
        entitlementBundleId,
        id: oktaId("The bundle id again (the body's id); must equal entitlementBundleId."),
        name: z.string().min(1).max(255).describe("The bundle name (can't be changed)."),
        description: z.string().min(1).max(1000).optional().describe("What the bundle is for."),
        status: z.enum(["ACTIVE", "DELETED"]).describe("As read."),
        targetResourceOrn: orn("App ORN, as read."),
        target: appRef,
        entitlements: entitlementRefs
          .optional()
          .describe(
            'The complete entitlements and values: [{id: "esp…", values: [{id: "ent…"}]}]; values left out are dropped.',
          ),
      })
      .superRefine(sameId("entitlementBundleId")),
    output: bundleOut,
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
    // Effects: re-provisions, renames or removes the bundle (an access change when somebody holds it),
    // changes its description (describe).
    guard: {
      effects: ["provisioning", "rename", "remove", "describe", "unknown"],
      reads: [
        bundleRead,
        appRead,
        bundleGrantsRead,
        {
          key: "entitlements",
          route: "GET /governance/api/v1/entitlements/{entitlementId}",
          optional: true,
          params: (input, state) => {
            const current = objects(obj(state.bundle)?.entitlements);
            const ids = entitlementsToName([...(input.entitlements ?? []), ...current], current);
            return ids.length ? ids.map((entitlementId) => ({ path: { entitlementId } })) : null;
          },
        },
      ],
      preview: replacePreview,
    },
    request: (input) => ({ body: omit(input, ["entitlementBundleId"]) }),
    summarize: (out) => bundleSummary("Replaced bundle", out),
  }),

  defineOperation({
    name: "okta_delete_bundle",
    title: "Delete an entitlement bundle",
    description:
      "Deletes an entitlement bundle (status DELETED); users who hold it lose the access it gives. Asks a person to confirm with a preview naming the holders.",
    provider: "okta",
    route: `DELETE ${ROUTE}/{entitlementBundleId}`,
    input: z.object({ entitlementBundleId }),
    output: deletedOutput,
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
    // Effects: the bundle goes (remove); its holders lose what it gives.
    guard: {
      effects: ["remove"],
      reads: [
        bundleRead,
        appRead,
        bundleGrantsRead,
        {
          key: "holders",
          route: "GET /api/v1/users/{userId}",
          optional: true,
          params: (_input, state) => {
            if (state.grants === undefined) return null;
            const ids = holders(state.grants).slice(0, MAX_HOLDERS_READ);
            return ids.length ? ids.map((userId) => ({ path: { userId } })) : null;
          },
        },
      ],
      preview: deletePreview,
    },
    shape: (_body, input) => ({ deleted: true, id: input.entitlementBundleId }),
    summarize: (out) => `Deleted bundle ${out.id}; it is now DELETED and no longer grants access.`,
  }),
];
