/**
 * Streamable HTTP at `/mcp`, with its security (mcp-notes §1.3, §4.3): loopback by default, Host and
 * Origin validation (403), an optional bearer token (required off loopback), a per-subject rate limit
 * that counts JSON-RPC messages, bounded batches and bodies, and sessions that belong to the subject that
 * opened them, capped per subject and in all (http-sessions.ts). A session id is never authentication.
 * Server-to-client requests (elicitation) and progress travel on the tool call's own SSE stream, so
 * JSON-response mode is never used. `--stateless` serves each request with a fresh server. `close()`
 * drains: new work is refused with 503 while the requests in progress finish, within a bound.
 */

import { createHash, randomUUID, timingSafeEqual } from "node:crypto";
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { AuthInfo } from "@modelcontextprotocol/sdk/server/auth/types.js";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { isInitializeRequest, type RequestId } from "@modelcontextprotocol/sdk/types.js";
import { type SubjectLimit, SubjectLimiter } from "../core/subject-limit.js";
import type { PendingChanges } from "../guard/pending.js";
import { APPROVE_PREFIX, approvalRoutes } from "./approval-routes.js";
import { HttpSessions } from "./http-sessions.js";
import { jwtVerifier, type OAuthSettings } from "./jwt-verifier.js";

export interface HttpOptions {
  host: string;
  port: number;
  stateless: boolean;
  /** Bearer tokens clients may present (each its own subject); empty only on loopback. */
  authTokens: readonly string[];
  /** OAuth resource-server mode: JWT access tokens verified against the issuer's keys. */
  oauth?: OAuthSettings;
  /** Extra Host header values accepted (the bind address and loopback names always are). */
  allowedHosts: readonly string[];
  /** Extra Origin values accepted (loopback origins on this port always are). */
  allowedOrigins: readonly string[];
  maxBodyBytes: number;
  /** JSON-RPC messages per minute per subject: a batch of N costs N. */
  rateLimitPerMinute: number;
  maxSessionsPerSubject: number;
  maxSessions: number;
  /** Sessions idle this long are closed. */
  sessionIdleMs: number;
  /** How long `close()` waits for requests in progress before closing anyway (default 30 s). */
  drainMs?: number;
  /** The per-subject limit replicas share (src/replicas/); this process's own token buckets by default. */
  subjectLimit?: SubjectLimit;
  /** The state of what the server depends on beyond itself (a shared Redis), for `/healthz`. */
  health?: () => { ok: boolean; detail?: string };
  /**
   * Serves approval pages under /approve/ (approval-routes.ts): no bearer token (a browser has none; the
   * page's URL is the credential), the same Host rule as /mcp, and decisions only from this origin.
   */
  approvals?: { pending: PendingChanges; secret: Buffer };
  /** The origin browsers reach this server at (ENTITLEMENT_MCP_PUBLIC_URL); accepted as Host and Origin. */
  publicUrl?: string;
}

export interface HttpServerHandle {
  url: string;
  /** Refuses new work (503), waits for the requests in progress (at most `drainMs`), then closes. */
  close(): Promise<void>;
}

/** JSON-RPC messages in one POST at most (MCP 2025-06-18 removed batching; older clients may batch). */
export const MAX_BATCH_MESSAGES = 50;
const DEFAULT_DRAIN_MS = 30_000;

