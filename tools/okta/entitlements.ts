import { z } from "zod";
import {
  DESTRUCTIVE,
  DESTRUCTIVE_IDEMPOTENT,
  defineOperation,
  READ,
  WRITE,
} from "../../src/core/operation.js";
import { co, defineQuery, eq, inApp, listSummary, sw } from "../lists.js";
import {
  after,
  appClause,
  appRef,
  deletedOutput,
  listOutput,
  nameContains,
  nameStartsWith,
  oktaId,
  optBool,
  optStr,
  orderBy,
  orn,
  pageLimit,
  sameId,
  scimFilter,
} from "../params.js";
import { named } from "./previews/describe.js";
import {
  createEntitlementPreview,
  deleteEntitlementPreview,
  entitlementApp,
  replaceEntitlementPreview,
  updateEntitlementPreview,
} from "./previews/entitlements.js";
import { appGrantsRead, appRead, entitlementRead, fromInput } from "./previews/reads.js";

const entitlementId = oktaId();
const appId = oktaId();

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
  name: z.string().min(1).max(255),
  externalValue: z.string().min(1).max(2000).describe("As the app knows it."),
  description: z.string().min(1).max(1024).optional(),
};

const entitlementFields = {
  name: z.string().min(1).max(255),
  externalValue: z.string().min(1).max(255).describe("As the app knows it."),
  description: z.string().min(1).max(1000).optional(),
  parent: appRef,
  multiValue: z.boolean().describe("true when a user can hold several values."),
  dataType: z.enum(["string", "array"]).describe("array when multi-valued."),
};

const entitlementIdInput = z.object({ entitlementId });

const createInput = z.object({
  ...entitlementFields,
  values: z.array(z.object(valueFields)).max(1000).describe("The values to create (may be empty)."),
});

const replaceInput = z
  .object({
    entitlementId,
    id: oktaId("Equals entitlementId."),
    ...entitlementFields,
    parentResourceOrn: orn("App ORN, as read."),
    required: z.boolean().optional().describe("Whether the entitlement is a required attribute."),
    values: z
      .array(
        z.object({
          id: oktaId("A current value to keep; omit to create one.").optional(),
          ...valueFields,
        }),
      )
      .max(1000)
      .describe("The complete list of values; current values left out are deleted."),
  })
  .superRefine(sameId("entitlementId"));

const patchOperationFields = z.object({
  op: z.enum(["ADD", "REMOVE", "REPLACE"]),
  path: z
    .string()
    .regex(
      /^\/(values\/(-|[0-9A-Za-z]{20})|name|description)$/,
      "must be /values/-, /values/{valueId}, /name or /description",
    )
    .describe("/values/- (ADD), /values/{valueId}, /name or /description."),
  refType: z
    .enum(["ENTITLEMENT", "ENTITLEMENT-VALUE"])
    .describe("ENTITLEMENT-VALUE for /values paths, ENTITLEMENT for /name and /description."),
  value: z
    .union([
      z.string().min(1).max(1000),
      z.object({
        name: z.string().min(1).max(255).optional(),
        externalValue: z.string().min(1).max(2000).optional().describe("Value as the app knows it."),
        description: z.string().min(1).max(1024).optional(),
      }),
    ])
    .optional()
    .describe(
      "For values: {name, externalValue, description?} (ADD) or the fields to change (REPLACE); for /name and /description (ADD or REPLACE): the new text.",
    ),
});

const updateInput = z.object({
  entitlementId,
  operations: z
    .array(patchOperationFields.superRefine(checkPatchOperation))
    .min(1)
    .max(100)
    .describe("Applied in order."),
});

export type EntitlementIdInput = z.output<typeof entitlementIdInput>;
export type CreateEntitlementInput = z.output<typeof createInput>;
export type ReplaceEntitlementInput = z.output<typeof replaceInput>;
export type UpdateEntitlementInput = z.output<typeof updateInput>;
type PatchOperation = z.output<typeof patchOperationFields>;

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

