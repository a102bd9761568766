import { z } from "zod";
import { defineOperation, type Effect, type Preview } from "../../src/core/operation.js";
import { quote } from "../../src/core/sanitize.js";
import {
  after,
  appClause,
  appRef,
  coClause,
  deletedOutput,
  eqClause,
  listOutput,
  nameContains,
  nameStartsWith,
  oktaId,
  omit,
  optBool,
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
  named,
  type Obj,
  obj,
  objects,
  pageHeader,
  plural,
  provisions,
  str,
  valueText,
} from "./previews/describe.js";
import { appGrantsRead, entitlementHeld, heldText, holdingsOf, valueHeld } from "./previews/holdings.js";

const ROUTE = "/governance/api/v1/entitlements";

const entitlementId = oktaId("Entitlement id (esp…).");

const entitlementRead = {
  key: "entitlement",
  route: `GET ${ROUTE}/{entitlementId}`,
  params: (i: { entitlementId: string }) => ({ path: { entitlementId: i.entitlementId } }),
} as const;
const appId = oktaId("App id (0oa…; okta_search_apps).");

const parentOut = z.looseObject({ externalId: optStr, type: optStr });
const valueOut = z.looseObject({
  id: optStr,
  name: optStr,
  externalValue: optStr,
  description: optStr,
  externalId: optStr,
  orn: optStr,
  entitlementId: optStr,
  parentResourceOrn: optStr,
  parent: parentOut.nullish(),
});
const entitlementOut = z.looseObject({
  id: optStr,
  name: optStr,
  externalValue: optStr,
  description: optStr,
  multiValue: optBool,
  required: optBool,
  dataType: optStr,
  parentResourceOrn: optStr,
  parent: parentOut.nullish(),
  values: z.array(valueOut).nullish(),
  lastUpdated: optStr,
  metadata: z.looseObject({ total: z.number().nullish() }).nullish(),
});

type EntitlementOut = z.output<typeof entitlementOut>;
type ValueOut = z.output<typeof valueOut>;

const valueFields = {
  name: z.string().min(1).max(255).describe("Display name of the value."),
  externalValue: z.string().min(1).max(2000).describe("The value as the app knows it."),
  description: z.string().min(1).max(1024).optional().describe("Description of the value."),
};

const entitlementFields = {
  name: z.string().min(1).max(255).describe("Display name of the entitlement."),
  externalValue: z.string().min(1).max(255).describe("The entitlement (property) as the app knows it."),
  description: z.string().min(1).max(1000).optional().describe("Description of the entitlement."),
  parent: appRef,
  multiValue: z.boolean().describe("true when a user can hold several values."),
  dataType: z.enum(["string", "array"]).describe('"array" for multi-valued entitlements, else "string".'),
};

function entitlementLine(e: EntitlementOut): string {
  const kind = e.multiValue ? "multi" : "single";
  return `- ${e.name ?? "(unnamed)"} (${e.id ?? "?"}) values: ${kind}, externalValue=${e.externalValue ?? "?"}`;
}

function valueLine(v: ValueOut): string {
  const of = v.entitlementId ? `, entitlement ${v.entitlementId}` : "";
  return `- ${v.name ?? "(unnamed)"} (${v.id ?? "?"}) externalValue=${v.externalValue ?? "?"}${of}`;
}

function entitlementSummary(lead: string, e: EntitlementOut): string {
  const values = e.values ?? [];
  const shown = values.slice(0, 20).map((v) => `${v.name ?? "?"} (${v.id ?? "?"})`);
  const total = e.metadata?.total ?? values.length;
  const more = total > shown.length ? `, … (${total} in all)` : "";
  const app = e.parent?.externalId ? ` of app ${e.parent.externalId}` : "";
  const head = `${lead} ${named(e.name, e.id ?? "?")}${app}: ${e.multiValue ? "multi" : "single"}-valued, externalValue=${e.externalValue ?? "?"}`;
  return values.length === 0 ? `${head}; no values listed.` : `${head}; values: ${shown.join(", ")}${more}.`;
}

interface ReplaceInput {
  entitlementId: string;
  name: string;
  externalValue: string;
  description?: string | undefined;
  multiValue: boolean;
  dataType: string;
  required?: boolean | undefined;
  parent: { externalId: string };
  parentResourceOrn: string;
  values: {
    id?: string | undefined;
    name: string;
    externalValue: string;
    description?: string | undefined;
  }[];
}

