/**
 * Start-up failures a person can act on, through the built bin: each is one line on stderr naming the
 * cause and the fix, exit code 2, no stack trace, nothing on stdout.
 */
import { spawn } from "node:child_process";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { BIN, tempDir } from "../helpers/harness.js";

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

async function start(args: string[], env: Record<string, string> = {}) {
  const dir = await tempDir();
  cleanups.push(dir.cleanup);
  return new Promise<{ code: number | null; stderr: string; stdout: string }>((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: {
        PATH: process.env.PATH ?? "",
        HOME: dir.path,
        ENTITLEMENT_MCP_AUDIT_LOG: join(dir.path, "a.jsonl"),
        ...env,
      },
    });
    let stderr = "";
    let stdout = "";
    child.stderr.on("data", (c: Buffer) => {
      stderr += c.toString();
    });
    child.stdout.on("data", (c: Buffer) => {
      stdout += c.toString();
    });
    child.on("close", (code) => resolve({ code, stderr, stdout }));
    child.stdin.end();
  });
}

/** A port some other process holds on 127.0.0.1. */
async function busyPort(): Promise<number> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("no port");
  return address.port;
}

/** One line naming `cause` and `fix`, exit 2, no stack trace. */
function expectOneLine(
  result: { code: number | null; stderr: string; stdout: string },
  cause: RegExp,
  fix: RegExp,
) {
  expect(result.code, result.stderr).toBe(2);
  expect(result.stdout).toBe("");
  const lines = result.stderr.trimEnd().split("\n");
  expect(lines, result.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^entitlement-mcp: /);
  expect(lines[0]).toMatch(cause);
  expect(lines[0]).toMatch(fix);
  expect(result.stderr).not.toMatch(/\n\s+at |Error:/);
}

describe("start-up errors a person can act on", () => {
  it("a port in use (--http) names the port and says to stop the other process or pick another", async () => {
    const port = await busyPort();
    const result = await start(["--http", "--sandbox", "--port", String(port)]);
    expectOneLine(result, new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use`), /--port/);
  });

  it("a port in use by the standalone sandbox command", async () => {
    const port = await busyPort();
    const result = await start(["sandbox", "--port", String(port)]);
    expectOneLine(result, new RegExp(`port ${port} .* already in use`), /--port/);
  });

  it("an address this machine does not have, and one that does not resolve", async () => {
    const env = { ENTITLEMENT_MCP_AUTH_TOKEN: "startup-test-token-0123456789" };
    // 192.0.2.0/24 is TEST-NET-1 (RFC 5737): never an address of this machine.
    const foreign = await start(["--http", "--sandbox", "--port", "0", "--host", "192.0.2.7"], env);
    expectOneLine(foreign, /--host 192\.0\.2\.7 is not an address of this machine/, /use 127\.0\.0\.1/);
    const unresolvable = await start(
      ["--http", "--sandbox", "--port", "0", "--host", "no-such-host.invalid"],
      env,
    );
    expectOneLine(unresolvable, /--host no-such-host\.invalid cannot be resolved/, /pass an IP address/);
  });

  it("a key file named where the key belongs, and a key that is not one (never shown)", async () => {
    const base = { OKTA_ORG_URL: "https://acme.okta.com", OKTA_CLIENT_ID: "0oaServiceApp" };
    const path = await start([], { ...base, OKTA_PRIVATE_KEY: "/etc/okta/key.pem" });
    expectOneLine(path, /OKTA_PRIVATE_KEY: holds a file name, not a key/, /\$\(cat key\.pem\)/);
    const garbage = await start([], { ...base, OKTA_PRIVATE_KEY: "not-a-key-at-all-0123456789" });
    expectOneLine(garbage, /OKTA_PRIVATE_KEY: not a private key/, /give the PEM/);
    expect(garbage.stderr).not.toContain("not-a-key-at-all");
  });

  it("a bad URL names the variable and shows the form it takes", async () => {
    const result = await start([], {
      OKTA_ORG_URL: "acme.okta.com",
      OKTA_API_TOKEN: "00tokenNeverShown0000",
    });
    expectOneLine(result, /OKTA_ORG_URL: must be an absolute URL/, /such as https:\/\/acme\.okta\.com/);
    const plain = await start([], {
      IIQ_BASE_URL: "http://iiq.example.com/scim/v2",
      IIQ_USERNAME: "a",
      IIQ_PASSWORD: "b",
    });
    expectOneLine(plain, /IIQ_BASE_URL: must use https:\/\//, /http:\/\/ is allowed only for loopback/);
  });

  it("missing credentials (a snippet's empty token) name the variable and both ways out", async () => {
    const result = await start([], { OKTA_ORG_URL: "https://acme.okta.com", OKTA_API_TOKEN: "" });
    expectOneLine(result, /OKTA_API_TOKEN is missing/, /Set OKTA_API_TOKEN .* or leave OKTA_ORG_URL unset/);
  });

  it("an unknown flag points at --help on the same line", async () => {
    expectOneLine(await start(["--frobnicate"]), /frobnicate/, /--help/);
  });
});
