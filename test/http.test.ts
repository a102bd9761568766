/**
 * Streamable HTTP specifics, against the spawned bin: elicitation on the tool call's own stream, the
 * security matrix (each refusal with its status and nothing executed), session lifecycle, and stateless
 * replicas that share the confirmation secret.
 */
import { spawn } from "node:child_process";
import { createServer as createHttpServer, request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { ElicitRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type HttpOptions, type HttpServerHandle, startHttp } from "../src/cli/http.js";
import { FileAuditLog } from "../src/guard/audit.js";
import { ConfirmationTokens } from "../src/guard/confirm-token.js";
import { createServer } from "../src/mcp/server.js";
import { sandboxEndpoints } from "../src/providers/index.js";
import type { Sandbox } from "../src/sandbox/index.js";
import { UpstreamClient } from "../src/upstream/client.js";
import { allOperations } from "../tools/index.js";
import {
  BIN,
  call,
  HTTP_TOKEN,
  sandboxGet,
  spawnHttpClient,
  structured,
  tempDir,
  text,
  withSandbox,
} from "./helpers/harness.js";

const OTHER_TOKEN = "second-person-token-abcdef012345";
const THIRD_TOKEN = "third-person-token-abcdef0123456";
const ALL_TOKENS = `${HTTP_TOKEN},${OTHER_TOKEN},${THIRD_TOKEN}`;
/** An entitlement the tests read while a gate holds its upstream request. */
const ENTITLEMENT = "esp2lr1lavoGDYw5U8g6";
const ENTITLEMENT_PATH = `/governance/api/v1/entitlements/${ENTITLEMENT}`;
const BUNDLE = "/governance/api/v1/entitlement-bundles/enbfxqCAJWWGELFTYCCC";
const INIT = {
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "raw", version: "1" } },
};

let sandbox: Sandbox;
let dir: { path: string; cleanup: () => Promise<void> };
const closers: (() => Promise<void>)[] = [];
const auditLog = () => join(dir.path, "audit.jsonl");

beforeAll(async () => {
  sandbox = await withSandbox();
  dir = await tempDir();
});

afterAll(async () => {
  for (const close of closers) await close().catch(() => {});
  await sandbox.close();
  await dir.cleanup();
});

const deletes = () => sandbox.requests.filter((r) => r.method === "DELETE").length;

async function server(extra: { args?: string[]; env?: Record<string, string>; capabilities?: object } = {}) {
  const session = await spawnHttpClient(sandbox, {
    auditLog: auditLog(),
    args: extra.args,
    env: { ENTITLEMENT_MCP_AUTH_TOKEN: `${HTTP_TOKEN},${OTHER_TOKEN}`, ...extra.env },
    capabilities: extra.capabilities as never,
  });
  closers.push(session.close);
  return session;
}

