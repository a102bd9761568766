/**
 * OAuth resource-server mode: verifies JWT access tokens (signature against the issuer's keys, `iss`,
 * `aud`, a required `exp`, `nbf`) and returns the subject. The keys come from the configured JWKS URL or
 * from the issuer's metadata. Discovery is cached when it works and backed off when it fails, so a
 * stream of requests with bad tokens cannot make this server fetch from the issuer on every request.
 */
import type { JWTVerifyGetKey } from "jose";

export interface OAuthSettings {
  issuer: string;
  audience: string;
  jwksUrl?: string;
}

/** After a failed discovery, no new attempt for 1 s, then 2 s, 4 s … at most 60 s. */
const FIRST_BACKOFF_MS = 1_000;
const MAX_BACKOFF_MS = 60_000;
/** Keys are refetched after this long (stale keys are kept when the refetch fails). */
const KEYS_MAX_AGE_MS = 10 * 60_000;
/** A token signed with an unknown key refetches the keys at most this often (key rotation). */
const UNKNOWN_KEY_REFETCH_MS = 30_000;
const FETCH_TIMEOUT_MS = 5_000;

async function fetchJson(url: string, what: string, redirect: "follow" | "manual"): Promise<unknown> {
  const res = await fetch(url, {
    redirect,
    headers: { accept: "application/json" },
    signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
  });
  if (!res.ok) {
    await res.body?.cancel();
    throw new Error(`${what} at ${url} answered ${res.status}`);
  }
  return res.json();
}

async function jwksUriFromMetadata(issuer: string): Promise<string> {
  for (const doc of ["openid-configuration", "oauth-authorization-server"]) {
    const url = `${issuer}/.well-known/${doc}`;
    const meta = (await fetchJson(url, "issuer metadata", "follow").catch(() => undefined)) as
      | { jwks_uri?: unknown }
      | undefined;
    if (typeof meta?.jwks_uri === "string" && meta.jwks_uri) return meta.jwks_uri;
  }
  throw new Error(`no jwks_uri found in the metadata of issuer ${issuer}`);
}

/** `token -> subject`, or undefined when the token is not valid. */
export function jwtVerifier(
  oauth: OAuthSettings,
  now: () => number = Date.now,
): (token: string) => Promise<string | undefined> {
  let jwksUrl = oauth.jwksUrl;
  let keys: JWTVerifyGetKey | undefined;
  let fetchedAt = Number.NEGATIVE_INFINITY;
  let failures = 0;
  let retryAt = 0;
  let pending: Promise<void> | undefined;

  const discover = async () => {
    // jose loads only when OAuth mode is used.
    const { createLocalJWKSet } = await import("jose");
    jwksUrl ??= await jwksUriFromMetadata(oauth.issuer);
    keys = createLocalJWKSet(
      (await fetchJson(jwksUrl, "JWKS", "manual")) as Parameters<typeof createLocalJWKSet>[0],
    );
    fetchedAt = now();
  };
  /** One discovery at a time; none while backing off after a failure. */
  const refresh = (): Promise<void> => {
    if (pending) return pending;
    if (now() < retryAt) {
      return Promise.reject(new Error("issuer discovery failed recently; waiting before the next attempt"));
    }
    pending = discover()
      .then(
        () => {
          failures = 0;
          retryAt = 0;
        },
        (err: unknown) => {
          failures += 1;
          retryAt = now() + Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** (failures - 1));
          throw err;
        },
      )
      .finally(() => {
        pending = undefined;
      });
    return pending;
  };

  const getKey: JWTVerifyGetKey = async (header, token) => {
    if (!keys || now() - fetchedAt > KEYS_MAX_AGE_MS) {
      // Stale keys beat none while the issuer is unreachable.
      await refresh().catch((err: unknown) => {
        if (!keys) throw err;
      });
    }
    const current = keys as JWTVerifyGetKey;
    try {
      return await current(header, token);
    } catch (err) {
      const unknownKey = (err as { code?: unknown }).code === "ERR_JWKS_NO_MATCHING_KEY";
      if (!unknownKey || now() - fetchedAt < UNKNOWN_KEY_REFETCH_MS) throw err;
      await refresh();
      return (keys as JWTVerifyGetKey)(header, token);
    }
  };

  return async (token) => {
    try {
      const { jwtVerify } = await import("jose");
      const { payload } = await jwtVerify(token, getKey, {
        issuer: oauth.issuer,
        audience: oauth.audience,
        // jose accepts a token without `exp` unless told: one would then never expire.
        requiredClaims: ["exp"],
      });
      return typeof payload.sub === "string" && payload.sub ? payload.sub : undefined;
    } catch {
      return undefined;
    }
  };
}
