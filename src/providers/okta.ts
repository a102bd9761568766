/**
 * Okta (upstream-apis §1): SSWS API tokens or OAuth service apps (DPoP included, see okta-oauth.ts),
 * 20-character ids, `errorCode`/`errorSummary`/`errorCauses` error bodies, rate limits per endpoint family
 * with `X-Rate-Limit-Reset`, and `X-Okta-Request-Id`.
 */

import { asObject } from "../core/json.js";
import { SANDBOX_CREDENTIALS } from "../sandbox/credentials.js";
import type { ProviderEndpoint } from "../upstream/client.js";
import type { UpstreamErrorInfo } from "../upstream/profile.js";
import { type Headers, header, nonEmptyText } from "../upstream/read.js";
import { oktaOAuth } from "./okta-oauth.js";
import type { ProviderProfile } from "./profile.js";

export interface OktaConfig {
  orgUrl: string;
  /** SSWS API token, or else OAuth service-app credentials. */
  apiToken?: string;
  oauth?: { clientId: string; privateKey: string; keyId?: string; scopes: string[] };
}

/** The scope a 403's Bearer/DPoP challenge says the token lacks, as a cause the error can name. */
function missingScope(status: number, headers: Headers): UpstreamErrorInfo["causes"] {
  const challenge = header(headers, "www-authenticate");
  if (status !== 403 || !challenge?.includes("insufficient_scope")) return [];
  const scope = /scope="([^"]*)"/.exec(challenge)?.[1];
  return [
    {
      summary: `The access token lacks the required scope${scope ? ` ${scope}` : ""}.`,
      reason: "insufficient_scope",
    },
  ];
}

/**
 * Okta's 404 for an app that is not opted in to Entitlement Management names no app ("Resource not found:
 * null (SharedAppInstance)"): the cause says what to do next.
 */
function notOptedIn(status: number, summary: string | undefined): UpstreamErrorInfo["causes"] {
  if (status !== 404 || !summary?.includes("SharedAppInstance")) return [];
  return [
    {
      summary:
        "The app is not opted in to Entitlement Management: check it with okta_get_entitlement_settings and opt it in with okta_update_entitlement_settings (status OPTED_IN), then call again.",
      reason: "NOT_OPTED_IN",
    },
  ];
}

function parseOktaError(status: number, body: unknown, headers: Headers): UpstreamErrorInfo | undefined {
  const obj = asObject(body);
  if (!obj || !(obj.errorCode || obj.errorSummary)) return undefined;
  const causes = Array.isArray(obj.errorCauses)
    ? obj.errorCauses.map((c) => {
        const cause = asObject(c) ?? {};
        return {
          summary: nonEmptyText(cause.errorSummary) ?? "",
          reason: nonEmptyText(cause.reason),
          location: nonEmptyText(cause.location),
          locationType: nonEmptyText(cause.locationType),
          domain: nonEmptyText(cause.domain),
        };
      })
    : [];
  return {
    code: nonEmptyText(obj.errorCode),
    summary: nonEmptyText(obj.errorSummary) ?? `HTTP ${status}`,
    causes: [
      ...causes,
      ...missingScope(status, headers),
      ...notOptedIn(status, nonEmptyText(obj.errorSummary)),
    ],
  };
}

/** Okta limits per endpoint family: `/governance/api/v1/entitlements*` shares one bucket. */
function endpointFamily(path: string): string {
  const segments = path.split("/").filter(Boolean);
  const depth = segments[0] === "governance" ? 4 : 3;
  return `okta:/${segments.slice(0, depth).join("/")}`;
}

/** X-Rate-Limit-Reset (epoch seconds) minus the upstream's own Date, plus a second. */
function resetAfterMs(headers: Headers, now: number): number | undefined {
  const reset = Number(header(headers, "x-rate-limit-reset"));
  if (!Number.isFinite(reset) || reset <= 0) return undefined;
  const serverNow = Date.parse(header(headers, "date") ?? "");
  const base = Number.isNaN(serverNow) ? now : serverNow;
  return Math.max(0, reset * 1000 - base + 1000);
}

function sswsEndpoint(baseUrl: string, apiToken: string): ProviderEndpoint {
  return { baseUrl, auth: () => ({ Authorization: `SSWS ${apiToken}` }), secrets: [apiToken], profile: okta };
}

export const okta: ProviderProfile<OktaConfig> = {
  name: "okta",
  toolsets: ["okta"],
  // Path ids are Okta ids, but for entitlement settings, whose path names the app by its ORN.
  pathId: {
    pattern: /^(?:[0-9A-Za-z]{20}|orn:[a-z]+:idp:[0-9A-Za-z]{20}:apps:[0-9A-Za-z_-]{1,100}:[0-9A-Za-z]{20})$/,
    rule: "must be an Okta id (20 letters and digits) or an app ORN (orn:okta:idp:{orgId}:apps:{appName}:{appId})",
  },
  parseError: parseOktaError,
  bucketOf: endpointFamily,
  resetAfterMs,
  requestIdHeader: "x-okta-request-id",
  endpoint({ orgUrl, apiToken, oauth }) {
    if (apiToken) return sswsEndpoint(orgUrl, apiToken);
    if (!oauth) return undefined;
    return {
      baseUrl: orgUrl,
      auth: oktaOAuth({ orgUrl, ...oauth }),
      secrets: [oauth.privateKey],
      profile: okta,
    };
  },
  sandboxEndpoint: (url) => sswsEndpoint(url, SANDBOX_CREDENTIALS.okta.apiToken),
};
