/**
 * Okta OAuth 2.0 for service apps (upstream-apis §1.2): a private_key_jwt client assertion signed with the
 * app's key buys an access token for the configured scopes, cached until shortly before it expires, one
 * request at a time. When the org demands DPoP, the two-step nonce handshake Okta's SDK performs is done,
 * and every resource request then carries `Authorization: DPoP <token>` with a fresh proof.
 */
import { createHash, createPrivateKey, type KeyObject, randomUUID } from "node:crypto";
import { ConfigError, registerSecret, UpstreamError, UpstreamNetworkError } from "../core/errors.js";
import type { AuthProvider, AuthRequest } from "../upstream/client.js";

export interface OktaOAuthOptions {
  orgUrl: string;
  clientId: string;
  /** PEM (PKCS#8 or PKCS#1) or a private JWK as JSON. */
  privateKey: string;
  keyId?: string;
  scopes: readonly string[];
  now?: () => number;
}

const EARLY_MS = 60_000;

/** The private key and the algorithm it signs with; throws ConfigError naming the variable. */
export function parsePrivateKey(text: string): {
  key: KeyObject;
  alg: "RS256" | "ES256" | "ES384" | "ES512";
  kid?: string;
} {
  let key: KeyObject;
  let kid: string | undefined;
  // A file name where the key belongs is the usual mistake: say so, and how to pass the file's contents.
  if (/^[^\s{-][^\n]*\.(pem|key|json|p8)$/i.test(text.trim()) || /^[~./\\]/.test(text.trim())) {
    throw new ConfigError(
      'OKTA_PRIVATE_KEY: holds a file name, not a key: put the key itself in it, e.g. OKTA_PRIVATE_KEY="$(cat key.pem)".',
    );
  }
  try {
    if (text.trim().startsWith("{")) {
      const jwk = JSON.parse(text) as { kid?: string };
      kid = jwk.kid;
      key = createPrivateKey({ key: jwk as never, format: "jwk" });
    } else {
      key = createPrivateKey(text.replace(/\\n/g, "\n"));
    }
  } catch {
    throw new ConfigError(
      "OKTA_PRIVATE_KEY: not a private key in PEM or JWK form (the key is not shown): give the PEM " +
        "(-----BEGIN PRIVATE KEY-----, \\n escapes accepted) or the private JWK as JSON.",
    );
  }
  if (key.asymmetricKeyType === "rsa") return { key, alg: "RS256", kid };
  if (key.asymmetricKeyType === "ec") {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    const alg = curve === "secp384r1" ? "ES384" : curve === "secp521r1" ? "ES512" : "ES256";
    return { key, alg, kid };
  }
  throw new ConfigError("OKTA_PRIVATE_KEY: use an RSA or EC key (Okta accepts RS256-512 and ES256-512).");
}

export function oktaOAuth(options: OktaOAuthOptions): AuthProvider {
  const now = options.now ?? Date.now;
  const signing = parsePrivateKey(options.privateKey);
  const kid = options.keyId ?? signing.kid;
  const tokenUrl = `${options.orgUrl}/oauth2/v1/token`;
  let cached: { token: string; type: "Bearer" | "DPoP"; expiresAt: number } | undefined;
  let pending: Promise<void> | undefined;
  let nonce: string | undefined;
  let dpop:
    | Promise<{
        privateKey: Awaited<ReturnType<typeof import("jose").generateKeyPair>>["privateKey"];
        jwk: Record<string, unknown>;
      }>
    | undefined;

  const dpopKey = () => {
    dpop ??= (async () => {
      const { exportJWK, generateKeyPair } = await import("jose");
      const pair = await generateKeyPair("ES256");
      return { privateKey: pair.privateKey, jwk: await exportJWK(pair.publicKey) };
    })();
    return dpop;
  };

  /** A DPoP proof for one request (RFC 9449); `ath` binds it to the access token on resource calls. */
  const proof = async (method: string, url: string, accessToken?: string) => {
    const { SignJWT } = await import("jose");
    const { privateKey, jwk } = await dpopKey();
    const claims: Record<string, unknown> = { htm: method, htu: url.split(/[?#]/)[0] };
    if (nonce) claims.nonce = nonce;
    if (accessToken) claims.ath = createHash("sha256").update(accessToken).digest("base64url");
    return new SignJWT(claims)
      .setProtectedHeader({ typ: "dpop+jwt", alg: "ES256", jwk })
      .setIssuedAt(Math.floor(now() / 1000))
      .setJti(randomUUID())
      .sign(privateKey);
  };

  const assertion = async () => {
    const { SignJWT } = await import("jose");
    const seconds = Math.floor(now() / 1000);
    return new SignJWT({})
      .setProtectedHeader({ alg: signing.alg, ...(kid ? { kid } : {}) })
      .setIssuer(options.clientId)
      .setSubject(options.clientId)
      .setAudience(tokenUrl)
      .setIssuedAt(seconds)
      .setExpirationTime(seconds + 300)
      .setJti(randomUUID())
      .sign(signing.key);
  };

  async function fetchToken(): Promise<void> {
    const { request } = await import("undici");
    const path = "/oauth2/v1/token";
    let useDpop = false;
    // At most: plain, then with a proof, then with the nonce the server asked for.
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const body = new URLSearchParams({
        grant_type: "client_credentials",
        scope: options.scopes.join(" "),
        client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        client_assertion: await assertion(),
      }).toString();
      const headers: Record<string, string> = {
        "content-type": "application/x-www-form-urlencoded",
        accept: "application/json",
      };
      if (useDpop) headers.dpop = await proof("POST", tokenUrl);
      let status: number;
      let json: Record<string, unknown>;
      let responseNonce: string | undefined;
      try {
        const res = await request(tokenUrl, {
          method: "POST",
          headers,
          body,
          headersTimeout: 15_000,
          bodyTimeout: 15_000,
        });
        status = res.statusCode;
        responseNonce = typeof res.headers["dpop-nonce"] === "string" ? res.headers["dpop-nonce"] : undefined;
        json = ((await res.body.json().catch(() => ({}))) ?? {}) as Record<string, unknown>;
      } catch (err) {
        throw new UpstreamNetworkError("okta", "POST", path, "the token endpoint could not be reached", {
          cause: err,
          retryable: true,
        });
      }
      const error = typeof json.error === "string" ? json.error : undefined;
      if (status === 400 && error === "invalid_dpop_proof" && !useDpop) {
        useDpop = true;
        continue;
      }
      if (status === 400 && error === "use_dpop_nonce" && responseNonce) {
        nonce = responseNonce;
        useDpop = true;
        continue;
      }
      const accessToken = typeof json.access_token === "string" ? json.access_token : undefined;
      if (status >= 400 || !accessToken) {
        throw new UpstreamError({
          provider: "okta",
          status: status >= 400 ? status : 502,
          code: error,
          summary: `The token endpoint ${path} refused the request${
            typeof json.error_description === "string" ? `: ${json.error_description}` : ""
          }`,
          method: "POST",
          path,
        });
      }
      registerSecret(accessToken);
      const ttl = typeof json.expires_in === "number" ? json.expires_in * 1000 : 3600_000;
      cached = {
        token: accessToken,
        type: json.token_type === "DPoP" ? "DPoP" : "Bearer",
        expiresAt: now() + ttl,
      };
      return;
    }
    throw new UpstreamError({
      provider: "okta",
      status: 400,
      code: "use_dpop_nonce",
      summary: "The token endpoint kept asking for a new DPoP nonce",
      method: "POST",
      path,
    });
  }

  return async (req: AuthRequest): Promise<Record<string, string>> => {
    if (!cached || now() >= cached.expiresAt - EARLY_MS) {
      pending ??= fetchToken().finally(() => {
        pending = undefined;
      });
      await pending;
    }
    const token = cached as { token: string; type: "Bearer" | "DPoP" };
    if (token.type === "Bearer") return { Authorization: `Bearer ${token.token}` };
    return { Authorization: `DPoP ${token.token}`, DPoP: await proof(req.method, req.url, token.token) };
  };
}