/**
 * The preview of a replace, with its effects: values dropped (removed), kept values whose externalValue
 * or name changes (re-provisioned or renamed, held or not), new values (created), and changes to the
 * entitlement itself (its externalValue and shape change what every value provisions).
 */
function replacePreview(input: ReplaceInput, state: Readonly<Record<string, unknown>>): Preview {
  const current = obj(state.entitlement);
  const id = input.entitlementId;
  const h = holdingsOf(state.appGrants);
  const currentValues = objects(current?.values);
  const byId = new Map(currentValues.flatMap((v) => (str(v.id) ? [[str(v.id) as string, v] as const] : [])));
  const keptIds = new Set(input.values.flatMap((v) => (v.id ? [v.id] : [])));
  const dropped = currentValues.filter((v) => !keptIds.has(str(v.id) ?? ""));
  const details: string[] = [];
  const effects: Effect[] = [];
  const held = (v: Obj) => valueHeld(h, id, str(v.id) ?? "");
  const holders = (v: Obj) => heldText(h, h?.values.get(str(v.id) ?? ""), held(v));

  for (const v of dropped) {
    effects.push({ kind: "remove", on: str(v.id) });
    details.push(`Drops value ${valueText(v)}: ${holders(v)}`);
  }
  for (const v of input.values) {
    if (!v.id) {
      effects.push({ kind: "create" });
      details.push(`Adds value ${quote(v.name)} (${provisions(v.externalValue)})`);
      continue;
    }
    const old = byId.get(v.id);
    if (!old) {
      effects.push({ kind: "unknown", on: v.id });
      details.push(`Value id ${v.id} is not a current value of this entitlement`);
      continue;
    }
    if (str(old.externalValue) !== v.externalValue) {
      effects.push({ kind: "provisioning", held: held(old), on: v.id });
      details.push(
        `Changes what ${valueText(old)} provisions to ${provisions(v.externalValue)}: ${holders(old)}`,
      );
    }
    if (str(old.name) !== v.name) {
      effects.push({ kind: "rename", held: held(old), on: v.id });
      details.push(`Renames ${valueText(old)} to ${quote(v.name)}: ${holders(old)}`);
    }
    if ((str(old.description) ?? undefined) !== v.description) {
      effects.push({ kind: "describe", on: v.id });
      details.push(`Changes the description of ${named(old.name, v.id)}`);
    }
  }

  const total = obj(current?.metadata)?.total;
  if (typeof total === "number" && total > currentValues.length) {
    effects.push({ kind: "unknown", on: id });
    details.push(
      `The entitlement has ${total} values but only ${currentValues.length} were read: values not listed here may be dropped too`,
    );
  }
  const entHeld = entitlementHeld(h, id);
  const entHolders = heldText(h, h?.entitlements.get(id), entHeld);
  if (!current) effects.push({ kind: "unknown", on: id });
  else {
    if (str(current.externalValue) !== input.externalValue) {
      effects.push({ kind: "provisioning", held: entHeld, on: id });
      details.push(
        `Changes the entitlement's ${provisions(current.externalValue)} to ${provisions(input.externalValue)}, for every value: ${entHolders}`,
      );
    }
    const shape: [string, unknown, unknown][] = [
      ["multiValue", current.multiValue, input.multiValue],
      ["dataType", current.dataType, input.dataType],
      ["required", current.required ?? false, input.required ?? false],
      ["app", appIdOf(current), input.parent.externalId],
      ["parentResourceOrn", current.parentResourceOrn, input.parentResourceOrn],
    ];
    for (const [field, was, now] of shape) {
      if (was === now) continue;
      effects.push({ kind: "provisioning", held: entHeld, on: id });
      details.push(`Changes ${field} from ${String(was ?? "(none)")} to ${String(now)}: ${entHolders}`);
    }
    if (str(current.name) !== input.name) {
      effects.push({ kind: "rename", held: entHeld, on: id });
      details.push(`Renames the entitlement to ${quote(input.name)}: ${entHolders}`);
    }
    if ((str(current.description) ?? undefined) !== input.description) {
      effects.push({ kind: "describe", on: id });
      details.push("Changes the entitlement's description");
    }
  }
  if (dropped.length === 0) details.push("No current value is dropped.");
  const app = appIdOf(current);
  const effect = dropped.length > 0 ? `drops ${plural(dropped.length, "value")}` : "drops no value";
  return {
    summary: `Replace entitlement ${named(current?.name, id)}${app ? ` of app ${app}` : ""}: ${effect}.`,
    details: capLines(details),
    effects,
    targetIds: [id, ...dropped.flatMap((v) => (str(v.id) ? [str(v.id) as string] : []))],
  };
}

