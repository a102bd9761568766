/**
 * Atomicwork's access policies: create only, as the spec has it (`POST /api/v1/iga/policies`). The body is
 * checked as the spec types it (condition, approvals and lifecycle are each one of two shapes, merged here
 * into the fields either may carry); the answer is the empty object, the spec's "Empty response body".
 * A policy is stored with its id and UUID key, so grants can be created and listed under it.
 */
import type { RouteTable } from "../../kit/http.js";
import type { Json } from "../../kit/json.js";
import { invalid, notFound } from "../errors.js";
import type { AtomicworkStore } from "../store.js";
import { bool, int, intList, jsonBody, obj, oneOf, text } from "../validation.js";

const UNITS = ["HOURS", "DAYS", "WEEKS", "MONTHS"];

/** An optional object whose `type` (a string) is required, as each of the spec's variants requires it. */
function typed(value: unknown, field: string): Json | undefined {
  if (value === undefined || value === null) return undefined;
  const o = obj(value, field);
  text(o.type, `${field}.type`, 255, true);
  return o;
}

function list(value: unknown, field: string, each: (item: unknown, field: string) => void): void {
  if (value === undefined || value === null) return;
  if (!Array.isArray(value)) throw invalid(`${field} must be an array`);
  value.forEach((item, i) => {
    each(item, `${field}[${i}]`);
  });
}

/** `{value, unit}` with an optional `{value}_{unit}` id; `units` undefined where the spec leaves unit untyped. */
function duration(value: unknown, field: string, units?: readonly string[]): void {
  const d = obj(value, field);
  text(d.id, `${field}.id`, 64, false);
  if (typeof d.value !== "number" || !Number.isSafeInteger(d.value))
    throw invalid(`${field}.value must be an integer`);
  if (d.unit === undefined || d.unit === null) throw invalid(`${field}.unit is required`);
  if (units) oneOf(d.unit, `${field}.unit`, units);
}

function notifications(value: unknown, field: string, units?: readonly string[]): void {
  if (value === undefined || value === null) return;
  const n = obj(value, field);
  bool(n.enable_expiry_notifications, `${field}.enable_expiry_notifications`);
  list(n.notification_timings, `${field}.notification_timings`, (t, f) => duration(t, f, units));
}

function approvals(value: unknown): void {
  const a = typed(value, "approvals");
  list(a?.steps, "approvals.steps", (raw, field) => {
    const step = typed(raw, field) as Json;
    oneOf(step.criteria, `${field}.criteria`, ["FIRST_DECISION", "EVERYONE"]);
    int(step.policy_id, `${field}.policy_id`, false);
    list(step.approvers_data, `${field}.approvers_data`, (row, f) => {
      const r = obj(row, f);
      for (const key of ["type", "value", "label"]) text(r[key], `${f}.${key}`, 1000, false);
      oneOf(r.cardinality, `${f}.cardinality`, ["SINGLE", "MULTI"]);
    });
  });
}

function lifecycle(value: unknown): void {
  const l = typed(value, "lifecycle");
  if (!l) return;
  list(l.allowed_access_durations, "lifecycle.allowed_access_durations", (raw, field) => {
    const item = obj(raw, field);
    if (item.duration === undefined) throw invalid(`${field}.duration is required`);
    duration(item.duration, `${field}.duration`, UNITS);
    // The spec leaves the unit of a per-duration notification timing untyped ("Any type").
    notifications(item.notification_settings, `${field}.notification_settings`);
  });
  notifications(l.global_notification_settings, "lifecycle.global_notification_settings", UNITS);
  bool(l.allow_user_to_extend, "lifecycle.allow_user_to_extend");
}

export const policyRoutes: RouteTable<AtomicworkStore> = {
  "POST /api/v1/iga/policies": (store, req) => {
    const b = obj(jsonBody(req), "body");
    const name = text(b.name, "name", 255, true);
    const description = text(b.description, "description", 1000, false);
    const type = oneOf(b.type ?? "", "type", ["BIRTH_RIGHT", "SELF_SERVICE"]);
    const status = oneOf(b.status ?? "", "status", ["DRAFT", "PUBLISHED", "ARCHIVED", "UNPUBLISHED"]);
    const appId = int(b.app_id, "app_id", true) as number;
    const condition = typed(b.condition, "condition");
    intList(condition?.values, "condition.values");
    approvals(b.approvals);
    lifecycle(b.lifecycle);
    const isActive = bool(b.is_active, "is_active");
    const entitlements = intList(b.entitlements, "entitlements") ?? [];
    bool(b.is_business_justification_required, "is_business_justification_required");
    if (!store.apps.has(appId)) throw notFound("App", appId);
    for (const id of entitlements) if (!store.entitlements.has(id)) throw notFound("Entitlement", id);
    const id = store.nextPolicy++;
    const at = store.stamp();
    store.policies.set(id, {
      id,
      key: `00000000-0000-4000-8000-${String(id).padStart(12, "0")}`,
      name,
      description: description ?? null,
      type,
      status,
      is_active: isActive ?? null,
      app_id: appId,
      entitlements,
      created_at: at,
      updated_at: at,
    });
    return { status: 200, body: {} };
  },
};
