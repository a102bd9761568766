/**
 * Streamable HTTP at the wire: raw requests with the headers a client sends, sessions opened by a raw
 * initialize, a gate that holds upstream requests so a call stays in progress without timing, and the
 * HTTP server started in this process (for options the bin does not take).
 */
import { createServer as createHttpServer, request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { type HttpOptions, type HttpServerHandle, startHttp } from "../../src/cli/http.js";
import { FileAuditLog } from "../../src/guard/audit.js";
import { ConfirmationTokens } from "../../src/guard/confirm-token.js";
import { createServer } from "../../src/mcp/server.js";
import { sandboxEndpoints } from "../../src/providers/index.js";
import { UpstreamClient } from "../../src/upstream/client.js";
import { allOperations } from "../../tools/index.js";
import { HTTP_TOKEN, type SpawnedSession } from "./harness.js";
import type { TestServer } from "./test-server.js";

export const OTHER_TOKEN = "second-person-token-abcdef012345";
export const THIRD_TOKEN = "third-person-token-abcdef0123456";
export const ALL_TOKENS = `${HTTP_TOKEN},${OTHER_TOKEN},${THIRD_TOKEN}`;
/** An entitlement the tests read while a gate holds its upstream request. */
export const ENTITLEMENT = "esp2lr1lavoGDYw5U8g6";
export const ENTITLEMENT_PATH = `/governance/api/v1/entitlements/${ENTITLEMENT}`;
export const INIT = {
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "raw", version: "1" } },
};

/** startHttp's options as the tests run it: loopback, any port, the three tokens, the bin's default limits. */
export const HTTP_OPTIONS: HttpOptions = {
  host: "127.0.0.1",
  port: 0,
  stateless: false,
  authTokens: [HTTP_TOKEN, OTHER_TOKEN, THIRD_TOKEN],
  allowedHosts: [],
  allowedOrigins: [],
  maxBodyBytes: 1024 * 1024,
  rateLimitPerMinute: 600,
  maxSessions: 1000,
  maxSessionsPerSubject: 20,
  sessionIdleMs: 60_000,
};

/** The built bin over HTTP on the test server's sandbox, accepting HTTP_TOKEN and OTHER_TOKEN unless told. */
export function httpServer(
  session: TestServer,
  extra: { args?: string[]; env?: Record<string, string>; capabilities?: object } = {},
): Promise<SpawnedSession & { url: string }> {
  return session.spawn("http", {
    args: extra.args,
    env: { ENTITLEMENT_MCP_AUTH_TOKEN: `${HTTP_TOKEN},${OTHER_TOKEN}`, ...extra.env },
    capabilities: extra.capabilities as never,
  });
}

export function raw(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: options.method ?? "POST", headers: options.headers }, (res) => {
      let body = "";
      res.on("data", (c: Buffer) => {
        body += c.toString();
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end(options.body);
  });
}

export const jsonHeaders = (token = HTTP_TOKEN) => ({
  "content-type": "application/json",
  accept: "application/json, text/event-stream",
  authorization: `Bearer ${token}`,
});

/** Opens a session with a raw initialize; `id` is its Mcp-Session-Id when it opened. */
export async function open(url: string, token: string) {
  const res = await raw(url, { headers: jsonHeaders(token), body: JSON.stringify(INIT) });
  return { ...res, id: String(res.headers["mcp-session-id"]) };
}

/** POSTs `message` (one or a batch) in session `id`. */
export function post(url: string, token: string, id: string, message: unknown) {
  return raw(url, {
    headers: { ...jsonHeaders(token), "mcp-session-id": id, "mcp-protocol-version": "2025-11-25" },
    body: JSON.stringify(message),
  });
}

export const ping = (id: number) => ({ jsonrpc: "2.0", id, method: "ping" });
export const getEntitlement = {
  jsonrpc: "2.0",
  id: 7,
  method: "tools/call",
  params: { name: "okta_get_entitlement", arguments: { entitlementId: ENTITLEMENT } },
};

export async function until(what: string, check: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !check(); i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
  if (!check()) throw new Error(`timed out waiting until ${what}`);
}

/**
 * A loopback proxy in front of the sandbox that holds every request for `path` until `release()`: a
 * tool call that reads it stays in progress, with no timing involved.
 */
export async function gate(session: TestServer, path: string) {
  let release = () => {};
  const opened = new Promise<void>((resolve) => {
    release = resolve;
  });
  let arrived = 0;
  const sandboxUrl = session.sandbox.url;
  const proxy = createHttpServer((req, res) => {
    const held = req.url?.startsWith(path) ? opened : Promise.resolve();
    if (req.url?.startsWith(path)) arrived += 1;
    void held.then(() => {
      const forward = httpRequest(
        `${sandboxUrl}${req.url}`,
        { method: req.method, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      forward.on("error", () => res.destroy());
      req.pipe(forward);
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  session.onClose(async () => {
    release();
    proxy.closeAllConnections();
    await new Promise((resolve) => proxy.close(resolve));
  });
  return {
    url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
    arrived: () => arrived,
    release: () => release(),
  };
}

/** startHttp in this process, serving the real server on `upstreamUrl` (the sandbox or a gate). */
export async function inProcessHttp(
  session: TestServer,
  upstreamUrl: string,
  options: Partial<HttpOptions> = {},
): Promise<HttpServerHandle> {
  const upstream = new UpstreamClient({ providers: sandboxEndpoints(upstreamUrl) });
  const deps = {
    upstream,
    audit: new FileAuditLog(session.auditLog),
    tokens: new ConfirmationTokens(Buffer.alloc(32, 7), 5 * 60_000),
    onAuditError: (err: unknown) => {
      throw err;
    },
    operations: allOperations,
  };
  const makeServer = () =>
    createServer(
      {
        toolsets: ["okta", "atomicwork", "sailpoint-iiq"],
        readOnly: false,
        confirmCreates: false,
        elicitationTimeoutMs: 2_000,
        processCaller: "test:http",
      },
      deps,
    );
  const handle = await startHttp(makeServer, { ...HTTP_OPTIONS, ...options }, () => {});
  session.onClose(async () => {
    // The test may have closed it already (that is what the shutdown tests do).
    await handle.close().catch(() => {});
    await upstream.close();
  });
  return handle;
}
