/**
 * IdentityIQ OAuth 2.0 client credentials (upstream-apis §3.2): a token from `{context root}/oauth2/token`
 * with HTTP Basic client credentials, cached until shortly before it expires, one request at a time
 * however many calls want it. Tokens and the secret are registered as secrets.
 */
import { registerSecret, UpstreamError, UpstreamNetworkError } from "../core/errors.js";
import type { AuthProvider } from "../upstream/client.js";

export interface IiqOAuthOptions {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  now?: () => number;
}

/** Refresh this long before the token's expiry, so a token never expires mid-request. */
const EARLY_MS = 60_000;

export function iiqOAuth(options: IiqOAuthOptions): AuthProvider {
  const now = options.now ?? Date.now;
  const basic = Buffer.from(`${options.clientId}:${options.clientSecret}`).toString("base64");
  registerSecret(options.clientSecret);
  registerSecret(basic);
  let cached: { token: string; expiresAt: number } | undefined;
  let pending: Promise<string> | undefined;
  const path = new URL(options.tokenUrl).pathname;

  async function fetchToken(): Promise<string> {
    const { request } = await import("undici");
    let status: number;
    let body: Record<string, unknown>;
    try {
      const res = await request(options.tokenUrl, {
        method: "POST",
        headers: {
          authorization: `Basic ${basic}`,
          "content-type": "application/x-www-form-urlencoded",
          accept: "application/json",
        },
        body: "grant_type=client_credentials",
        headersTimeout: 15_000,
        bodyTimeout: 15_000,
      });
      status = res.statusCode;
      body = ((await res.body.json().catch(() => ({}))) ?? {}) as Record<string, unknown>;
    } catch (err) {
      throw new UpstreamNetworkError(
        "sailpoint-iiq",
        "POST",
        path,
        "the token endpoint could not be reached",
        {
          cause: err,
          retryable: true,
        },
      );
    }
    const token = typeof body.access_token === "string" ? body.access_token : undefined;
    if (status >= 400 || !token) {
      throw new UpstreamError({
        provider: "sailpoint-iiq",
        status: status >= 400 ? status : 502,
        code: typeof body.error === "string" ? body.error : undefined,
        summary: `The token endpoint ${path} refused the client credentials${
          typeof body.error_description === "string" ? `: ${body.error_description}` : ""
        }`,
        method: "POST",
        path,
      });
    }
    registerSecret(token);
    const ttl = typeof body.expires_in === "number" ? body.expires_in * 1000 : 1200_000;
    cached = { token, expiresAt: now() + ttl };
    return token;
  }

  return async () => {
    if (!cached || now() >= cached.expiresAt - EARLY_MS) {
      pending ??= fetchToken().finally(() => {
        pending = undefined;
      });
      await pending;
    }
    return { Authorization: `Bearer ${cached?.token}` };
  };
}
