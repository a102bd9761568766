/**
 * The Okta org authorization server, as far as service apps need it (upstream-apis §1.2): POST
 * /oauth2/v1/token with private_key_jwt client assertions (signature against the client's registered
 * keys, iss = sub = client id, aud = the token URL, exp at most an hour ahead, no replayed jti), scopes
 * within what the client was granted, and DPoP when the client requires it (no proof: invalid_dpop_proof;
 * a proof without the current nonce: use_dpop_nonce with a DPoP-Nonce header). Resource requests then
 * present `Bearer <token>`, or `DPoP <token>` with a fresh proof bound to the same key.
 */
import { createHash, randomBytes } from "node:crypto";
// jose is imported where it is used: the token endpoint is rare, start-up is not.
import type { JWK } from "jose";
import type { RouteTable, SandboxRequest, SandboxResponse } from "../kit/http.js";

export interface OktaOAuthClient {
  clientId: string;
  /** Public keys of the client (its JWKS). */
  keys: JWK[];
  scopes: string[];
  requireDpop?: boolean;
}

interface Issued {
  clientId: string;
  scopes: string[];
  expiresAt: number;
  /** Thumbprint of the DPoP key the token is bound to. */
  jkt?: string;
}

export type ResourceAuth = { ok: true; scopes: string[] } | { ok: false };

const oauthError = (
  status: number,
  error: string,
  description: string,
  headers: Record<string, string> = {},
) => ({
  status,
  headers,
  body: { error, error_description: description },
});

export class OktaOAuthServer {
  private readonly tokens = new Map<string, Issued>();
  private readonly seenJti = new Map<string, number>();
  private nonce = randomBytes(16).toString("base64url");

  constructor(
    private readonly clients: readonly OktaOAuthClient[],
    private readonly baseUrl: () => string,
    private readonly now: () => number,
    private readonly tokenTtlSeconds = 3600,
  ) {}

  private fresh(jti: unknown): boolean {
    if (typeof jti !== "string" || this.seenJti.has(jti)) return false;
    this.seenJti.set(jti, this.now());
    return true;
  }

