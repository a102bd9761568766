/**
 * Streamable HTTP at `/mcp`, with its security (mcp-notes §1.3, §4.3): loopback by default, Host and
 * Origin validation (403), an optional bearer token (required off loopback), a per-subject rate limit, a
 * body size limit, and sessions that belong to the subject that opened them. A session id is never
 * authentication. Server-to-client requests (elicitation) and progress travel on the tool call's own SSE
 * stream, so JSON-response mode is never used. `--stateless` serves each request with a fresh server.
 */
import { createHash, randomUUID, timingSafeEqual } from "node:crypto";
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { AuthInfo } from "@modelcontextprotocol/sdk/server/auth/types.js";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { isInitializeRequest } from "@modelcontextprotocol/sdk/types.js";

export interface HttpOptions {
  host: string;
  port: number;
  stateless: boolean;
  /** Bearer tokens clients may present (each its own subject); empty only on loopback. */
  authTokens: readonly string[];
  /** OAuth resource-server mode: JWT access tokens verified against the issuer's keys. */
  oauth?: { issuer: string; audience: string; jwksUrl?: string };
  /** Extra Host header values accepted (the bind address and loopback names always are). */
  allowedHosts: readonly string[];
  /** Extra Origin values accepted (loopback origins on this port always are). */
  allowedOrigins: readonly string[];
  maxBodyBytes: number;
  /** Requests per minute per subject. */
  rateLimitPerMinute: number;
  /** Sessions idle this long are closed. */
  sessionIdleMs: number;
}

export interface HttpServerHandle {
  url: string;
  close(): Promise<void>;
}

interface Session {
  transport: StreamableHTTPServerTransport;
  server: McpServer;
  subject: string;
  idle: NodeJS.Timeout;
}

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

/** Token buckets per subject: `perMinute` requests, refilled continuously. */
class SubjectLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  constructor(private readonly perMinute: number) {}
  /** Milliseconds to wait, or 0 when the request may go. */
  take(subject: string, now = Date.now()): number {
    const bucket = this.buckets.get(subject) ?? { tokens: this.perMinute, at: now };
    bucket.tokens = Math.min(this.perMinute, bucket.tokens + ((now - bucket.at) * this.perMinute) / 60_000);
    bucket.at = now;
    this.buckets.set(subject, bucket);
    if (bucket.tokens < 1) return Math.ceil(((1 - bucket.tokens) * 60_000) / this.perMinute);
    bucket.tokens -= 1;
    return 0;
  }
}

