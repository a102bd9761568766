/**
 * The emulator without a socket: one request handler in front of every provider's route table. A request
 * is matched against all routes first (the most specific route wins); a path no route matches goes to
 * the first provider that claims it, which answers in its own error style. Every request is recorded,
 * and tests can inject faults (statuses, latency, dropped connections, bodies that are not JSON).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import {
  type RouteDef,
  readBody,
  type SandboxProvider,
  type SandboxRequest,
  type SandboxResponse,
} from "./http.js";
import { Router } from "./router.js";

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

/** The emulator without a socket: what a request gets, the record of requests, and fault injection. */
export interface SandboxEmulator {
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  requests: RecordedRequest[];
  routes: string[];
  inject(fault: SandboxFault): void;
}

/** A response the sandbox sends as raw bytes or not at all (fault injection). */
const DROP = Symbol("drop");
const MALFORMED = Symbol("malformed");
type FaultResponse = SandboxResponse & { fault?: typeof DROP | typeof MALFORMED };

/** The request line split into method, path and raw query (no leading "?"). */
function requestLine(req: IncomingMessage): { method: string; path: string; rawQuery: string } {
  const raw = req.url ?? "/";
  const q = raw.indexOf("?");
  return {
    method: (req.method ?? "GET").toUpperCase(),
    path: q < 0 ? raw : raw.slice(0, q),
    rawQuery: q < 0 ? "" : raw.slice(q + 1),
  };
}

/** The emulator of `providers`; where two claim a path, the first in the list answers. */
export function createEmulator(providers: readonly SandboxProvider[]): SandboxEmulator {
  const owners = new Map<RouteDef, SandboxProvider>();
  for (const provider of providers) for (const def of provider.routes) owners.set(def, provider);
  const router = new Router([...owners.keys()]);
  const requests: RecordedRequest[] = [];
  const faults: (SandboxFault & { left: number })[] = [];

  const serve = async (req: IncomingMessage): Promise<FaultResponse> => {
    const { method, path, rawQuery } = requestLine(req);
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
    const { method, path, rawQuery } = requestLine(req);
    requests.push({ method, path, query: rawQuery, headers: { ...req.headers }, status: response.status });
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