export const oktaEntitlementOperations = [
  defineQuery({
    name: "okta_list_entitlements",
    title: "List entitlements",
    description:
      "Lists one app's entitlements (give appId or filter). Values: okta_get_entitlement or okta_list_entitlement_values.",
    provider: "okta",
    route: "GET /governance/api/v1/entitlements",
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
          "Attributes: parent.externalId, parent.type, parentResourceOrn, externalValue, id (eq); name (sw, co).",
        ).optional(),
        after,
        limit: pageLimit,
        orderBy: orderBy('Sort by one field: "name asc" (default), "created desc", …'),
      })
      .refine((i) => i.filter !== undefined || i.appId !== undefined, {
        path: ["appId"],
        message: "give appId or filter: Okta lists the entitlements of one app (filter by parent.externalId)",
      }),
    output: listOutput(entitlementOut),
    annotations: READ,
    guard: "none",
    paging: "okta-cursor",
    filterFields: {
      appId: appClause("parent"),
      nameStartsWith: sw("name"),
      nameContains: co("name"),
      externalValue: eq("externalValue"),
    },
    summarize: (out, input) =>
      listSummary(out, "entitlements", entitlementLine, { scope: inApp(input.appId) }),
  }),

  defineOperation({
    name: "okta_get_entitlement",
    title: "Get an entitlement",
    description:
      "Gets one entitlement with its values (ids, names, externalValues) and its app. Use before okta_replace_entitlement or okta_update_entitlement.",
    provider: "okta",
    route: "GET /governance/api/v1/entitlements/{entitlementId}",
    input: entitlementIdInput,
    output: entitlementOut,
    annotations: READ,
    guard: "none",
    summarize: (out) => entitlementSummary("Entitlement", out),
  }),

  defineOperation({
    name: "okta_create_entitlement",
    title: "Create an entitlement",
    description:
      "Creates an entitlement (a permission property) with its values in an app opted in to Entitlement Management. Returns it with the new value ids.",
    provider: "okta",
    route: "POST /governance/api/v1/entitlements",
    input: createInput,
    output: entitlementOut,
    annotations: WRITE,
    // Effects: a new entitlement and values nobody holds yet (create).
    guard: {
      effects: ["create"],
      reads: [],
      preview: createEntitlementPreview,
    },
    summarize: (out) => entitlementSummary("Created entitlement", out),
  }),

  defineOperation({
    name: "okta_replace_entitlement",
    title: "Replace an entitlement",
    description:
      "Replaces an entitlement with the complete object: values with an id are kept, without one created, left out DELETED. Get it first (okta_get_entitlement); okta_update_entitlement changes single values.",
    provider: "okta",
    route: "PUT /governance/api/v1/entitlements/{entitlementId}",
    input: replaceInput,
    output: entitlementOut,
    annotations: DESTRUCTIVE_IDEMPOTENT,
    // Effects: drops values (remove), re-provisions or renames kept values and the entitlement (held or
    // not), adds values (create), changes descriptions (describe).
    guard: {
      effects: ["remove", "provisioning", "rename", "create", "describe", "unknown"],
      reads: [entitlementRead(fromInput("entitlementId")), appGrantsRead(entitlementApp)],
      preview: replaceEntitlementPreview,
    },
    summarize: (out) => entitlementSummary("Replaced entitlement", out),
  }),

  defineOperation({
    name: "okta_update_entitlement",
    title: "Update an entitlement",
    description:
      "Changes an entitlement by operations: add, rename or remove single values, or change its name or description. Asks to confirm removals and changes to held values. Returns only values added or changed.",
    provider: "okta",
    route: "PATCH /governance/api/v1/entitlements/{entitlementId}",
    input: updateInput,
    output: entitlementOut,
    annotations: DESTRUCTIVE,
    // Effects: removes values (remove), re-provisions or renames a value or the entitlement (held or not),
    // adds values (create), changes descriptions (describe).
    guard: {
      effects: ["remove", "provisioning", "rename", "create", "describe", "unknown"],
      reads: [entitlementRead(fromInput("entitlementId")), appGrantsRead(entitlementApp)],
      preview: updateEntitlementPreview,
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
    route: "DELETE /governance/api/v1/entitlements/{entitlementId}",
    input: entitlementIdInput,
    output: deletedOutput,
    annotations: DESTRUCTIVE_IDEMPOTENT,
    // Effects: the entitlement and every value go (remove), whoever holds them.
    guard: {
      effects: ["remove"],
      reads: [
        entitlementRead(fromInput("entitlementId")),
        appRead(entitlementApp),
        appGrantsRead(entitlementApp),
      ],
      preview: deleteEntitlementPreview,
    },
    shape: (_body, input) => ({ deleted: true, id: input.entitlementId }),
    summarize: (out) => `Deleted entitlement ${out.id} and its values.`,
  }),

  defineQuery({
    name: "okta_list_entitlement_values",
    title: "List values of an entitlement",
    description:
      "Lists the values of one entitlement, optionally by name. Their ids go in bundles and grants.",
    provider: "okta",
    route: "GET /governance/api/v1/entitlements/{entitlementId}/values",
    input: z.object({
      entitlementId,
      nameStartsWith,
      nameContains,
      filter: scimFilter("Attributes: name (sw, co), labelValueId (eq).").optional(),
      after,
      limit: pageLimit,
      orderBy: orderBy('Sort by one field: "name asc" (default), "created desc", …'),
    }),
    output: listOutput(valueOut),
    annotations: READ,
    guard: "none",
    paging: "okta-cursor",
    filterFields: { nameStartsWith: sw("name"), nameContains: co("name") },
    summarize: (out, input) =>
      listSummary(out, "values", (v) => valueLine({ ...v, entitlementId: undefined }), {
        scope: `of entitlement ${input.entitlementId}`,
      }),
  }),

  defineOperation({
    name: "okta_get_entitlement_value",
    title: "Get an entitlement value",
    description: "Gets one value of an entitlement: name, externalValue, ORN, its entitlement and app.",
    provider: "okta",
    route: "GET /governance/api/v1/entitlements/{entitlementId}/values/{valueId}",
    input: z.object({
      entitlementId,
      valueId: oktaId(),
    }),
    output: valueOut,
    annotations: READ,
    guard: "none",
    summarize: (out) => {
      const app = out.parent?.externalId ? ` of app ${out.parent.externalId}` : "";
      return `Value ${named(out.name, out.id ?? "?")} of entitlement ${out.entitlementId ?? "?"}${app}: externalValue=${out.externalValue ?? "?"}${out.orn ? `, orn ${out.orn}` : ""}.`;
    },
  }),

  defineQuery({
    name: "okta_list_all_entitlement_values",
    title: "List all entitlement values of an app",
    description:
      "Lists the values of every entitlement of one app, optionally of one entitlement or by name (give appId or filter). Handy for value ids for a grant.",
    provider: "okta",
    route: "GET /governance/api/v1/entitlements/values",
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
          "Attributes: parent.externalId, parent.type, parentResourceOrn, externalValue, entitlementId (eq); name (sw, co).",
        ).optional(),
        after,
        limit: pageLimit,
        orderBy: orderBy('Sort by one field: "id asc" (default), "name asc", …'),
      })
      .refine((i) => i.filter !== undefined || i.appId !== undefined, {
        path: ["appId"],
        message: "give appId or filter: Okta lists the values of one app (filter by parent.externalId)",
      }),
    output: listOutput(valueOut),
    annotations: READ,
    guard: "none",
    paging: "okta-cursor",
    filterFields: {
      appId: appClause("parent"),
      entitlementId: eq("entitlementId"),
      nameStartsWith: sw("name"),
      nameContains: co("name"),
      externalValue: eq("externalValue"),
    },
    summarize: (out, input) => listSummary(out, "values", valueLine, { scope: inApp(input.appId) }),
  }),
];

/**
 * Checks one PATCH operation against the spec's two operation shapes (entitlement-values-patch-operation
 * on /values paths, entitlement-patch-operation on /name and /description).
 */
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
      if (o.op === "REPLACE" && typeof o.value !== "object") {
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
  // The spec's entitlement has a name in every representation (name is required): it can be set, not removed.
  if (o.path === "/name" && o.op === "REMOVE") issue("op", "the name can be set (ADD, REPLACE), not REMOVEd");
  if (o.op !== "REMOVE" && typeof o.value !== "string")
    issue("value", `${o.op} of ${o.path} needs value: the new text`);
}
