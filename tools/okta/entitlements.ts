import { z } from "zod";
import { defineOperation, type Preview } from "../../src/operation.js";
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
  hasNextPage,
  listData,
  named,
  type Obj,
  obj,
  objects,
  pageHeader,
  plural,
  str,
} from "./describe.js";

const ROUTE = "/governance/api/v1/entitlements";

const entitlementId = oktaId("Entitlement id (esp…).");
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

/** The preview of a replace: which current values the new list drops, renames or changes. */
function replacePreview(
  input: {
    entitlementId: string;
    name: string;
    externalValue: string;
    values: { id?: string | undefined; name: string; externalValue: string }[];
  },
  current: Obj | undefined,
): Preview {
  const id = input.entitlementId;
  const currentValues = objects(current?.values);
  const byId = new Map(currentValues.flatMap((v) => (str(v.id) ? [[str(v.id) as string, v] as const] : [])));
  const keptIds = new Set(input.values.flatMap((v) => (v.id ? [v.id] : [])));
  const dropped = currentValues.filter((v) => !keptIds.has(str(v.id) ?? ""));
  const details: string[] = [];
  for (const v of dropped) {
    details.push(
      `Drops value ${named(v.name, str(v.id) ?? "?")} (externalValue ${str(v.externalValue) ?? "?"})`,
    );
  }
  for (const v of input.values) {
    if (!v.id) {
      details.push(`Adds value '${v.name}' (externalValue ${v.externalValue})`);
      continue;
    }
    const old = byId.get(v.id);
    if (!old) {
      details.push(`Value id ${v.id} is not a current value of this entitlement`);
      continue;
    }
    if (str(old.name) !== v.name) details.push(`Renames value ${named(old.name, v.id)} to '${v.name}'`);
    if (str(old.externalValue) !== v.externalValue) {
      details.push(
        `Changes externalValue of ${named(old.name, v.id)} from ${str(old.externalValue)} to ${v.externalValue}`,
      );
    }
  }
  if (current && str(current.name) !== input.name) details.push(`Renames the entitlement to '${input.name}'`);
  if (current && str(current.externalValue) !== input.externalValue) {
    details.push(`Changes the entitlement's externalValue to ${input.externalValue}`);
  }
  const total = obj(current?.metadata)?.total;
  const unseen = typeof total === "number" && total > currentValues.length;
  if (unseen) {
    details.push(
      `The entitlement has ${total} values but only ${currentValues.length} were read: values not listed here may be dropped too`,
    );
  }
  if (dropped.length === 0 && !unseen) details.push("No current value is dropped.");
  const app = appIdOf(current);
  const effect = dropped.length > 0 ? `drops ${plural(dropped.length, "value")}` : "drops no value";
  return {
    required: dropped.length > 0 || unseen,
    summary: `Replace entitlement ${named(current?.name, id)}${app ? ` of app ${app}` : ""}: ${effect}.`,
    details: capLines(details),
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
    guard: "none",
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
    guard: {
      kind: "replace",
      reads: [
        {
          key: "entitlement",
          route: `GET ${ROUTE}/{entitlementId}`,
          params: (i) => ({ path: { entitlementId: i.entitlementId } }),
        },
      ],
      preview: (input, state) => replacePreview(input, obj(state.entitlement)),
    },
    request: (input) => ({ body: omit(input, ["entitlementId"]) }),
    summarize: (out) => entitlementSummary("Replaced entitlement", out),
  }),

  defineOperation({
    name: "okta_update_entitlement",
    title: "Update an entitlement",
    description:
      "Changes an entitlement with operations: add, rename or remove single values, or change its name or description. Removing a value asks for confirmation. The result lists only the values added or changed.",
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
    guard: {
      kind: "update",
      reads: [
        {
          key: "entitlement",
          route: `GET ${ROUTE}/{entitlementId}`,
          params: (i) => ({ path: { entitlementId: i.entitlementId } }),
        },
      ],
      preview: (input, state) => updatePreview(input, obj(state.entitlement)),
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
    guard: {
      kind: "delete",
      reads: [
        {
          key: "entitlement",
          route: `GET ${ROUTE}/{entitlementId}`,
          params: (i) => ({ path: { entitlementId: i.entitlementId } }),
        },
        {
          key: "app",
          route: "GET /api/v1/apps/{appId}",
          optional: true,
          params: (_i, state) => {
            const id = appIdOf(state.entitlement);
            return id ? { path: { appId: id } } : null;
          },
        },
        {
          key: "grants",
          route: "GET /governance/api/v1/grants",
          optional: true,
          params: (i, state) => {
            const id = appIdOf(state.entitlement);
            if (!id) return null;
            const filter = `${appClause("target", id)} AND ${eqClause("entitlements.id", i.entitlementId)}`;
            return { path: {}, query: { filter, limit: 200 } };
          },
        },
      ],
      preview: (input, state) => {
        const ent = obj(state.entitlement);
        const appId = appIdOf(ent);
        const values = objects(ent?.values);
        const details = capLines(
          values.map(
            (v) =>
              `Deletes value ${named(v.name, str(v.id) ?? "?")} (externalValue ${str(v.externalValue) ?? "?"})`,
          ),
        );
        if (values.length === 0) details.push("It has no values.");
        const total = obj(ent?.metadata)?.total;
        if (typeof total === "number" && total > values.length) details.push(`… ${total} values in all`);
        if (state.grants === undefined) details.push("Active grants that reference it could not be checked.");
        else {
          const n = listData(state.grants).length;
          details.push(
            n === 0
              ? "No active grant references it."
              : `${plural(n, "active grant")}${hasNextPage(state.grants) ? " (or more)" : ""} ${n === 1 ? "references" : "reference"} it: their users lose these values.`,
          );
        }
        return {
          required: true,
          summary: `Delete entitlement ${named(ent?.name, input.entitlementId)} of ${appLabel(state.app, appId)}.`,
          details,
          targetIds: appId ? [input.entitlementId, appId] : [input.entitlementId],
          confirmName: str(ent?.name) ?? input.entitlementId,
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

/** The preview of a PATCH: which values it removes (by name), and the other operations briefly. */
function updatePreview(
  input: { entitlementId: string; operations: PatchOperation[] },
  current: Obj | undefined,
): Preview {
  const values = new Map(
    objects(current?.values).flatMap((v) => (str(v.id) ? [[str(v.id) as string, v] as const] : [])),
  );
  const details: string[] = [];
  const removed: string[] = [];
  let adds = 0;
  for (const o of input.operations) {
    const valueId = o.path.startsWith("/values/") ? o.path.slice("/values/".length) : undefined;
    const v = typeof o.value === "object" ? o.value : undefined;
    if (o.refType === "ENTITLEMENT-VALUE" && valueId !== undefined) {
      const old = values.get(valueId);
      const label = old ? named(old.name, valueId) : `${valueId} (not among the current values read)`;
      if (o.op === "REMOVE") {
        removed.push(valueId);
        details.push(
          `Removes value ${label}${old ? ` (externalValue ${str(old.externalValue) ?? "?"})` : ""}`,
        );
      } else if (o.op === "ADD") {
        adds += 1;
        details.push(`Adds value '${v?.name ?? "?"}' (externalValue ${v?.externalValue ?? "?"})`);
      } else {
        const changes = Object.entries(v ?? {})
          .filter(([, x]) => x !== undefined)
          .map(([k, x]) => `${k} → '${x}'`);
        details.push(`Changes value ${label}: ${changes.join(", ")}`);
      }
    } else if (o.op === "REMOVE") {
      details.push(`Removes the ${o.path.slice(1)}`);
    } else {
      details.push(`Sets the ${o.path.slice(1)} to '${typeof o.value === "string" ? o.value : ""}'`);
    }
  }
  const parts = [
    removed.length ? `removes ${plural(removed.length, "value")}` : undefined,
    adds ? `adds ${plural(adds, "value")}` : undefined,
    `${plural(input.operations.length, "operation")}`,
  ].filter(Boolean);
  return {
    required: input.operations.some((o) => o.op === "REMOVE" && o.refType === "ENTITLEMENT-VALUE"),
    summary: `Update entitlement ${named(current?.name, input.entitlementId)}: ${parts.join(", ")}.`,
    details: capLines(details),
    targetIds: [input.entitlementId, ...removed],
  };
}