function json(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

/** A JSON-RPC error body, which MCP clients expect from /mcp. */
function rpcError(
  res: ServerResponse,
  status: number,
  code: number,
  message: string,
  headers: Record<string, string> = {},
) {
  json(res, status, { jsonrpc: "2.0", error: { code, message }, id: null }, headers);
}

const digest = (text: string) => createHash("sha256").update(text).digest();

/** A JSON-RPC request (as opposed to a notification or a response): it starts work. */
const isRequest = (message: unknown): message is { method: string; id: RequestId } =>
  typeof message === "object" && message !== null && "method" in message && "id" in message;

/**
 * Calls `start` and `end` around each JSON-RPC request `transport` hands to its server: from its arrival
 * until the answer is sent (even when the HTTP request that carried it is gone), the client cancels it,
 * or the transport closes. Call after `server.connect(transport)`, whose handlers it wraps.
 */
function countRequests(transport: StreamableHTTPServerTransport, start: () => void, end: () => void): void {
  const pending = new Set<RequestId>();
  const done = (id: RequestId | undefined) => {
    if (id !== undefined && pending.delete(id)) end();
  };
  const receive = transport.onmessage;
  // The SDK has validated what arrives and builds what it sends: shape checks suffice.
  transport.onmessage = (message, extra) => {
    if (isRequest(message) && !pending.has(message.id)) {
      pending.add(message.id);
      start();
    } else if ("method" in message && message.method === "notifications/cancelled") {
      // The SDK aborts a cancelled request's handler and sends no answer.
      done(message.params?.requestId as RequestId | undefined);
    }
    receive?.(message, extra);
  };
  const send = transport.send.bind(transport);
  transport.send = async (message, options) => {
    try {
      await send(message, options);
    } finally {
      if (("result" in message || "error" in message) && "id" in message) done(message.id);
    }
  };
  const closed = transport.onclose;
  transport.onclose = () => {
    for (const id of [...pending]) done(id);
    closed?.();
  };
}

type Body =
  | { kind: "text"; text: string }
  /** Over the limit, read to its end and thrown away: the client can read the 413. */
  | { kind: "too_large" }
  /** Declared over the discard bound: answered without reading. */
  | { kind: "too_large_unread" }
  /** Kept coming past the discard bound: the connection is gone. */
  | { kind: "flood" };

/**
 * Reads up to `max` bytes. A larger body is still read to its end (and dropped), up to `discardMax`
 * bytes, because answering 413 and closing while the client is still writing makes it fail with EPIPE
 * instead of reading the answer; a client that sends more than that loses its connection.
 */
async function readBody(req: IncomingMessage, max: number, discardMax: number): Promise<Body> {
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > discardMax) return { kind: "too_large_unread" };
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    // Leaving the loop destroys the request and its socket.
    if (size > discardMax) return { kind: "flood" };
    if (size <= max) chunks.push(chunk as Buffer);
  }
  return size > max ? { kind: "too_large" } : { kind: "text", text: Buffer.concat(chunks).toString("utf8") };
}

