/**
 * The previews of Okta entitlement changes, with their effects: what a create adds, which values a
 * replace or a PATCH drops, re-provisions or renames (and whether anybody holds them), what a delete takes.
 */
import { asObject, type JsonObject } from "../../../src/core/json.js";
import type { Effect, GuardState, Preview } from "../../../src/core/operation.js";
import { quote } from "../../../src/core/sanitize.js";
import type {
  CreateEntitlementInput,
  EntitlementIdInput,
  ReplaceEntitlementInput,
  UpdateEntitlementInput,
} from "../entitlements.js";
import {
  appIdOf,
  appLabel,
  capLines,
  named,
  objects,
  plural,
  provisions,
  str,
  valueText,
} from "./describe.js";
import { entitlementHeld, heldText, holdingsOf, valueHeld } from "./holdings.js";

/** The entitlement's app, as read: where its holders' grants are. */
export const entitlementApp = (_input: unknown, state: GuardState) => appIdOf(state.entitlement);

/** A new entitlement and values nobody holds yet. */
export function createEntitlementPreview(input: CreateEntitlementInput): Preview {
  return {
    summary: `Create entitlement ${quote(input.name)} (${provisions(input.externalValue)}) in app ${input.parent.externalId} with ${plural(input.values.length, "value")}.`,
    details: input.values.map((v) => `Adds value ${quote(v.name)} (${provisions(v.externalValue)})`),
    effects: [{ kind: "create" }],
    targetIds: [input.parent.externalId],
  };
}

/**
 * The preview of a replace, with its effects: values dropped (removed), kept values whose externalValue
 * or name changes (re-provisioned or renamed, held or not), new values (created), and changes to the
 * entitlement itself (its externalValue and shape change what every value provisions).
 */
export function replaceEntitlementPreview(input: ReplaceEntitlementInput, state: GuardState): Preview {
  const current = asObject(state.entitlement);
  const id = input.entitlementId;
  const h = holdingsOf(state.appGrants);
  const currentValues = objects(current?.values);
  const byId = new Map(currentValues.flatMap((v) => (str(v.id) ? [[str(v.id) as string, v] as const] : [])));
  const keptIds = new Set(input.values.flatMap((v) => (v.id ? [v.id] : [])));
  const dropped = currentValues.filter((v) => !keptIds.has(str(v.id) ?? ""));
  const details: string[] = [];
  const effects: Effect[] = [];
  const held = (v: JsonObject) => valueHeld(h, id, str(v.id) ?? "");
  const holders = (v: JsonObject) => heldText(h, h?.values.get(str(v.id) ?? ""), held(v));

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

  const total = asObject(current?.metadata)?.total;
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

/**
 * The preview of a PATCH, with its effects: added values (created), removed values (removed), a value
 * whose externalValue or name changes (re-provisioned or renamed, held or not), the entitlement's name
 * (renamed) and description (described).
 */
export function updateEntitlementPreview(input: UpdateEntitlementInput, state: GuardState): Preview {
  const current = asObject(state.entitlement);
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

/** The entitlement and every value go, whoever holds them. */
export function deleteEntitlementPreview(input: EntitlementIdInput, state: GuardState): Preview {
  const ent = asObject(state.entitlement);
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
  const total = asObject(ent?.metadata)?.total;
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
}
