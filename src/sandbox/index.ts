/**
 * The embedded sandbox (DESIGN §2.6): a real `node:http` server on loopback that emulates the
 * upstream APIs, one provider module per upstream, each plugged in as a route table. Requests are
 * matched against every provider's routes first (the most specific route wins); a path no route
 * matches goes to the first provider that claims it, which answers in its own error style. Okta's
 * module claims every path (it is the org URL), so providers added later go before it in PROVIDERS.
 *
 * Credentials are fixed and documented (SANDBOX_CREDENTIALS); anything else gets the upstream's 401.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createAtomicworkProvider } from "./atomicwork/index.js";
import { SANDBOX_CREDENTIALS } from "./credentials.js";
import {
  type RouteDef,
  readBody,
  type SandboxProvider,
  type SandboxRequest,
  type SandboxResponse,
} from "./kit/http.js";
import { closer, listen } from "./kit/listen.js";
import { Router } from "./kit/router.js";
import { createOktaProvider } from "./okta/index.js";
import type { OktaOAuthClient } from "./okta/oauth.js";
import { createIiqProvider } from "./sailpoint-iiq/index.js";

export { SANDBOX_CREDENTIALS };

export interface SandboxOptions {
  /** Default 0 (an ephemeral port); the CLI passes 8787. */
  port?: number;
  /** Default "127.0.0.1". */
  host?: string;
  /** "demo" (default): the demo org of okta-data.ts; "empty": org, apps and users only. */
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

export interface RecordedRequest {
  method: string;
  path: string;
  query: string;
  headers: Record<string, string | string[] | undefined>;
  status: number;
}

/** A forced failure or delay for tests of clients (retries, timeouts); only the sandbox has this. */
export interface SandboxFault {
  /** Only requests of this route string (e.g. "GET /governance/api/v1/grants"); default every request. */
  route?: string;
  /** Only requests whose path starts with this. */
  pathPrefix?: string;
  /** Answer with this status, in the upstream's error style (e.g. 429, 500, 503). */
  status?: number;
  /** Delay the response by this many milliseconds. */
  latencyMs?: number;
  /** How many requests the fault applies to; default 1 (Infinity for a storm). */
  times?: number;
  /** Drop the connection without answering (after handling the request unless `status` is set). */
  drop?: boolean;
  /** Answer 200 with a body that is not JSON. */
  malformed?: boolean;
}

/** A response the sandbox sends as raw bytes or not at all (fault injection). */
const DROP = Symbol("drop");
const MALFORMED = Symbol("malformed");
type FaultResponse = SandboxResponse & { fault?: typeof DROP | typeof MALFORMED };

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

/** The emulator without a socket: what a request gets, the record of requests, and fault injection. */
export interface SandboxEmulator {
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  requests: RecordedRequest[];
  routes: string[];
  inject(fault: SandboxFault): void;
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
  const providers: SandboxProvider[] = [
    // Okta claims every path (it is the org URL), so the others go first.
    createAtomicworkProvider({
      ...SANDBOX_CREDENTIALS.atomicwork,
      seed: options.seed ?? "demo",
      rateLimit: { limit: options.rateLimit?.limit ?? 600, windowMs: options.rateLimit?.windowMs ?? 60_000 },
      now,
    }),
    createIiqProvider({
      baseUrl,
      ...SANDBOX_CREDENTIALS.iiq,
      seed: options.seed ?? "demo",
      scale: options.scale ?? 0,
      now,
    }),
    createOktaProvider({
      baseUrl,
      apiToken: SANDBOX_CREDENTIALS.okta.apiToken,
      seed: options.seed ?? "demo",
      scale: options.scale ?? 0,
      rateLimit: { limit: options.rateLimit?.limit ?? 600, windowMs: options.rateLimit?.windowMs ?? 60_000 },
      now,
      oauthClients: options.oktaOAuthClients,
      oauthTokenTtlSeconds: options.oktaTokenTtlSeconds,
    }),
  ];
  const owners = new Map<RouteDef, SandboxProvider>();
  for (const provider of providers) for (const def of provider.routes) owners.set(def, provider);
  const router = new Router([...owners.keys()]);
  const requests: RecordedRequest[] = [];
  const faults: (SandboxFault & { left: number })[] = [];

  const serve = async (req: IncomingMessage): Promise<FaultResponse> => {
    const raw = req.url ?? "/";
    const q = raw.indexOf("?");
    const path = q < 0 ? raw : raw.slice(0, q);
    const rawQuery = q < 0 ? "" : raw.slice(q + 1);
    const method = (req.method ?? "GET").toUpperCase();
    const body = await readBody(req).catch(() => "");
    const match = router.match(method, path);
    const provider = match ? owners.get(match.def) : providers.find((p) => p.claims(path));
    const sreq: SandboxRequest = {
      method,
      path,
      rawQuery,
      query: new URLSearchParams(rawQuery),
      headers: req.headers,
      body,
      params: match?.params ?? {},
    };
    const fault = faults.find(
      (f) =>
        f.left > 0 &&
        (f.route === undefined || f.route === match?.def.route) &&
        (f.pathPrefix === undefined || path.startsWith(f.pathPrefix)),
    );
    if (fault) {
      fault.left--;
      if (fault.latencyMs) await new Promise((resolve) => setTimeout(resolve, fault.latencyMs));
      if (fault.malformed) return { status: 200, fault: MALFORMED };
      if (fault.drop && fault.status === undefined) {
        // The request was handled (a write happened) but the answer is lost: what retries must respect.
        if (provider) await provider.dispatch(sreq, match);
        return { status: 0, fault: DROP };
      }
      if (fault.drop) return { status: 0, fault: DROP };
      if (fault.status !== undefined) {
        return (
          provider?.failure?.(sreq, fault.status) ?? {
            status: fault.status,
            body: { error: "injected fault" },
          }
        );
      }
    }
    if (!provider) return { status: 404, body: { error: "not found" } };
    return provider.dispatch(sreq, match);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    let response: FaultResponse;
    try {
      response = await serve(req);
    } catch (err) {
      process.stderr.write(`sandbox: ${err instanceof Error ? err.message : String(err)}\n`);
      response = { status: 500, body: { error: "internal sandbox error" } };
    }
    const raw = req.url ?? "/";
    const q = raw.indexOf("?");
    requests.push({
      method: (req.method ?? "GET").toUpperCase(),
      path: q < 0 ? raw : raw.slice(0, q),
      query: q < 0 ? "" : raw.slice(q + 1),
      headers: { ...req.headers },
      status: response.status,
    });
    if (response.fault === DROP) {
      req.socket.destroy();
      return;
    }
    if (response.fault === MALFORMED) {
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end('{"data": [ this is not json');
      return;
    }
    res.statusCode = response.status;
    for (const [name, value] of Object.entries(response.headers ?? {})) res.setHeader(name, value);
    if (response.body !== undefined && response.status !== 204) {
      if (!res.hasHeader("Content-Type")) res.setHeader("Content-Type", "application/json");
      res.end(JSON.stringify(response.body));
    } else {
      res.end();
    }
  };

  return {
    handle,
    requests,
    routes: router.routes(),
    inject(fault: SandboxFault) {
      faults.push({ ...fault, left: fault.times ?? 1 });
    },
  };
}
