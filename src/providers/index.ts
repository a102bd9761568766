/**
 * From configuration to upstream endpoints: base URLs and auth headers per provider. The sandbox
 * serves all three APIs on one loopback origin, with the fixed credentials it documents.
 */

import type { Provider } from "../core/operation.js";
import { SANDBOX_CREDENTIALS } from "../sandbox/credentials.js";
import type { ProviderEndpoint } from "../upstream/client.js";
import { iiqOAuth } from "./iiq-oauth.js";
import { oktaOAuth } from "./okta-oauth.js";

export type Endpoints = Partial<Record<Provider, ProviderEndpoint>>;

export interface OktaConfig {
  orgUrl: string;
  /** SSWS API token, or else OAuth service-app credentials. */
  apiToken?: string;
  oauth?: { clientId: string; privateKey: string; keyId?: string; scopes: string[] };
}

export interface AtomicworkConfig {
  /** `https://{tenant}.atomicwork.com`: routes start with /api/v1. */
  baseUrl: string;
  apiKey: string;
  workspaceId?: string;
}

export type IiqAuth =
  | { kind: "basic"; username: string; password: string }
  | { kind: "oauth"; clientId: string; clientSecret: string; tokenUrl: string };

export interface IiqConfig {
  /** The SCIM base, e.g. `https://iiq.example.com/identityiq/scim/v2`. */
  baseUrl: string;
  auth: IiqAuth;
}

/** What each configured provider needs: the part of the configuration this layer reads. */
export interface ProviderSettings {
  okta?: OktaConfig;
  atomicwork?: AtomicworkConfig;
  iiq?: IiqConfig;
}

function basic(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}`;
}

/** Endpoints for the configured providers. */
export function configuredEndpoints(config: ProviderSettings): Endpoints {
  const out: Endpoints = {};
  if (config.okta?.apiToken) {
    const { orgUrl, apiToken } = config.okta;
    out.okta = { baseUrl: orgUrl, auth: () => ({ Authorization: `SSWS ${apiToken}` }), secrets: [apiToken] };
  } else if (config.okta?.oauth) {
    const { orgUrl, oauth } = config.okta;
    out.okta = { baseUrl: orgUrl, auth: oktaOAuth({ orgUrl, ...oauth }), secrets: [oauth.privateKey] };
  }
  if (config.atomicwork) {
    const { baseUrl, apiKey, workspaceId } = config.atomicwork;
    out.atomicwork = {
      baseUrl,
      auth: () => ({ "X-Api-Key": apiKey, ...(workspaceId ? { "X-Workspace-Id": workspaceId } : {}) }),
      secrets: [apiKey],
    };
  }
  if (config.iiq?.auth.kind === "basic") {
    const { username, password } = config.iiq.auth;
    const header = basic(username, password);
    out["sailpoint-iiq"] = {
      baseUrl: config.iiq.baseUrl,
      auth: () => ({ Authorization: header }),
      secrets: [password, header.slice("Basic ".length)],
      contentType: "application/scim+json",
    };
  }
  if (config.iiq?.auth.kind === "oauth") {
    out["sailpoint-iiq"] = {
      baseUrl: config.iiq.baseUrl,
      auth: iiqOAuth(config.iiq.auth),
      secrets: [config.iiq.auth.clientSecret],
      contentType: "application/scim+json",
    };
  }
  return out;
}

/** Endpoints for the embedded sandbox at `url`: every provider, with the sandbox's own credentials. */
export function sandboxEndpoints(url: string): Endpoints {
  const okta = SANDBOX_CREDENTIALS.okta.apiToken;
  const iiq = SANDBOX_CREDENTIALS.iiq;
  const aw = SANDBOX_CREDENTIALS.atomicwork;
  const iiqBasic = basic(iiq.username, iiq.password);
  return {
    okta: { baseUrl: url, auth: () => ({ Authorization: `SSWS ${okta}` }), secrets: [okta] },
    atomicwork: {
      baseUrl: url,
      auth: () => ({ "X-Api-Key": aw.apiKey, "X-Workspace-Id": aw.workspaceId }),
      secrets: [aw.apiKey],
    },
    "sailpoint-iiq": {
      baseUrl: `${url}/identityiq/scim/v2`,
      auth: () => ({ Authorization: iiqBasic }),
      secrets: [iiq.password, iiqBasic.slice("Basic ".length)],
      contentType: "application/scim+json",
    },
  };
}
