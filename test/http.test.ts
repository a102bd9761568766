/**
 * Streamable HTTP specifics, against the spawned bin: elicitation on the tool call's own stream, the
 * security matrix (each refusal with its status and nothing executed), session lifecycle, and stateless
 * replicas that share the confirmation secret.
 */
import { spawn } from "node:child_process";
import { request as httpRequest } from "node:http";
import { join } from "node:path";
import { ElicitRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "../src/sandbox/index.js";
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
    const third = "third-person-token-abcdef0123456";
    const { url } = await server({
      env: {
        ENTITLEMENT_MCP_RATE_LIMIT: "3",
        ENTITLEMENT_MCP_AUTH_TOKEN: `${HTTP_TOKEN},${OTHER_TOKEN},${third}`,
      },
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

  it("never forwards a client's token upstream", async () => {
    const { client } = await server();
    await call(client, "okta_list_bundles", {});
    const leaked = sandbox.requests.filter((r) => JSON.stringify(r.headers).includes(HTTP_TOKEN));
    expect(leaked).toEqual([]);
    expect(sandbox.requests.some((r) => String(r.headers.authorization).startsWith("SSWS "))).toBe(true);
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