function raw(
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

const jsonHeaders = (token = HTTP_TOKEN) => ({
  "content-type": "application/json",
  accept: "application/json, text/event-stream",
  authorization: `Bearer ${token}`,
});

/** Opens a session with a raw initialize; `id` is its Mcp-Session-Id when it opened. */
async function open(url: string, token: string) {
  const res = await raw(url, { headers: jsonHeaders(token), body: JSON.stringify(INIT) });
  return { ...res, id: String(res.headers["mcp-session-id"]) };
}

/** POSTs `message` (one or a batch) in session `id`. */
function post(url: string, token: string, id: string, message: unknown) {
  return raw(url, {
    headers: { ...jsonHeaders(token), "mcp-session-id": id, "mcp-protocol-version": "2025-11-25" },
    body: JSON.stringify(message),
  });
}

const ping = (id: number) => ({ jsonrpc: "2.0", id, method: "ping" });
const getEntitlement = {
  jsonrpc: "2.0",
  id: 7,
  method: "tools/call",
  params: { name: "okta_get_entitlement", arguments: { entitlementId: ENTITLEMENT } },
};

async function until(what: string, check: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !check(); i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
  if (!check()) throw new Error(`timed out waiting until ${what}`);
}

/**
 * A loopback proxy in front of the sandbox that holds every request for `path` until `release()`: a
 * tool call that reads it stays in progress, with no timing involved.
 */
async function gate(path: string) {
  let release = () => {};
  const opened = new Promise<void>((resolve) => {
    release = resolve;
  });
  let arrived = 0;
  const proxy = createHttpServer((req, res) => {
    const held = req.url?.startsWith(path) ? opened : Promise.resolve();
    if (req.url?.startsWith(path)) arrived += 1;
    void held.then(() => {
      const forward = httpRequest(
        `${sandbox.url}${req.url}`,
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
  closers.push(async () => {
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
async function inProcessHttp(
  upstreamUrl: string,
  options: Partial<HttpOptions> = {},
): Promise<HttpServerHandle> {
  const upstream = new UpstreamClient({ providers: sandboxEndpoints(upstreamUrl) });
  const deps = {
    upstream,
    audit: new FileAuditLog(auditLog()),
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
  const handle = await startHttp(
    makeServer,
    {
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
      ...options,
    },
    () => {},
  );
  closers.push(async () => {
    await handle.close();
    await upstream.close();
  });
  return handle;
}

describe("elicitation over HTTP", () => {
  it("asks on the call's own stream: a confirmed delete happens, a declined one does not", async () => {
    const answers: string[] = [];
    const { client } = await server({ capabilities: { capabilities: { elicitation: { form: {} } } } });
    let accept = false;
    client.setRequestHandler(ElicitRequestSchema, async (request) => {
      answers.push(String(request.params.message));
      const params = request.params as {
        requestedSchema?: { properties: { name?: { description?: string } } };
      };
      const schema = params.requestedSchema ?? { properties: {} };
      const name = schema.properties.name?.description?.match(/Type "(.*)" exactly/)?.[1] ?? "";
      return accept ? { action: "accept", content: { confirm: true, name } } : { action: "decline" };
    });
    const declined = await call(client, "okta_delete_bundle", {
      entitlementBundleId: "0bbfxqCAJWWGELFTYAAA",
    });
    expect(text(declined)).toMatch(/^Cancelled: the user declined/);
    expect(
      (
        (await sandboxGet(sandbox, "/governance/api/v1/entitlement-bundles/0bbfxqCAJWWGELFTYAAA")).body as {
          status: string;
        }
      ).status,
    ).toBe("ACTIVE");
    accept = true;
    const done = await call(client, "okta_delete_bundle", { entitlementBundleId: "0bbfxqCAJWWGELFTYAAA" });
    expect(done.isError, text(done)).toBeFalsy();
    expect(
      (
        (await sandboxGet(sandbox, "/governance/api/v1/entitlement-bundles/0bbfxqCAJWWGELFTYAAA")).body as {
          status: string;
        }
      ).status,
    ).toBe("DELETED");
    expect(answers).toHaveLength(2);
    expect(answers[0]).toMatch(/Github admin bundle/);
  });
});

describe("security", () => {
  it("answers /healthz without auth", async () => {
    const { url } = await server();
    const res = await raw(url.replace("/mcp", "/healthz"), { method: "GET" });
    expect(res).toMatchObject({ status: 200, body: '{"status":"ok"}' });
  });

  it.each([
    ["no token", {}, 401],
    ["a wrong token", { authorization: "Bearer not-the-token-at-all-0000" }, 401],
    ["a bad Origin", { origin: "http://evil.example" }, 403],
    ["a bad Host", { host: "evil.example" }, 403],
  ])("refuses %s, executing nothing", async (_label, headers, status) => {
    const { url } = await server();
    const before = sandbox.requests.length;
    const base = { "content-type": "application/json", accept: "application/json, text/event-stream" };
    const auth =
      "authorization" in headers || status === 401 ? {} : { authorization: `Bearer ${HTTP_TOKEN}` };
    const all = { ...base, ...auth, ...headers } as Record<string, string>;
    const res = await raw(url, { headers: all, body: JSON.stringify(INIT) });
    expect(res.status).toBe(status);
    if (status === 401) {
      expect(String(res.headers["www-authenticate"])).toMatch(/^Bearer realm="entitlement-mcp"/);
      expect(res.body).not.toContain(HTTP_TOKEN);
    }
    expect(sandbox.requests.length).toBe(before);
  });

  it("refuses an oversize body with 413", async () => {
    const { url } = await server();
    const res = await raw(url, {
      headers: jsonHeaders(),
      body: JSON.stringify({ ...INIT, pad: "x".repeat(1_100_000) }),
    });
    expect(res.status).toBe(413);
  });

  it("answers 413 only once the oversize body is in, so a client still writing is not cut off", async () => {
    const { url } = await server();
    const body = Buffer.from(JSON.stringify({ ...INIT, pad: "x".repeat(1_100_000) }));
    const events = await new Promise<string[]>((resolve) => {
      const seen: string[] = [];
      const req = httpRequest(
        url,
        { method: "POST", headers: { ...jsonHeaders(), "content-length": String(body.length) } },
        (res) => {
          seen.push(`answer ${res.statusCode}`);
          res.resume();
          res.on("end", () => resolve(seen));
        },
      );
      req.on("finish", () => seen.push("body sent"));
      req.on("error", (err) => resolve([...seen, `error ${(err as NodeJS.ErrnoException).code}`]));
      // Half now, the rest after a pause, as over a slow link. A server that answers and closes before
      // the body is in races the client's writes, which then fail with EPIPE (the old flaky test).
      req.write(body.subarray(0, body.length / 2));
      setTimeout(() => req.end(body.subarray(body.length / 2)), 200);
    });
    expect(events).toEqual(["body sent", "answer 413"]);
  });

  it("keeps a session to the subject that opened it, and closes it on DELETE", async () => {
    const { url } = await server();
    const opened = await raw(url, { headers: jsonHeaders(), body: JSON.stringify(INIT) });
    const sessionId = String(opened.headers["mcp-session-id"]);
    expect(sessionId).toMatch(/^[0-9a-f-]{36}$/);
    const list = JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/list" });
    const stolen = await raw(url, {
      headers: {
        ...jsonHeaders(OTHER_TOKEN),
        "mcp-session-id": sessionId,
        "mcp-protocol-version": "2025-11-25",
      },
      body: list,
    });
    expect(stolen.status).toBe(404);
    const own = await raw(url, {
      headers: { ...jsonHeaders(), "mcp-session-id": sessionId, "mcp-protocol-version": "2025-11-25" },
      body: list,
    });
    expect(own.status).toBe(200);
    const closed = await raw(url, {
      method: "DELETE",
      headers: { ...jsonHeaders(), "mcp-session-id": sessionId, "mcp-protocol-version": "2025-11-25" },
    });
    expect(closed.status).toBe(200);
    const after = await raw(url, {
      headers: { ...jsonHeaders(), "mcp-session-id": sessionId, "mcp-protocol-version": "2025-11-25" },
      body: list,
    });
    expect(after.status).toBe(404);
  });

  it("refuses a confirmation token minted for another subject", async () => {
    const { url, client: alice } = await server();
    const preview = await call(alice, "okta_delete_bundle", { entitlementBundleId: "enbfxqCAJWWGELFTYCCC" });
    const { confirmationToken } = structured<{ confirmationToken: string }>(preview);
    const { Client } = await import("@modelcontextprotocol/sdk/client/index.js");
    const { StreamableHTTPClientTransport } = await import(
      "@modelcontextprotocol/sdk/client/streamableHttp.js"
    );
    const bob = new Client({ name: "bob", version: "1" });
    await bob.connect(
      new StreamableHTTPClientTransport(new URL(url), {
        requestInit: { headers: { Authorization: `Bearer ${OTHER_TOKEN}` } },
      }),
    );
    const before = deletes();
    const result = await call(bob, "okta_delete_bundle", {
      entitlementBundleId: "enbfxqCAJWWGELFTYCCC",
      confirmationToken,
    });
    expect(text(result)).toMatch(/issued to another caller.*Nothing was changed\.$/s);
    expect(deletes()).toBe(before);
    expect(((await sandboxGet(sandbox, BUNDLE)).body as { status: string }).status).toBe("ACTIVE");
    await bob.close();
  });
});

describe("limits and hygiene", () => {
  it("rate-limits each subject on its own, with Retry-After", async () => {
    const third = THIRD_TOKEN;
    const { url } = await server({
      env: { ENTITLEMENT_MCP_RATE_LIMIT: "3", ENTITLEMENT_MCP_AUTH_TOKEN: ALL_TOKENS },
    });
    const statuses: number[] = [];
    let retryAfter: unknown;
    for (let i = 0; i < 4; i += 1) {
      const res = await raw(url, { headers: jsonHeaders(third), body: JSON.stringify(INIT) });
      statuses.push(res.status);
      retryAfter = res.headers["retry-after"];
    }
    expect(Number(retryAfter)).toBeGreaterThan(0);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const other = await raw(url, { headers: jsonHeaders(OTHER_TOKEN), body: JSON.stringify(INIT) });
    expect(other.status).toBe(200);
  });

  it("counts every message of a batch against the rate limit", async () => {
    const { url } = await server({
      env: { ENTITLEMENT_MCP_RATE_LIMIT: "10", ENTITLEMENT_MCP_AUTH_TOKEN: ALL_TOKENS },
    });
    const session = await open(url, THIRD_TOKEN);
    expect(session.status).toBe(200);
    const eight = await post(url, THIRD_TOKEN, session.id, [1, 2, 3, 4, 5, 6, 7, 8].map(ping));
    expect(eight.status).toBe(200);
    expect(eight.body.match(/"result"/g)).toHaveLength(8);
    // 1 + 8 of 10 spent: a batch of two is over the limit, a single message is not.
    const two = await post(url, THIRD_TOKEN, session.id, [ping(9), ping(10)]);
    expect(two.status).toBe(429);
    expect(JSON.parse(two.body).error.message).toMatch(
      /10 JSON-RPC messages a minute.*ENTITLEMENT_MCP_RATE_LIMIT/,
    );
    expect(Number(two.headers["retry-after"])).toBeGreaterThan(0);
    expect((await post(url, THIRD_TOKEN, session.id, ping(11))).status).toBe(200);
  });

  it("refuses a batch of more than 50 messages, and an empty one", async () => {
    const { url } = await server({ env: { ENTITLEMENT_MCP_AUTH_TOKEN: ALL_TOKENS } });
    const session = await open(url, THIRD_TOKEN);
    const batch = (n: number) => Array.from({ length: n }, (_, i) => ping(i + 1));
    const fifty = await post(url, THIRD_TOKEN, session.id, batch(50));
    expect(fifty.status).toBe(200);
    for (const size of [51, 0]) {
      const refused = await post(url, THIRD_TOKEN, session.id, batch(size));
      expect(refused.status).toBe(400);
      expect(JSON.parse(refused.body).error).toMatchObject({
        code: -32600,
        message: expect.stringMatching(`a batch holds 1 to 50 messages, this one ${size}`),
      });
    }
  });

  it("closes a subject's least recently used idle session to open its 21st", async () => {
    const { url } = await server({ env: { ENTITLEMENT_MCP_AUTH_TOKEN: ALL_TOKENS } });
    const ids: string[] = [];
    for (let i = 0; i < 20; i += 1) {
      const opened = await open(url, THIRD_TOKEN);
      expect(opened.status).toBe(200);
      ids.push(opened.id);
    }
    // The first is used again, so the second is now the least recently used.
    expect((await post(url, THIRD_TOKEN, ids[0] as string, ping(1))).status).toBe(200);
    const twentyFirst = await open(url, THIRD_TOKEN);
    expect(twentyFirst.status).toBe(200);
    expect((await post(url, THIRD_TOKEN, ids[1] as string, ping(2))).status).toBe(404);
    for (const id of [ids[0], ...ids.slice(2), twentyFirst.id]) {
      expect((await post(url, THIRD_TOKEN, id as string, ping(3))).status).toBe(200);
    }
  });

  it("refuses a subject's new session with 429 while all its sessions are busy", async () => {
    const held = await gate(ENTITLEMENT_PATH);
    const { url } = await server({
      env: {
        ENTITLEMENT_MCP_AUTH_TOKEN: ALL_TOKENS,
        ENTITLEMENT_MCP_MAX_SESSIONS_PER_SUBJECT: "3",
        OKTA_ORG_URL: held.url,
      },
    });
    const ids = [await open(url, THIRD_TOKEN), await open(url, THIRD_TOKEN), await open(url, THIRD_TOKEN)];
    const calls = ids.map((s) => post(url, THIRD_TOKEN, s.id, getEntitlement));
    await until("the three calls reach the upstream", () => held.arrived() === 3);
    const refused = await open(url, THIRD_TOKEN);
    expect(refused.status).toBe(429);
    expect(JSON.parse(refused.body).error.message).toMatch(
      /^Too many sessions: .*ENTITLEMENT_MCP_MAX_SESSIONS_PER_SUBJECT=3.*Close a session you no longer use/,
    );
    expect((await open(url, OTHER_TOKEN)).status).toBe(200);
    held.release();
    for (const answered of await Promise.all(calls)) {
      expect(answered.status).toBe(200);
      expect(answered.body).toContain(ENTITLEMENT);
    }
    expect((await open(url, THIRD_TOKEN)).status).toBe(200);
  });

  it("caps sessions in all: the least recently used idle one makes room, else 503", async () => {
    const held = await gate(ENTITLEMENT_PATH);
    const { url } = await inProcessHttp(held.url, { maxSessions: 2, maxSessionsPerSubject: 2 });
    const first = await open(url, HTTP_TOKEN);
    const second = await open(url, HTTP_TOKEN);
    expect((await post(url, HTTP_TOKEN, first.id, ping(1))).status).toBe(200);
    // Another subject's new session replaces the least recently used idle one, whoever opened it.
    const other = await open(url, OTHER_TOKEN);
    expect(other.status).toBe(200);
    expect((await post(url, HTTP_TOKEN, second.id, ping(2))).status).toBe(404);
    expect((await post(url, HTTP_TOKEN, first.id, ping(3))).status).toBe(200);
    const calls = [
      post(url, HTTP_TOKEN, first.id, getEntitlement),
      post(url, OTHER_TOKEN, other.id, getEntitlement),
    ];
    await until("both calls reach the upstream", () => held.arrived() === 2);
    const refused = await open(url, THIRD_TOKEN);
    expect(refused.status).toBe(503);
    expect(JSON.parse(refused.body).error.message).toMatch(
      /^Too many sessions: .*ENTITLEMENT_MCP_MAX_SESSIONS=2/,
    );
    held.release();
    for (const answered of await Promise.all(calls)) expect(answered.status).toBe(200);
  });

  it("never forwards a client's token upstream", async () => {
    const { client } = await server();
    await call(client, "okta_list_bundles", {});
    const leaked = sandbox.requests.filter((r) => JSON.stringify(r.headers).includes(HTTP_TOKEN));
    expect(leaked).toEqual([]);
    expect(sandbox.requests.some((r) => String(r.headers.authorization).startsWith("SSWS "))).toBe(true);
  });
});

describe("shutdown", () => {
  async function connect(url: string) {
    const client = new Client({ name: "drain", version: "1" });
    const transport = new StreamableHTTPClientTransport(new URL(url), {
      requestInit: { headers: { Authorization: `Bearer ${HTTP_TOKEN}` } },
    });
    await client.connect(transport);
    closers.push(() => client.close());
    return { client, sessionId: transport.sessionId as string };
  }

  it("close() refuses new work with 503, lets the call in progress finish, then closes", async () => {
    const held = await gate(ENTITLEMENT_PATH);
    const handle = await inProcessHttp(held.url);
    const { client, sessionId } = await connect(handle.url);
    const result = call(client, "okta_get_entitlement", { entitlementId: ENTITLEMENT });
    await until("the call reaches the upstream", () => held.arrived() === 1);
    let closed = false;
    const closing = handle.close().then(() => {
      closed = true;
    });
    const fresh = await open(handle.url, OTHER_TOKEN);
    expect(fresh.status).toBe(503);
    expect(JSON.parse(fresh.body).error.message).toMatch(/shutting down and takes no new requests/);
    expect((await post(handle.url, HTTP_TOKEN, sessionId, ping(1))).status).toBe(503);
    expect((await raw(handle.url.replace("/mcp", "/healthz"), { method: "GET" })).status).toBe(503);
    expect(closed).toBe(false);
    held.release();
    const answered = await result;
    expect(answered.isError, text(answered)).toBeFalsy();
    expect(structured<{ id: string }>(answered).id).toBe(ENTITLEMENT);
    await closing;
    // Closed: a new connection is refused, a pooled one finds its socket gone.
    await expect(open(handle.url, OTHER_TOKEN)).rejects.toThrow(/ECONNREFUSED|socket hang up|ECONNRESET/);
  });

  it("close() also waits for a call whose client went away, so the call is not aborted", async () => {
    const held = await gate(ENTITLEMENT_PATH);
    const handle = await inProcessHttp(held.url);
    const session = await open(handle.url, HTTP_TOKEN);
    const answered = () => sandbox.requests.filter((r) => r.path === ENTITLEMENT_PATH && r.status === 200);
    const before = answered().length;
    const req = httpRequest(handle.url, {
      method: "POST",
      headers: { ...jsonHeaders(), "mcp-session-id": session.id, "mcp-protocol-version": "2025-11-25" },
    });
    req.on("error", () => {});
    req.end(JSON.stringify(getEntitlement));
    await until("the call reaches the upstream", () => held.arrived() === 1);
    req.destroy();
    let closed = false;
    const closing = handle.close().then(() => {
      closed = true;
    });
    expect((await open(handle.url, OTHER_TOKEN)).status).toBe(503);
    expect(closed).toBe(false);
    held.release();
    await closing;
    // Closing the session earlier would have aborted the upstream read; it completed instead.
    expect(answered().length).toBe(before + 1);
  });

  it("close() stops waiting after drainMs", async () => {
    const held = await gate(ENTITLEMENT_PATH);
    const handle = await inProcessHttp(held.url, { drainMs: 100 });
    const { client } = await connect(handle.url);
    const result = call(client, "okta_get_entitlement", { entitlementId: ENTITLEMENT }).catch(
      (err: Error) => err,
    );
    await until("the call reaches the upstream", () => held.arrived() === 1);
    await handle.close();
    // The call was still held upstream when close() returned.
    await client.close();
    expect(await result).toBeInstanceOf(Error);
  });
});

describe("stateless replicas", () => {
  it("a token from one replica works once on another that shares the secret", async () => {
    const env = { ENTITLEMENT_MCP_SECRET: "a-shared-secret-of-at-least-32-characters!" };
    const one = await server({ args: ["--stateless"], env });
    const two = await server({ args: ["--stateless"], env });
    expect((await one.client.listTools()).tools.length).toBeGreaterThan(0);
    const preview = await call(one.client, "okta_delete_entitlement", {
      entitlementId: "esp5zFLCIUV7Vibro0g2",
    });
    const { confirmationToken } = structured<{ confirmationToken: string }>(preview);
    const done = await call(two.client, "okta_delete_entitlement", {
      entitlementId: "esp5zFLCIUV7Vibro0g2",
      confirmationToken,
    });
    expect(done.isError, text(done)).toBeFalsy();
    expect((await sandboxGet(sandbox, "/governance/api/v1/entitlements/esp5zFLCIUV7Vibro0g2")).status).toBe(
      404,
    );
  });
});

describe("startup", () => {
  it("refuses a non-loopback bind without ENTITLEMENT_MCP_AUTH_TOKEN", async () => {
    const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [BIN, "--http", "--host", "0.0.0.0", "--sandbox"], {
        env: { PATH: process.env.PATH ?? "" },
        stdio: ["ignore", "ignore", "pipe"],
      });
      let stderr = "";
      child.stderr.on("data", (c: Buffer) => {
        stderr += c.toString();
      });
      child.on("close", (exit) => resolve({ code: exit, stderr }));
    });
    expect(code).toBe(2);
    expect(stderr).toMatch(/ENTITLEMENT_MCP_AUTH_TOKEN is missing/);
  });
});