export const oktaEntitlementOperations = [
  defineOperation({
    name: "okta_list_entitlements",
    title: "List entitlements",
    description:
      "Lists the entitlements of one app (name, externalValue, single/multi-valued). Give appId (use okta_search_apps to find it) or a filter. Then okta_get_entitlement or okta_list_entitlement_values for the values.",
    provider: "okta",
    route: `GET ${ROUTE}`,
    input: z
      .object({
        appId: appId.optional(),
        nameStartsWith,
        nameContains,
        externalValue: z
          .string()
          .min(1)
          .max(255)
          .optional()
          .describe("Only the entitlement with this externalValue."),
        filter: scimFilter(
          'SCIM filter, ANDed with the fields above. Attributes: parent.externalId, parent.type, parentResourceOrn, externalValue, id (eq); name (sw, co). Example: parent.externalId eq "0oa…" AND parent.type eq "APPLICATION"',
        ).optional(),
        after,
        limit: pageLimit(20),
        orderBy: orderBy('Sort by one field: "name asc" (default), "created desc", …'),
      })
      .refine((i) => i.filter !== undefined || i.appId !== undefined, {
        path: ["appId"],
        message: "give appId or filter: Okta lists the entitlements of one app (filter by parent.externalId)",
      }),
    output: listOutput(entitlementOut),
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    guard: "none",
    paging: "okta-cursor",
    request: (input) => ({
      query: query({
        filter: withRawFilter(
          [
            appClause("parent", input.appId),
            input.nameStartsWith === undefined ? undefined : swClause("name", input.nameStartsWith),
            input.nameContains === undefined ? undefined : coClause("name", input.nameContains),
            input.externalValue === undefined ? undefined : eqClause("externalValue", input.externalValue),
          ],
          input.filter,
        ),
        after: input.after,
        limit: input.limit,
        orderBy: input.orderBy,
      }),
    }),
    summarize: (out, input) =>
      [
        pageHeader(out, "entitlements", input.appId ? `in app ${input.appId}` : undefined),
        ...out.items.map(entitlementLine),
      ].join("\n"),
  }),

  defineOperation({
    name: "okta_get_entitlement",
    title: "Get an entitlement",
    description:
      "Gets one entitlement with its values (ids, names, externalValues) and its app. Use before okta_replace_entitlement or okta_update_entitlement.",
    provider: "okta",
    route: `GET ${ROUTE}/{entitlementId}`,
    input: z.object({ entitlementId }),
    output: entitlementOut,
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    guard: "none",
    summarize: (out) => entitlementSummary("Entitlement", out),
  }),

  defineOperation({
    name: "okta_create_entitlement",
    title: "Create an entitlement",
    description:
      "Creates an entitlement (a permission property) with its values in an app that is enabled for entitlement management. Returns it with the new value ids. Use okta_search_apps to find the app id.",
    provider: "okta",
    route: `POST ${ROUTE}`,
    input: z.object({
      ...entitlementFields,
      values: z.array(z.object(valueFields)).max(1000).describe("The values to create (may be empty)."),
    }),
    output: entitlementOut,
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    // Effects: a new entitlement and values nobody holds yet (create).
    guard: {
      effects: ["create"],
      reads: [],
      preview: (input) => ({
        summary: `Create entitlement ${quote(input.name)} (${provisions(input.externalValue)}) in app ${input.parent.externalId} with ${plural(input.values.length, "value")}.`,
        details: input.values.map((v) => `Adds value ${quote(v.name)} (${provisions(v.externalValue)})`),
        effects: [{ kind: "create" }],
        targetIds: [input.parent.externalId],
      }),
    },
    summarize: (out) => entitlementSummary("Created entitlement", out),
  }),

  defineOperation({
    name: "okta_replace_entitlement",
    title: "Replace an entitlement",
    description:
      "Replaces an entitlement with the complete object: values with an id are kept or updated, values without an id are created, current values left out are DELETED. Get it first with okta_get_entitlement; okta_update_entitlement changes single values.",
    provider: "okta",
    route: `PUT ${ROUTE}/{entitlementId}`,
    input: z
      .object({
        entitlementId,
        id: oktaId("The entitlement id again (the body's id); must equal entitlementId."),
        ...entitlementFields,
        parentResourceOrn: orn("App ORN, as read."),
        required: z.boolean().optional().describe("Whether the entitlement is a required attribute."),
        values: z
          .array(
            z.object({
              id: oktaId("Id of the current value to keep (ent…); omit to create a new value.").optional(),
              ...valueFields,
            }),
          )
          .max(1000)
          .describe("The complete list of values; current values left out are deleted."),
      })
      .superRefine(sameId("entitlementId")),
    output: entitlementOut,
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
    // Effects: drops values (remove), re-provisions or renames kept values and the entitlement (held or
    // not), adds values (create), changes descriptions (describe).
    guard: {
      effects: ["remove", "provisioning", "rename", "create", "describe", "unknown"],
      reads: [entitlementRead, appGrantsRead((_i, state) => appIdOf(state.entitlement))],
      preview: replacePreview,
    },
    request: (input) => ({ body: omit(input, ["entitlementId"]) }),
    summarize: (out) => entitlementSummary("Replaced entitlement", out),
  }),

  defineOperation({
    name: "okta_update_entitlement",
    title: "Update an entitlement",
    description:
      "Changes an entitlement with operations: add, rename or remove single values, or change its name or description. Removing a value, or changing what a held value provisions or is called, asks for confirmation. The result lists only the values added or changed.",
    provider: "okta",
    route: `PATCH ${ROUTE}/{entitlementId}`,
    input: z.object({
      entitlementId,
      operations: z
        .array(
          z
            .object({
              op: z.enum(["ADD", "REMOVE", "REPLACE"]).describe("ADD, REMOVE or REPLACE."),
              path: z
                .string()
                .regex(
                  /^\/(values\/(-|[0-9A-Za-z]{20})|name|description)$/,
                  "must be /values/-, /values/{valueId}, /name or /description",
                )
                .describe(
                  "/values/- (ADD a value), /values/{valueId} (REMOVE, REPLACE), /name or /description.",
                ),
              refType: z
                .enum(["ENTITLEMENT", "ENTITLEMENT-VALUE"])
                .describe("ENTITLEMENT-VALUE for /values paths, ENTITLEMENT for /name and /description."),
              value: z
                .union([
                  z.string().min(1).max(1000),
                  z.object({
                    name: z.string().min(1).max(255).optional().describe("Value name."),
                    externalValue: z
                      .string()
                      .min(1)
                      .max(2000)
                      .optional()
                      .describe("Value as the app knows it."),
                    description: z.string().min(1).max(1024).optional().describe("Value description."),
                  }),
                ])
                .optional()
                .describe(
                  "For values: {name, externalValue, description?} (ADD) or the fields to change (REPLACE); for /name and /description: the new text.",
                ),
            })
            .superRefine(checkPatchOperation),
        )
        .min(1)
        .max(100)
        .describe("The operations, applied in order (1-100); sent as the JSON array body."),
    }),
    output: entitlementOut,
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
    // Effects: removes values (remove), re-provisions or renames a value or the entitlement (held or not),
    // adds values (create), changes descriptions (describe).
    guard: {
      effects: ["remove", "provisioning", "rename", "create", "describe", "unknown"],
      reads: [entitlementRead, appGrantsRead((_i, state) => appIdOf(state.entitlement))],
      preview: updatePreview,
    },
    request: (input) => ({ body: input.operations }),
    summarize: (out) => {
      const changed = (out.values ?? []).map((v) => `${v.name ?? "?"} (${v.id ?? "?"})`);
      return `Updated entitlement ${named(out.name, out.id ?? "?")}; ${changed.length ? `values added or changed: ${changed.join(", ")}` : "no value added or changed"}.`;
    },
  }),

  defineOperation({
    name: "okta_delete_entitlement",
    title: "Delete an entitlement",
    description:
      "Deletes an entitlement and all its values; users lose them in the app. Asks a person to confirm with a preview of the values and grants affected.",
    provider: "okta",
    route: `DELETE ${ROUTE}/{entitlementId}`,
    input: z.object({ entitlementId }),
    output: deletedOutput,
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
    // Effects: the entitlement and every value go (remove), whoever holds them.
    guard: {
      effects: ["remove"],
      reads: [
        entitlementRead,
        {
          key: "app",
          route: "GET /api/v1/apps/{appId}",
          optional: true,
          params: (_i, state) => {
            const id = appIdOf(state.entitlement);
            return id ? { path: { appId: id } } : null;
          },
        },
        appGrantsRead((_i, state) => appIdOf(state.entitlement)),
      ],
      preview: (input, state) => {
        const ent = obj(state.entitlement);
        const id = input.entitlementId;
        const appId = appIdOf(ent);
        const h = holdingsOf(state.appGrants);
        const values = objects(ent?.values);
        const details = capLines(
          values.map((v) => {
            const valueId = str(v.id) ?? "?";
            const held = heldText(h, h?.values.get(valueId), valueHeld(h, id, valueId));
            return `Deletes value ${valueText(v)}: ${held}`;
          }),
        );
        if (values.length === 0) details.push("It has no values.");
        const total = obj(ent?.metadata)?.total;
        if (typeof total === "number" && total > values.length) details.push(`… ${total} values in all`);
        const holders = h?.entitlements.get(id);
        const held = entitlementHeld(h, id);
        details.push(
          held === "yes"
            ? `${plural(holders?.size ?? 0, "user")}${h?.complete ? "" : " or more"} hold values of it and lose them.`
            : held === "no"
              ? "Nobody holds a value of it."
              : "Who holds its values could not be checked.",
        );
        return {
          summary: `Delete entitlement ${named(ent?.name, id)} (${provisions(ent?.externalValue)}) of ${appLabel(state.app, appId)}.`,
          details,
          effects: [{ kind: "remove", on: id }],
          targetIds: appId ? [id, appId] : [id],
          confirmName: str(ent?.name) ?? id,
        };
      },
    },
    shape: (_body, input) => ({ deleted: true, id: input.entitlementId }),
    summarize: (out) => `Deleted entitlement ${out.id} and its values.`,
  }),

  defineOperation({
    name: "okta_list_entitlement_values",
    title: "List values of an entitlement",
    description:
      "Lists the values of one entitlement (id, name, externalValue), optionally by name. Use the value ids in bundles (okta_create_bundle) and grants (okta_create_grant).",
    provider: "okta",
    route: `GET ${ROUTE}/{entitlementId}/values`,
    input: z.object({
      entitlementId,
      nameStartsWith,
      nameContains,
      filter: scimFilter(
        'SCIM filter, ANDed with the fields above. Attributes: name (sw, co), labelValueId (eq). Example: name sw "Admin"',
      ).optional(),
      after,
      limit: pageLimit(20),
      orderBy: orderBy('Sort by one field: "name asc" (default), "created desc", …'),
    }),
    output: listOutput(valueOut),
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    guard: "none",
    paging: "okta-cursor",
    request: (input) => ({
      query: query({
        filter: withRawFilter(
          [
            input.nameStartsWith === undefined ? undefined : swClause("name", input.nameStartsWith),
            input.nameContains === undefined ? undefined : coClause("name", input.nameContains),
          ],
          input.filter,
        ),
        after: input.after,
        limit: input.limit,
        orderBy: input.orderBy,
      }),
    }),
    summarize: (out, input) =>
      [
        pageHeader(out, "values", `of entitlement ${input.entitlementId}`),
        ...out.items.map((v) => valueLine({ ...v, entitlementId: undefined })),
      ].join("\n"),
  }),

  defineOperation({
    name: "okta_get_entitlement_value",
    title: "Get an entitlement value",
    description: "Gets one value of an entitlement: name, externalValue, ORN, its entitlement and app.",
    provider: "okta",
    route: `GET ${ROUTE}/{entitlementId}/values/{valueId}`,
    input: z.object({
      entitlementId,
      valueId: oktaId("Value id (ent…)."),
    }),
    output: valueOut,
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    guard: "none",
    summarize: (out) => {
      const app = out.parent?.externalId ? ` of app ${out.parent.externalId}` : "";
      return `Value ${named(out.name, out.id ?? "?")} of entitlement ${out.entitlementId ?? "?"}${app}: externalValue=${out.externalValue ?? "?"}${out.orn ? `, orn ${out.orn}` : ""}.`;
    },
  }),

  defineOperation({
    name: "okta_list_all_entitlement_values",
    title: "List all entitlement values of an app",
    description:
      "Lists the values of every entitlement of one app in a single list, optionally for one entitlement or by name. Give appId (use okta_search_apps) or a filter. Handy to find value ids for a grant.",
    provider: "okta",
    route: `GET ${ROUTE}/values`,
    input: z
      .object({
        appId: appId.optional(),
        entitlementId: oktaId("Only the values of this entitlement (esp…).").optional(),
        nameStartsWith,
        nameContains,
        externalValue: z
          .string()
          .min(1)
          .max(2000)
          .optional()
          .describe("Only values with this externalValue."),
        filter: scimFilter(
          "SCIM filter, ANDed with the fields above. Attributes: parent.externalId, parent.type, parentResourceOrn, externalValue, entitlementId (eq); name (sw, co).",
        ).optional(),
        after,
        limit: pageLimit(200),
        orderBy: orderBy('Sort by one field: "id asc" (default), "name asc", …'),
      })
      .refine((i) => i.filter !== undefined || i.appId !== undefined, {
        path: ["appId"],
        message: "give appId or filter: Okta lists the values of one app (filter by parent.externalId)",
      }),
    output: listOutput(valueOut),
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    guard: "none",
    paging: "okta-cursor",
    request: (input) => ({
      query: query({
        filter: withRawFilter(
          [
            appClause("parent", input.appId),
            input.entitlementId === undefined ? undefined : eqClause("entitlementId", input.entitlementId),
            input.nameStartsWith === undefined ? undefined : swClause("name", input.nameStartsWith),
            input.nameContains === undefined ? undefined : coClause("name", input.nameContains),
            input.externalValue === undefined ? undefined : eqClause("externalValue", input.externalValue),
          ],
          input.filter,
        ),
        after: input.after,
        limit: input.limit,
        orderBy: input.orderBy,
      }),
    }),
    summarize: (out, input) =>
      [
        pageHeader(out, "values", input.appId ? `in app ${input.appId}` : undefined),
        ...out.items.map(valueLine),
      ].join("\n"),
  }),
];

