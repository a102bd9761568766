/**
 * Streamable HTTP specifics, against the spawned bin: elicitation on the tool call's own stream, the
 * security matrix (each refusal with its status and nothing executed), stateless replicas that share the
 * confirmation secret, and the refusal to bind beyond loopback without a token. Limits and sessions are
 * in http-limits.test.ts, draining on close in http-shutdown.test.ts.
 */
import { spawn } from "node:child_process";
import { request as httpRequest } from "node:http";
import { ElicitRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { describe, expect, it } from "vitest";
import { GITHUB_ADMIN_BUNDLE, SALES_CLOUD_ADMIN } from "../fixtures/okta.js";
import { BIN, call, HTTP_TOKEN, sandboxGet, structured, text } from "../helpers/harness.js";
import { httpServer, INIT, jsonHeaders, OTHER_TOKEN, raw } from "../helpers/http.js";
import { testServer } from "../helpers/test-server.js";

const BUNDLE = `/governance/api/v1/entitlement-bundles/${SALES_CLOUD_ADMIN}`;

const session = testServer({ perFile: true, client: false });

const deletes = () => session.sandbox.requests.filter((r) => r.method === "DELETE").length;

describe("elicitation over HTTP", () => {
  it("asks on the call's own stream: a confirmed delete happens, a declined one does not", async () => {
    const answers: string[] = [];
    const { client } = await httpServer(session, {
      capabilities: { capabilities: { elicitation: { form: {} } } },
    });
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
      entitlementBundleId: GITHUB_ADMIN_BUNDLE,
    });
    expect(text(declined)).toMatch(/^Cancelled: the user declined/);
    expect(
      (
        (await sandboxGet(session.sandbox, `/governance/api/v1/entitlement-bundles/${GITHUB_ADMIN_BUNDLE}`))
          .body as {
          status: string;
        }
      ).status,
    ).toBe("ACTIVE");
    accept = true;
    const done = await call(client, "okta_delete_bundle", { entitlementBundleId: GITHUB_ADMIN_BUNDLE });
    expect(done.isError, text(done)).toBeFalsy();
    expect(
      (
        (await sandboxGet(session.sandbox, `/governance/api/v1/entitlement-bundles/${GITHUB_ADMIN_BUNDLE}`))
          .body as {
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
    const { url } = await httpServer(session);
    const res = await raw(url.replace("/mcp", "/healthz"), { method: "GET" });
    expect(res).toMatchObject({ status: 200, body: '{"status":"ok"}' });
  });

  it.each([
    ["no token", {}, 401],
    ["a wrong token", { authorization: "Bearer not-the-token-at-all-0000" }, 401],
    ["a bad Origin", { origin: "http://evil.example" }, 403],
    ["a bad Host", { host: "evil.example" }, 403],
  ])("refuses %s, executing nothing", async (_label, headers, status) => {
    const { url } = await httpServer(session);
    const before = session.sandbox.requests.length;
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
    expect(session.sandbox.requests.length).toBe(before);
  });

  it("refuses an oversize body with 413", async () => {
    const { url } = await httpServer(session);
    const res = await raw(url, {
      headers: jsonHeaders(),
      body: JSON.stringify({ ...INIT, pad: "x".repeat(1_100_000) }),
    });
    expect(res.status).toBe(413);
  });

  it("answers 413 only once the oversize body is in, so a client still writing is not cut off", async () => {
    const { url } = await httpServer(session);
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
    const { url } = await httpServer(session);
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
    const { url, client: alice } = await httpServer(session);
    const preview = await call(alice, "okta_delete_bundle", { entitlementBundleId: SALES_CLOUD_ADMIN });
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
      entitlementBundleId: SALES_CLOUD_ADMIN,
      confirmationToken,
    });
    expect(text(result)).toMatch(/issued to another caller.*Nothing was changed\.$/s);
    expect(deletes()).toBe(before);
    expect(((await sandboxGet(session.sandbox, BUNDLE)).body as { status: string }).status).toBe("ACTIVE");
    await bob.close();
  });
});

describe("stateless replicas", () => {
  it("a token from one replica works once on another that shares the secret", async () => {
    const env = { ENTITLEMENT_MCP_SECRET: "a-shared-secret-of-at-least-32-characters!" };
    const one = await httpServer(session, { args: ["--stateless"], env });
    const two = await httpServer(session, { args: ["--stateless"], env });
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
    expect(
      (await sandboxGet(session.sandbox, "/governance/api/v1/entitlements/esp5zFLCIUV7Vibro0g2")).status,
    ).toBe(404);
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