  /** Verifies a DPoP proof for this method and URL; returns the key thumbprint and the proof's claims. */
  private async proof(
    req: SandboxRequest,
    url: string,
  ): Promise<{ jkt: string; nonce?: unknown; ath?: unknown } | undefined> {
    const value = req.headers.dpop;
    if (typeof value !== "string") return undefined;
    // jose loads only when a sandbox is asked for OAuth.
    const { calculateJwkThumbprint, decodeProtectedHeader, EmbeddedJWK, jwtVerify } = await import("jose");
    try {
      const header = decodeProtectedHeader(value);
      if (header.typ !== "dpop+jwt" || !header.jwk) return undefined;
      const { payload } = await jwtVerify(value, EmbeddedJWK, {
        typ: "dpop+jwt",
        currentDate: new Date(this.now()),
      });
      const htu = String(payload.htu ?? "").split(/[?#]/)[0];
      const age = Math.abs(this.now() / 1000 - Number(payload.iat));
      if (payload.htm !== req.method || htu !== url || !(age < 300) || !this.fresh(payload.jti))
        return undefined;
      return { jkt: await calculateJwkThumbprint(header.jwk as JWK), nonce: payload.nonce, ath: payload.ath };
    } catch {
      return undefined;
    }
  }

  async token(req: SandboxRequest): Promise<SandboxResponse> {
    const form = new URLSearchParams(req.body);
    if (form.get("grant_type") !== "client_credentials") {
      return oauthError(400, "unsupported_grant_type", "Only client_credentials is supported.");
    }
    const tokenUrl = `${this.baseUrl()}/oauth2/v1/token`;
    const assertion = form.get("client_assertion") ?? "";
    if (
      form.get("client_assertion_type") !== "urn:ietf:params:oauth:client-assertion-type:jwt-bearer" ||
      !assertion
    ) {
      return oauthError(401, "invalid_client", "private_key_jwt client authentication is required.");
    }
    let clientId: string;
    const { createLocalJWKSet, jwtVerify } = await import("jose");
    try {
      const unverified = JSON.parse(Buffer.from(assertion.split(".")[1] ?? "", "base64url").toString()) as {
        iss?: string;
      };
      const client = this.clients.find((c) => c.clientId === unverified.iss);
      if (!client) return oauthError(401, "invalid_client", "The client is unknown.");
      const { payload } = await jwtVerify(assertion, createLocalJWKSet({ keys: client.keys }), {
        issuer: client.clientId,
        subject: client.clientId,
        audience: tokenUrl,
        currentDate: new Date(this.now()),
      });
      if (!payload.exp || payload.exp * 1000 - this.now() > 3600_000 || !this.fresh(payload.jti)) {
        return oauthError(401, "invalid_client", "The client assertion's exp or jti is not acceptable.");
      }
      clientId = client.clientId;
    } catch {
      return oauthError(401, "invalid_client", "The client_assertion signature or claims are invalid.");
    }
    const client = this.clients.find((c) => c.clientId === clientId) as OktaOAuthClient;
    const scopes = (form.get("scope") ?? "").split(" ").filter(Boolean);
    if (scopes.length === 0 || scopes.some((s) => !client.scopes.includes(s))) {
      return oauthError(400, "invalid_scope", "The requested scopes are not granted to the client.");
    }
    let jkt: string | undefined;
    if (client.requireDpop || req.headers.dpop) {
      const proof = await this.proof(req, tokenUrl);
      if (!proof) return oauthError(400, "invalid_dpop_proof", "DPoP proof is missing or invalid.");
      if (proof.nonce !== this.nonce) {
        return oauthError(400, "use_dpop_nonce", "Authorization server requires nonce in DPoP proof.", {
          "DPoP-Nonce": this.nonce,
        });
      }
      jkt = proof.jkt;
    }
    const accessToken = randomBytes(32).toString("base64url");
    this.tokens.set(accessToken, {
      clientId,
      scopes,
      expiresAt: this.now() + this.tokenTtlSeconds * 1000,
      jkt,
    });
    return {
      status: 200,
      body: {
        token_type: jkt ? "DPoP" : "Bearer",
        expires_in: this.tokenTtlSeconds,
        access_token: accessToken,
        scope: scopes.join(" "),
      },
    };
  }

  /** Checks a resource request's `Bearer` or `DPoP` token. */
  async authorize(req: SandboxRequest, scheme: string, token: string): Promise<ResourceAuth> {
    const issued = this.tokens.get(token);
    if (!issued || issued.expiresAt <= this.now()) return { ok: false };
    if (scheme.toLowerCase() === "dpop") {
      if (!issued.jkt) return { ok: false };
      const proof = await this.proof(req, `${this.baseUrl()}${req.path}`);
      const ath = createHash("sha256").update(token).digest("base64url");
      if (!proof || proof.jkt !== issued.jkt || proof.ath !== ath) return { ok: false };
    } else if (issued.jkt) {
      return { ok: false }; // a DPoP-bound token is useless as a bearer token
    }
    return { ok: true, scopes: issued.scopes };
  }
}

/** The scope an Okta request needs (upstream-apis §1.2), or undefined when any token will do. */
export function requiredScope(method: string, path: string): string[] | undefined {
  if (path.startsWith("/api/v1/users")) return ["okta.users.read", "okta.users.manage"];
  if (path.startsWith("/api/v1/apps")) return ["okta.apps.read", "okta.apps.manage"];
  if (path.startsWith("/governance/api/v1/campaigns") || path.startsWith("/governance/api/v1/reviews")) {
    const manage = "okta.governance.accessCertifications.manage";
    return method === "GET" ? ["okta.governance.accessCertifications.read", manage] : [manage];
  }
  const accessRequests = accessRequestScope(method, path);
  if (accessRequests) return accessRequests;
  if (path.startsWith("/governance/")) {
    return method === "GET"
      ? ["okta.governance.entitlements.read", "okta.governance.entitlements.manage"]
      : ["okta.governance.entitlements.manage"];
  }
  return undefined;
}

/** The spec's scopes of the access request and risk operations (read or manage for reads, manage for writes). */
function accessRequestScope(method: string, path: string): string[] | undefined {
  const either = (family: string) =>
    method === "GET" ? [`${family}.read`, `${family}.manage`] : [`${family}.manage`];
  if (/^\/governance\/api\/v2\/catalogs\/default\/entries\/[^/]+\/users\//.test(path))
    return either("okta.accessRequests.request");
  if (path.startsWith("/governance/api/v2/catalogs/")) return either("okta.accessRequests.catalog");
  if (path.startsWith("/governance/api/v2/requests")) return either("okta.accessRequests.request");
  if (/^\/governance\/api\/v2\/resources\/[^/]+\/request-(conditions|sequences)/.test(path))
    return either("okta.accessRequests.condition");
  // An assessment only reads, with the rules' read scope.
  if (path === "/governance/api/v1/risk-rule-assessments") return ["okta.governance.riskRule.read"];
  if (path.startsWith("/governance/api/v1/risk-rules")) return either("okta.governance.riskRule");
  return undefined;
}

/** The org authorization server's token route; it authenticates the client itself, before any API token. */
export const TOKEN_ROUTE = "POST /oauth2/v1/token";

export const tokenRoutes: RouteTable<OktaOAuthServer> = {
  [TOKEN_ROUTE]: (server, req) => server.token(req),
};