type PatchOperation = {
  op: "ADD" | "REMOVE" | "REPLACE";
  path: string;
  refType: "ENTITLEMENT" | "ENTITLEMENT-VALUE";
  value?:
    | string
    | { name?: string | undefined; externalValue?: string | undefined; description?: string | undefined }
    | undefined;
};

/** Checks one PATCH operation against the combinations upstream-apis §1.9.1 documents. */
function checkPatchOperation(o: PatchOperation, ctx: z.RefinementCtx): void {
  const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
  const onValues = o.path.startsWith("/values/");
  if (o.refType === "ENTITLEMENT-VALUE") {
    if (!onValues) {
      issue("path", "ENTITLEMENT-VALUE operations take /values/- or /values/{valueId}");
      return;
    }
    if (o.op === "ADD") {
      if (o.path !== "/values/-") issue("path", "ADD of a value uses the path /values/-");
      if (typeof o.value !== "object" || !o.value.name || !o.value.externalValue) {
        issue("value", "ADD of a value needs value {name, externalValue, description?}");
      }
    } else {
      if (o.path === "/values/-") issue("path", `${o.op} of a value uses the path /values/{valueId}`);
      if (o.op === "REPLACE" && (typeof o.value !== "object" || Object.keys(o.value).length === 0)) {
        issue(
          "value",
          "REPLACE of a value needs value with the fields to change: {name?, externalValue?, description?}",
        );
      }
    }
    return;
  }
  if (onValues) {
    issue("refType", "operations on /values paths use refType ENTITLEMENT-VALUE");
    return;
  }
  if (o.path === "/name" && o.op !== "REPLACE") issue("op", "the name can only be REPLACEd");
  if (o.op !== "REMOVE" && typeof o.value !== "string")
    issue("value", `${o.op} of ${o.path} needs value: the new text`);
}

