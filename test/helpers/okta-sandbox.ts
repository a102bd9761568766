/**
 * The Okta emulator over real HTTP on 127.0.0.1, as an Okta client sees it: requests with the sandbox's
 * SSWS token, filters for the resource pins, Link headers read back, and Okta's error body and
 * rate-limit headers checked field by field.
 */
import { request } from "undici";
import { expect, onTestFinished } from "vitest";
import {
  SANDBOX_CREDENTIALS,
  type Sandbox,
  type SandboxOptions,
  startSandbox,
} from "../../src/sandbox/index.js";

// biome-ignore lint/suspicious/noExplicitAny: response bodies are arbitrary JSON, asserted field by field.
export type Body = any;

export interface Res {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Body;
}

export const TOKEN = SANDBOX_CREDENTIALS.okta.apiToken;
export const GOV = "/governance/api/v1";

/** A sandbox with Okta's own rate limits (600 a minute unless told), closed when the test finishes. */
export async function openSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const sandbox = await startSandbox(options);
  onTestFinished(() => sandbox.close());
  return sandbox;
}

/** Sends a request with the sandbox token (or `auth`; null sends none) and reads the JSON answer. */
export async function send(
  sb: Sandbox,
  method: string,
  path: string,
  opts: { body?: unknown; raw?: string; auth?: string | null } = {},
): Promise<Res> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (opts.auth !== null) headers.authorization = opts.auth ?? `SSWS ${TOKEN}`;
  const body = opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body));
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await request(path.startsWith("http") ? path : `${sb.url}${path}`, {
    method: method as "GET",
    headers,
    body,
  });
  const text = await res.body.text();
  return { status: res.statusCode, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

export const get = (sb: Sandbox, path: string) => send(sb, "GET", path);
export const f = (filter: string) => encodeURIComponent(filter);
export const appFilter = (appId: string) =>
  `parent.externalId eq "${appId}" AND parent.type eq "APPLICATION"`;
export const targetFilter = (appId: string) =>
  `target.externalId eq "${appId}" AND target.type eq "APPLICATION"`;
export const principalFilter = (appId: string, userId: string) =>
  `${appFilter(appId)} AND targetPrincipal.externalId eq "${userId}" AND targetPrincipal.type eq "OKTA_USER"`;

export function links(res: Res): Record<string, string> {
  const raw = res.headers.link;
  const values = Array.isArray(raw) ? raw : raw ? [raw] : [];
  const out: Record<string, string> = {};
  for (const v of values) {
    const m = /^<([^>]+)>; rel="([^"]+)"$/.exec(v);
    if (!m) throw new Error(`bad Link header value: ${v}`);
    out[m[2] as string] = m[1] as string;
  }
  return out;
}

export function expectOktaError(res: Res, status: number, code: string): Body {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.headers["content-type"]).toBe("application/json");
  expect(Object.keys(res.body).sort()).toEqual([
    "errorCauses",
    "errorCode",
    "errorId",
    "errorLink",
    "errorSummary",
  ]);
  expect(res.body.errorCode).toBe(code);
  expect(res.body.errorLink).toBe(code);
  expect(res.body.errorId).toMatch(/^oae[0-9A-Za-z]{22}$/);
  expect(Array.isArray(res.body.errorCauses)).toBe(true);
  return res.body;
}

export function expectRateHeaders(res: Res, limit: number): void {
  expect(res.headers["x-rate-limit-limit"]).toBe(String(limit));
  expect(Number(res.headers["x-rate-limit-remaining"])).toBeGreaterThanOrEqual(0);
  expect(res.headers["x-rate-limit-reset"]).toMatch(/^\d{10}$/);
  expect(res.headers["x-okta-request-id"]).toMatch(/^[0-9A-Za-z]{20,}$/);
  const date = res.headers.date as string;
  expect(date).toMatch(/^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
  expect(Number.isNaN(Date.parse(date))).toBe(false);
}
