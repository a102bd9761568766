/**
 * Okta Resource Names of the demo org (upstream-apis §1.3): built for records, parsed from requests (only this org's), and
 * normalised so two ORNs naming the same object compare equal.
 */
import { OKTA_ORG_ID } from "./data.js";

export function appOrn(app: { name: string; id: string }): string {
  return `orn:okta:idp:${OKTA_ORG_ID}:apps:${app.name}:${app.id}`;
}
export function userOrn(userId: string): string {
  return `orn:okta:directory:${OKTA_ORG_ID}:users:${userId}`;
}
export function valueOrn(valueId: string): string {
  return `orn:okta:governance:${OKTA_ORG_ID}:entitlement-values:${valueId}`;
}
export function bundleOrn(bundleId: string): string {
  return `orn:okta:governance:${OKTA_ORG_ID}:entitlement-bundles:${bundleId}`;
}

export function appIdFromOrn(orn: string): string | undefined {
  const m = /^orn:[a-z-]+:idp:([^:]+):apps:[^:]+:([^:]+)$/.exec(orn);
  return m && m[1] === OKTA_ORG_ID ? m[2] : undefined;
}
export function userIdFromOrn(orn: string): string | undefined {
  const m = /^orn:[a-z-]+:directory:([^:]+):users:([^:]+)$/.exec(orn);
  return m && m[1] === OKTA_ORG_ID ? m[2] : undefined;
}
export function governanceIdFromOrn(orn: string, type: string): string | undefined {
  const m = /^orn:[a-z-]+:governance:([^:]+):([a-z-]+):([^:]+)$/.exec(orn);
  return m && m[1] === OKTA_ORG_ID && m[2] === type ? m[3] : undefined;
}

/**
 * ORNs name the same object regardless of partition (`okta`/`oktapreview`) and, for apps, of the app
 * name segment (the docs' examples say `apps:oidc:` for a Salesforce app): compare what identifies it.
 */
export function normalizeOrn(orn: string): string {
  const parts = orn.split(":");
  if (parts[0] !== "orn" || parts.length < 6) return orn;
  if (parts[2] === "idp" && parts[4] === "apps" && parts.length === 7)
    return `idp:${parts[3]}:apps:${parts[6]}`;
  return parts.slice(2).join(":");
}
