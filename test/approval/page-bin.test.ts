/**
 * The approval page as users run it: the built bin, over --http (the page under the server's own origin,
 * opened without the MCP bearer token, behind the same Host rule) and over stdio (a loopback listener the
 * server opens for the page), each approved in Chromium by a client that declares URL-mode elicitation.
 */
import { request } from "node:http";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { type CallToolResult, ElicitRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SANDBOX_CREDENTIALS } from "../../src/sandbox/index.js";
import { SEED_CREATE_GRANT } from "../fixtures/okta.js";
import { startBrowser, type TestBrowser } from "../helpers/browser.js";
import { assertNoSecrets, BIN, text } from "../helpers/harness.js";
import { testServer } from "../helpers/test-server.js";

const GRANTS = "/governance/api/v1/grants";
const session = testServer({ client: false });
let browser: TestBrowser;

beforeAll(async () => {
  browser = await startBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** Answers URL elicitations with consent, handing each URL to the test. */
function openUrls(client: Client): () => Promise<string> {
  const urls: string[] = [];
  const waiters: ((url: string) => void)[] = [];
  client.setRequestHandler(ElicitRequestSchema, async (req) => {
    const url = String((req.params as { url?: string }).url);
    const waiter = waiters.shift();
    if (waiter) waiter(url);
    else urls.push(url);
    return { action: "accept" };
  });
  return () => {
    const url = urls.shift();
    return url ? Promise.resolve(url) : new Promise((resolve) => waiters.push(resolve));
  };
}

/** Opens `url` in Chromium and clicks Approve; returns the outcome the page shows. */
async function approveIn(url: string): Promise<string> {
  const page = await browser.context.newPage();
  try {
    expect((await page.goto(url))?.status()).toBe(200);
    await page.getByRole("button", { name: "Approve" }).click();
    return (await page.locator(".outcome").textContent()) ?? "";
  } finally {
    await page.close();
  }
}

const writes = () =>
  session.sandbox.requests.filter((r) => r.method === "POST" && r.path === GRANTS && r.status < 300).length;

/** A GET with a Host header of our choosing (fetch will not send one). */
function getWithHost(url: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("error", reject);
    req.end();
  });
}

describe("the bin", () => {
  it("over --http: serves the page under its own origin, without the bearer token, behind the Host rule", async () => {
    const http = await session.spawn("http", {
      capabilities: { capabilities: { elicitation: { url: {} } } },
    });
    const nextUrl = openUrls(http.client);
    const result = http.client.callTool({ name: "okta_create_grant", arguments: SEED_CREATE_GRANT });
    const url = await nextUrl();
    expect(new URL(url).origin).toBe(new URL(http.url).origin);
    expect(new URL(url).pathname).toMatch(/^\/approve\/[\w-]+\.[\w-]+$/);
    expect(await getWithHost(url, "evil.example")).toBe(403);
    expect(writes()).toBe(0);
    expect(await approveIn(url)).toMatch(/^Approved and done/);
    const done = (await result) as CallToolResult;
    expect(done.isError, text(done)).toBeFalsy();
    expect(writes()).toBe(1);
    expect(await session.outcomes("okta_create_grant")).toEqual([
      "confirmed_by_page",
      "executing",
      "executed",
    ]);
  });

  it("over stdio: opens a loopback listener for the page", async () => {
    const client = new Client(
      { name: "e2e-stdio-url", version: "1.0.0" },
      { capabilities: { elicitation: { url: {} } } },
    );
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [BIN, "--audit-log", session.auditLog],
      env: {
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? "",
        OKTA_ORG_URL: session.sandbox.url,
        OKTA_API_TOKEN: SANDBOX_CREDENTIALS.okta.apiToken,
      },
      stderr: "pipe",
    });
    let stderr = "";
    transport.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const nextUrl = openUrls(client);
    await client.connect(transport);
    session.onClose(async () => {
      await client.close();
      assertNoSecrets("the server's stderr", stderr);
    });
    const result = client.callTool({ name: "okta_create_grant", arguments: SEED_CREATE_GRANT });
    const url = await nextUrl();
    expect(new URL(url).hostname).toBe("127.0.0.1");
    expect(await approveIn(url)).toMatch(/^Approved and done/);
    expect(((await result) as CallToolResult).isError).toBeFalsy();
    expect(writes()).toBe(1);
    expect(stderr).toMatch(/approval pages: listening on http:\/\/127\.0\.0\.1:\d+/);
  });
});
