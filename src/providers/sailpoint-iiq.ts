/**
 * SailPoint IdentityIQ's SCIM 2.0 API (upstream-apis §3; the 8.3 OpenAPI spec): HTTP Basic or OAuth client
 * credentials (see iiq-oauth.ts), `application/scim+json` bodies, 32-hex ids (or names where the spec looks
 * resources up by name), and SCIM `scimType`/`detail` error bodies.
 */

import { asObject } from "../core/json.js";
import { SANDBOX_CREDENTIALS } from "../sandbox/credentials.js";
import type { ProviderEndpoint } from "../upstream/client.js";
import type { UpstreamErrorInfo } from "../upstream/profile.js";
import { nonEmptyText } from "../upstream/read.js";
import { iiqOAuth } from "./iiq-oauth.js";
import type { ProviderProfile } from "./profile.js";

export type IiqAuth =
  | { kind: "basic"; username: string; password: string }
  | { kind: "oauth"; clientId: string; clientSecret: string; tokenUrl: string };

export interface IiqConfig {
  /** The SCIM base, e.g. `https://iiq.example.com/identityiq/scim/v2`. */
  baseUrl: string;
  auth: IiqAuth;
}

const SCIM_JSON = "application/scim+json";

function parseScimError(status: number, body: unknown): UpstreamErrorInfo | undefined {
  const obj = asObject(body);
  if (!obj || !(obj.detail || obj.scimType)) return undefined;
  return {
    code: nonEmptyText(obj.scimType),
    summary: nonEmptyText(obj.detail) ?? `HTTP ${status}`,
    causes: [],
  };
}

function basicEndpoint(baseUrl: string, username: string, password: string): ProviderEndpoint {
  const credentials = Buffer.from(`${username}:${password}`).toString("base64");
  return {
    baseUrl,
    auth: () => ({ Authorization: `Basic ${credentials}` }),
    secrets: [password, credentials],
    contentType: SCIM_JSON,
    profile: sailpointIiq,
  };
}

export const sailpointIiq: ProviderProfile<IiqConfig> = {
  name: "sailpoint-iiq",
  toolsets: ["iiq", "sailpoint-iiq"],
  // Paths take ids (32 hex) and, where the spec says so, names: an application's, a userName with lookupByName.
  pathId: {
    pattern: /^[^/\\?#%\p{Cc}]{1,255}$/u,
    rule: "must be an IdentityIQ id (32 hex) or a name without / \\ ? # % or control characters",
  },
  parseError: parseScimError,
  endpoint({ baseUrl, auth }) {
    if (auth.kind === "basic") return basicEndpoint(baseUrl, auth.username, auth.password);
    return {
      baseUrl,
      auth: iiqOAuth(auth),
      secrets: [auth.clientSecret],
      contentType: SCIM_JSON,
      profile: sailpointIiq,
    };
  },
  sandboxEndpoint: (url) => {
    const { username, password } = SANDBOX_CREDENTIALS.iiq;
    return basicEndpoint(`${url}/identityiq/scim/v2`, username, password);
  },
};