/**
 * The preview of a PATCH, with its effects: added values (created), removed values (removed), a value
 * whose externalValue or name changes (re-provisioned or renamed, held or not), the entitlement's name
 * (renamed) and description (described).
 */
function updatePreview(
  input: { entitlementId: string; operations: PatchOperation[] },
  state: Readonly<Record<string, unknown>>,
): Preview {
  const current = obj(state.entitlement);
  const id = input.entitlementId;
  const h = holdingsOf(state.appGrants);
  const values = new Map(
    objects(current?.values).flatMap((v) => (str(v.id) ? [[str(v.id) as string, v] as const] : [])),
  );
  const details: string[] = [];
  const effects: Effect[] = [];
  const removed: string[] = [];
  let adds = 0;
  for (const o of input.operations) {
    const valueId = o.path.startsWith("/values/") ? o.path.slice("/values/".length) : undefined;
    const v = typeof o.value === "object" ? o.value : undefined;
    if (o.refType === "ENTITLEMENT-VALUE" && valueId !== undefined) {
      if (o.op === "ADD") {
        adds += 1;
        effects.push({ kind: "create" });
        details.push(`Adds value ${quote(v?.name ?? "?")} (${provisions(v?.externalValue)})`);
        continue;
      }
      const old = values.get(valueId);
      if (!old) {
        // A value the read did not show: what it provisions and who holds it are unknown.
        effects.push({ kind: "unknown", on: valueId });
        details.push(
          `${o.op === "REMOVE" ? "Removes" : "Changes"} value ${valueId}, not among the values read`,
        );
        if (o.op === "REMOVE") removed.push(valueId);
        continue;
      }
      const held = valueHeld(h, id, valueId);
      const holders = heldText(h, h?.values.get(valueId), held);
      if (o.op === "REMOVE") {
        removed.push(valueId);
        effects.push({ kind: "remove", on: valueId });
        details.push(`Removes value ${valueText(old)}: ${holders}`);
        continue;
      }
      let changed = false;
      if (v?.externalValue !== undefined && v.externalValue !== str(old.externalValue)) {
        changed = true;
        effects.push({ kind: "provisioning", held, on: valueId });
        details.push(
          `Changes what ${valueText(old)} provisions to ${provisions(v.externalValue)}: ${holders}`,
        );
      }
      if (v?.name !== undefined && v.name !== str(old.name)) {
        changed = true;
        effects.push({ kind: "rename", held, on: valueId });
        details.push(`Renames ${valueText(old)} to ${quote(v.name)}: ${holders}`);
      }
      if (v?.description !== undefined && v.description !== str(old.description)) {
        changed = true;
        effects.push({ kind: "describe", on: valueId });
        details.push(`Changes the description of ${named(old.name, valueId)}`);
      }
      if (!changed) details.push(`Leaves ${valueText(old)} as it is`);
    } else if (o.path === "/name") {
      const held = entitlementHeld(h, id);
      effects.push({ kind: "rename", held, on: id });
      details.push(
        `Renames the entitlement to ${quote(typeof o.value === "string" ? o.value : "")}: ${heldText(h, h?.entitlements.get(id), held)}`,
      );
    } else if (o.path === "/description") {
      effects.push({ kind: "describe", on: id });
      details.push(o.op === "REMOVE" ? "Removes the description" : "Changes the description");
    } else {
      // An operation this guard does not model: a person decides.
      effects.push({ kind: "unknown", on: id });
      details.push(`${o.op} ${o.path}: an operation the guard does not model`);
    }
  }
  if (!current) effects.push({ kind: "unknown", on: id });
  const parts = [
    removed.length ? `removes ${plural(removed.length, "value")}` : undefined,
    adds ? `adds ${plural(adds, "value")}` : undefined,
    `${plural(input.operations.length, "operation")}`,
  ].filter(Boolean);
  return {
    summary: `Update entitlement ${named(current?.name, id)}: ${parts.join(", ")}.`,
    details: capLines(details),
    effects,
    targetIds: [id, ...removed],
  };
}