export async function startHttp(
  makeServer: () => McpServer,
  options: HttpOptions,
  log: (line: string) => void,
): Promise<HttpServerHandle> {
  const sessions = new HttpSessions(
    {
      maxSessions: options.maxSessions,
      maxSessionsPerSubject: options.maxSessionsPerSubject,
      idleMs: options.sessionIdleMs,
    },
    log,
  );
  const limiter: SubjectLimit = options.subjectLimit ?? new SubjectLimiter(options.rateLimitPerMinute);
  // Digests, so every comparison is of equal length and constant time; the subject names the token.
  const tokens = options.authTokens.map((t) => ({
    digest: digest(t),
    subject: `token:${digest(t).toString("hex").slice(0, 8)}`,
  }));
  let port = options.port;
  const shownHost = options.host.includes(":") ? `[${options.host}]` : options.host;
  const publicOrigin = () =>
    options.oauth ? new URL(options.oauth.audience).origin : `http://${shownHost}:${port}`;

  const publicHost = options.publicUrl ? [new URL(options.publicUrl).host] : [];
  const hostAllowed = (host: string | undefined) => {
    if (!host) return false;
    const names = new Set(
      ["localhost", "127.0.0.1", "[::1]", shownHost, ...publicHost, ...options.allowedHosts].map((h) =>
        h.toLowerCase(),
      ),
    );
    const value = host.toLowerCase();
    const name = value.replace(/:\d+$/, "");
    const hostPort = value.slice(name.length + 1);
    return names.has(value) || (names.has(name) && (hostPort === "" || hostPort === String(port)));
  };
  const originAllowed = (origin: string) => {
    const allowed = [
      `http://localhost:${port}`,
      `http://127.0.0.1:${port}`,
      `http://[::1]:${port}`,
      ...(options.publicUrl ? [options.publicUrl] : []),
      ...options.allowedOrigins,
    ].map((o) => o.toLowerCase());
    return allowed.includes(origin.toLowerCase());
  };

  const verifyJwt = options.oauth ? jwtVerifier(options.oauth) : undefined;
  const metadataUrl = () => `${publicOrigin()}/.well-known/oauth-protected-resource/mcp`;

  /** The caller's subject, or undefined after answering 401. */
  const authenticate = async (req: IncomingMessage, res: ServerResponse): Promise<string | undefined> => {
    if (tokens.length === 0 && !verifyJwt) return "local";
    const header = req.headers.authorization ?? "";
    const given = /^Bearer\s+(.+)$/i.exec(header)?.[1];
    if (given) {
      const presented = digest(given);
      const match = tokens.find((t) => timingSafeEqual(presented, t.digest));
      if (match) return match.subject;
      const sub = verifyJwt ? await verifyJwt(given) : undefined;
      if (sub) return `oauth:${sub}`;
    }
    const challenge = [
      'Bearer realm="entitlement-mcp"',
      ...(verifyJwt ? [`resource_metadata="${metadataUrl()}"`] : []),
      ...(given ? ['error="invalid_token"'] : []),
    ].join(", ");
    rpcError(res, 401, -32001, "Unauthorized: present a valid bearer token.", {
      "www-authenticate": challenge,
    });
    return undefined;
  };

  const authInfo = (subject: string): AuthInfo => ({
    // The client's token never travels further than this check: the placeholder is what handlers see.
    token: "[verified]",
    clientId: subject,
    scopes: [],
    extra: { sub: subject },
  });

  // The drain: while `draining`, work that would start is refused; it waits for the POSTs being
  // answered (`inFlight`) and the JSON-RPC requests being handled (`handling`).
  let draining = false;
  const inFlight = new Set<ServerResponse>();
  let handling = 0;
  let onIdle: (() => void) | undefined;
  const settled = () => inFlight.size === 0 && handling === 0;
  const trackInFlight = (res: ServerResponse) => {
    inFlight.add(res);
    res.once("close", () => {
      inFlight.delete(res);
      if (settled()) onIdle?.();
    });
  };
  const handlingStarted = () => {
    handling += 1;
  };
  const handlingEnded = () => {
    handling -= 1;
    if (settled()) onIdle?.();
  };
  const refuseDraining = (res: ServerResponse) =>
    rpcError(
      res,
      503,
      -32000,
      "Service unavailable: the server is shutting down and takes no new requests. Retry in a moment (another replica or the restarted server will answer).",
      { "retry-after": "5" },
    );

  const tooManyMessages = (res: ServerResponse, cost: number, wait: number) => {
    const limit = `${options.rateLimitPerMinute} JSON-RPC messages a minute per caller (ENTITLEMENT_MCP_RATE_LIMIT)`;
    if (cost > options.rateLimitPerMinute) {
      return rpcError(
        res,
        429,
        -32000,
        `Too many requests: this batch of ${cost} messages is more than the limit of ${limit} allows. Send smaller batches.`,
      );
    }
    const seconds = Math.ceil(wait / 1000);
    return rpcError(res, 429, -32000, `Too many requests: the limit is ${limit}. Retry after ${seconds} s.`, {
      "retry-after": String(seconds),
    });
  };

  const handleMcp = async (req: IncomingMessage, res: ServerResponse) => {
    if (!hostAllowed(req.headers.host))
      return json(res, 403, { error: "forbidden", message: "Host not allowed" });
    const origin = req.headers.origin;
    if (origin !== undefined && !originAllowed(origin)) {
      return json(res, 403, { error: "forbidden", message: "Origin not allowed" });
    }
    const sessionId = req.headers["mcp-session-id"];
    // While draining, only answers and notifications for sessions in progress (an elicitation's answer,
    // a cancellation) and DELETEs get through; they are checked again once the body is read.
    if (draining && (req.method === "GET" || typeof sessionId !== "string")) return refuseDraining(res);
    const subject = await authenticate(req, res);
    if (!subject) return;
    // Refuse before reading a body when not even one message may go.
    const early = await limiter.wait(subject, 1);
    if (early > 0) return tooManyMessages(res, 1, early);
    let body: unknown;
    let messages: unknown[] = [];
    if (req.method === "POST") {
      const read = await readBody(req, options.maxBodyBytes, 4 * options.maxBodyBytes);
      if (read.kind === "flood") return;
      if (read.kind !== "text") {
        return rpcError(
          res,
          413,
          -32600,
          `Request body larger than ${options.maxBodyBytes} bytes: send less per request.`,
          { connection: "close" },
        );
      }
      try {
        body = JSON.parse(read.text);
      } catch {
        return rpcError(res, 400, -32700, "Parse error: the body is not JSON");
      }
      if (Array.isArray(body) && (body.length === 0 || body.length > MAX_BATCH_MESSAGES)) {
        return rpcError(
          res,
          400,
          -32600,
          `Invalid Request: a batch holds 1 to ${MAX_BATCH_MESSAGES} messages, this one ${body.length}. Send the messages in smaller batches or one per request.`,
        );
      }
      messages = Array.isArray(body) ? body : [body];
    }
    const cost = Math.max(1, messages.length);
    const wait = await limiter.take(subject, cost);
    if (wait > 0) return tooManyMessages(res, cost, wait);
    if (draining && messages.some(isRequest)) return refuseDraining(res);
    const request = Object.assign(req, { auth: authInfo(subject) });
    if (req.method !== "GET") trackInFlight(res);

    if (options.stateless) {
      const server = makeServer();
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
      res.on("close", () => {
        void transport.close().catch(() => {});
        void server.close().catch(() => {});
      });
      await server.connect(transport);
      countRequests(transport, handlingStarted, handlingEnded);
      return transport.handleRequest(request, res, body);
    }

    if (typeof sessionId === "string") {
      const session = sessions.find(sessionId, subject);
      if (!session) return rpcError(res, 404, -32001, "Session not found");
      if (req.method === "POST") sessions.track(sessionId, res);
      return session.transport.handleRequest(request, res, body);
    }
    if (req.method !== "POST" || !isInitializeRequest(body)) {
      return rpcError(res, 400, -32000, "Bad Request: no valid session id; start with initialize");
    }
    const refusal = sessions.admit(subject);
    if (refusal) {
      return rpcError(res, refusal.status, -32000, refusal.message, { "retry-after": "1" });
    }
    const id = randomUUID();
    const server = makeServer();
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: () => id });
    transport.onclose = () => sessions.close(id);
    sessions.add(id, { transport, server, subject });
    sessions.track(id, res);
    // An initialize the transport refused opened nothing.
    res.once("close", () => {
      if (transport.sessionId === undefined) sessions.close(id);
    });
    await server.connect(transport);
    countRequests(
      transport,
      () => {
        handlingStarted();
        sessions.handled(id, 1);
      },
      () => {
        sessions.handled(id, -1);
        handlingEnded();
      },
    );
    return transport.handleRequest(request, res, body);
  };

  const approvals = options.approvals
    ? approvalRoutes({ ...options.approvals, originAllowed: (origin) => originAllowed(origin) })
    : undefined;

  const http = createHttpServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    const done = (err: unknown) => {
      log(`http: ${req.method} ${path}: ${err instanceof Error ? err.message : String(err)}`);
      if (!res.headersSent) rpcError(res, 500, -32603, "Internal error");
      else res.end();
    };
    if (path === "/healthz" && req.method === "GET") {
      if (draining) return json(res, 503, { status: "draining" });
      // A readiness answer a load balancer can act on: degraded while shared state is unreachable.
      const health = options.health?.() ?? { ok: true };
      return health.ok
        ? json(res, 200, { status: "ok" })
        : json(res, 503, { status: "degraded", reason: health.detail ?? "a dependency is unavailable" });
    }
    if (options.oauth && req.method === "GET" && path?.startsWith("/.well-known/oauth-protected-resource")) {
      return json(res, 200, {
        resource: options.oauth.audience,
        authorization_servers: [options.oauth.issuer],
        bearer_methods_supported: ["header"],
        resource_name: "entitlement-mcp",
      });
    }
    if (path === "/mcp") return void handleMcp(req, res).catch(done);
    if (approvals && path?.startsWith(APPROVE_PREFIX)) {
      if (!hostAllowed(req.headers.host))
        return json(res, 403, { error: "forbidden", message: "Host not allowed" });
      return void approvals(req, res).catch(done);
    }
    json(res, 404, { error: "not_found", message: "Try /mcp or /healthz" });
  });
  await new Promise<void>((resolve, reject) => {
    http.once("error", reject);
    http.listen(options.port, options.host, () => resolve());
  });
  port = (http.address() as AddressInfo).port;

  let closed: Promise<void> | undefined;
  const drainAndClose = async () => {
    draining = true;
    if (!settled()) {
      let timer: NodeJS.Timeout | undefined;
      await new Promise<void>((resolve) => {
        onIdle = resolve;
        timer = setTimeout(() => {
          log(`http: ${handling} request(s) still in progress after the drain bound; closing anyway`);
          resolve();
        }, options.drainMs ?? DEFAULT_DRAIN_MS);
      });
      clearTimeout(timer);
    }
    sessions.closeAll();
    http.closeAllConnections();
    await new Promise((resolve) => http.close(resolve));
  };
  return {
    url: `http://${shownHost}:${port}/mcp`,
    close() {
      closed ??= drainAndClose();
      return closed;
    },
  };
}
