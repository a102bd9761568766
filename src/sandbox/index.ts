/**
 * The embedded sandbox (DESIGN §2.6): a real `node:http` server on loopback that emulates the
 * upstream APIs, one provider module per upstream (okta/, atomicwork/, sailpoint-iiq/), each plugged in
 * as route tables over its own store; kit/ holds what they share. This module is the public API: the
 * options, which providers serve, and the server.
 *
 * Credentials are fixed and documented (SANDBOX_CREDENTIALS); anything else gets the upstream's 401.
 */
import { createServer } from "node:http";
import { createAtomicworkProvider } from "./atomicwork/index.js";
import { SANDBOX_CREDENTIALS } from "./credentials.js";
import {
  createEmulator,
  type RecordedRequest,
  type SandboxEmulator,
  type SandboxFault,
} from "./kit/emulator.js";
import { closer, listen } from "./kit/listen.js";
import { createOktaProvider } from "./okta/index.js";
import type { OktaOAuthClient } from "./okta/oauth.js";
import { createIiqProvider } from "./sailpoint-iiq/index.js";

export type { RecordedRequest, SandboxEmulator, SandboxFault } from "./kit/emulator.js";
export { SANDBOX_CREDENTIALS };

export interface SandboxOptions {
  /** Default 0 (an ephemeral port); the CLI passes 8787. */
  port?: number;
  /** Default "127.0.0.1". */
  host?: string;
  /** "demo" (default): the demo data of each provider (okta/data.ts, ...); "empty": org, apps and users only. */
  seed?: "demo" | "empty";
  /** N extra generated entitlements (2 values each) on the "Scale Test" app, for benchmarks. Default 0. */
  scale?: number;
  /** Requests per bucket per window; default { limit: 600, windowMs: 60000 }. */
  rateLimit?: { limit: number; windowMs?: number };
  /** Clock (ms) for timestamps and rate windows; default Date.now. */
  now?: () => number;
  /**
   * OAuth service apps Okta's token endpoint (`POST /oauth2/v1/token`) accepts: client id, registered
   * public keys (JWKS), granted scopes, and whether DPoP is required. None by default: only SSWS works.
   */
  oktaOAuthClients?: OktaOAuthClient[];
  /** Lifetime of the access tokens Okta's token endpoint issues, on the `now` clock (default 3600 s). */
  oktaTokenTtlSeconds?: number;
}

export interface Sandbox {
  /** "http://127.0.0.1:PORT": OKTA_ORG_URL. */
  url: string;
  /** Every request served, in order. */
  requests: RecordedRequest[];
  /** Every served route string, e.g. "GET /governance/api/v1/entitlements/{entitlementId}". */
  routes: string[];
  /** Adds a fault (see SandboxFault); faults apply in the order they were added. */
  inject(fault: SandboxFault): void;
  close(): Promise<void>;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  let url = "";
  const emulator = createSandboxEmulator(options, () => url);
  const server = createServer((req, res) => void emulator.handle(req, res));
  url = await listen(server, options.port ?? 0, options.host ?? "127.0.0.1");

  return {
    url,
    requests: emulator.requests,
    routes: emulator.routes,
    inject: emulator.inject,
    close: closer(server),
  };
}

/** The emulator of every provider, answering as if served at `baseUrl()` (links carry it). */
export function createSandboxEmulator(options: SandboxOptions, baseUrl: () => string): SandboxEmulator {
  const now = options.now ?? Date.now;
  const seed = options.seed ?? "demo";
  const scale = options.scale ?? 0;
  const rateLimit = {
    limit: options.rateLimit?.limit ?? 600,
    windowMs: options.rateLimit?.windowMs ?? 60_000,
  };
  return createEmulator([
    // Okta claims every path (it is the org URL), so the others go first.
    createAtomicworkProvider({ ...SANDBOX_CREDENTIALS.atomicwork, seed, rateLimit, now }),
    createIiqProvider({ baseUrl, ...SANDBOX_CREDENTIALS.iiq, seed, scale, now }),
    createOktaProvider({
      baseUrl,
      apiToken: SANDBOX_CREDENTIALS.okta.apiToken,
      seed,
      scale,
      rateLimit,
      now,
      oauthClients: options.oktaOAuthClients,
      oauthTokenTtlSeconds: options.oktaTokenTtlSeconds,
    }),
  ]);
}