async function readBody(req: IncomingMessage, max: number): Promise<string | "too_large"> {
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > max) return "too_large";
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > max) return "too_large";
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * Verifies JWT access tokens (signature against the issuer's JWKS, `iss`, `aud`, `exp`/`nbf`) and returns
 * the subject, or undefined. The JWKS location comes from the issuer's metadata unless configured.
 */
function jwtVerifier(oauth: { issuer: string; audience: string; jwksUrl?: string }) {
  let keys: ReturnType<typeof import("jose").createRemoteJWKSet> | undefined;
  const jwks = async () => {
    const { createRemoteJWKSet } = await import("jose");
    if (keys) return keys;
    let url = oauth.jwksUrl;
    if (!url) {
      for (const doc of ["openid-configuration", "oauth-authorization-server"]) {
        const res = await fetch(`${oauth.issuer}/.well-known/${doc}`).catch(() => undefined);
        if (!res?.ok) continue;
        const meta = (await res.json()) as { jwks_uri?: string };
        if (meta.jwks_uri) {
          url = meta.jwks_uri;
          break;
        }
      }
    }
    if (!url) throw new Error(`no JWKS found for issuer ${oauth.issuer}`);
    keys = createRemoteJWKSet(new URL(url));
    return keys;
  };
  return async (token: string): Promise<string | undefined> => {
    try {
      // jose loads only when OAuth mode is used.
      const { jwtVerify } = await import("jose");
      const { payload } = await jwtVerify(token, await jwks(), {
        issuer: oauth.issuer,
        audience: oauth.audience,
      });
      return typeof payload.sub === "string" && payload.sub ? payload.sub : undefined;
    } catch {
      return undefined;
    }
  };
}

export async function startHttp(
  makeServer: () => McpServer,
  options: HttpOptions,
  log: (line: string) => void,
): Promise<HttpServerHandle> {
  const sessions = new Map<string, Session>();
  const limiter = new SubjectLimiter(options.rateLimitPerMinute);
  // Digests, so every comparison is of equal length and constant time; the subject names the token.
  const tokens = options.authTokens.map((t) => ({
    digest: digest(t),
    subject: `token:${digest(t).toString("hex").slice(0, 8)}`,
  }));
  let port = options.port;
  const publicOrigin = () => {
    if (options.oauth) return new URL(options.oauth.audience).origin;
    return `http://${options.host.includes(":") ? `[${options.host}]` : options.host}:${port}`;
  };

  const hostAllowed = (host: string | undefined) => {
    if (!host) return false;
    const names = new Set(
      ["localhost", "127.0.0.1", "[::1]", options.host, ...options.allowedHosts].map((h) => h.toLowerCase()),
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

  const closeSession = (id: string) => {
    const session = sessions.get(id);
    if (!session) return;
    sessions.delete(id);
    clearTimeout(session.idle);
    void session.transport.close().catch(() => {});
    void session.server.close().catch(() => {});
  };
  const touch = (id: string, session: Session) => {
    clearTimeout(session.idle);
    session.idle = setTimeout(() => closeSession(id), options.sessionIdleMs);
    session.idle.unref();
  };

  const handleMcp = async (req: IncomingMessage, res: ServerResponse) => {
    if (!hostAllowed(req.headers.host))
      return json(res, 403, { error: "forbidden", message: "Host not allowed" });
    const origin = req.headers.origin;
    if (origin !== undefined && !originAllowed(origin)) {
      return json(res, 403, { error: "forbidden", message: "Origin not allowed" });
    }
    const subject = await authenticate(req, res);
    if (!subject) return;
    const wait = limiter.take(subject);
    if (wait > 0) {
      return rpcError(res, 429, -32000, "Too many requests", {
        "retry-after": String(Math.ceil(wait / 1000)),
      });
    }
    let body: unknown;
    if (req.method === "POST") {
      const text = await readBody(req, options.maxBodyBytes);
      if (text === "too_large") {
        return rpcError(res, 413, -32600, `Request body larger than ${options.maxBodyBytes} bytes`, {
          connection: "close",
        });
      }
      try {
        body = JSON.parse(text);
      } catch {
        return rpcError(res, 400, -32700, "Parse error: the body is not JSON");
      }
    }
    const request = Object.assign(req, { auth: authInfo(subject) });

    if (options.stateless) {
      const server = makeServer();
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
      res.on("close", () => {
        void transport.close().catch(() => {});
        void server.close().catch(() => {});
      });
      await server.connect(transport);
      return transport.handleRequest(request, res, body);
    }

    const id = req.headers["mcp-session-id"];
    if (typeof id === "string") {
      const session = sessions.get(id);
      // Another subject's session looks exactly like an unknown one.
      if (!session || session.subject !== subject) return rpcError(res, 404, -32001, "Session not found");
      touch(id, session);
      return session.transport.handleRequest(request, res, body);
    }
    if (req.method !== "POST" || !isInitializeRequest(body)) {
      return rpcError(res, 400, -32000, "Bad Request: no valid session id; start with initialize");
    }
    const server = makeServer();
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: randomUUID,
      onsessioninitialized: (sid) => {
        const session: Session = { transport, server, subject, idle: setTimeout(() => {}, 0) };
        sessions.set(sid, session);
        touch(sid, session);
      },
    });
    transport.onclose = () => {
      if (transport.sessionId) closeSession(transport.sessionId);
    };
    await server.connect(transport);
    return transport.handleRequest(request, res, body);
  };

  const http = createHttpServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    const done = (err: unknown) => {
      log(`http: ${req.method} ${path}: ${err instanceof Error ? err.message : String(err)}`);
      if (!res.headersSent) rpcError(res, 500, -32603, "Internal error");
      else res.end();
    };
    if (path === "/healthz" && req.method === "GET") return json(res, 200, { status: "ok" });
    if (options.oauth && req.method === "GET" && path?.startsWith("/.well-known/oauth-protected-resource")) {
      return json(res, 200, {
        resource: options.oauth.audience,
        authorization_servers: [options.oauth.issuer],
        bearer_methods_supported: ["header"],
        resource_name: "entitlement-mcp",
      });
    }
    if (path === "/mcp") return void handleMcp(req, res).catch(done);
    json(res, 404, { error: "not_found", message: "Try /mcp or /healthz" });
  });
  await new Promise<void>((resolve, reject) => {
    http.once("error", reject);
    http.listen(options.port, options.host, () => resolve());
  });
  port = (http.address() as AddressInfo).port;
  const shownHost = options.host.includes(":") ? `[${options.host}]` : options.host;
  return {
    url: `http://${shownHost}:${port}/mcp`,
    async close() {
      for (const id of [...sessions.keys()]) closeSession(id);
      http.closeAllConnections();
      await new Promise((resolve) => http.close(resolve));
    },
  };
}
