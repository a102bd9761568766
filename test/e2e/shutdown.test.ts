/**
 * Shutdown that loses nothing, against the built bin driven over a raw child process: JSON-RPC lines on
 * stdin and stdout, because the SDK's StdioClientTransport closes stdin and kills the child when it closes,
 * which is exactly the moment under test.
 * - stdin EOF, SIGTERM or SIGINT while a confirmed delete is in flight: the delete is answered, audited
 *   `executed`, matches the sandbox, and the process exits 0 afterwards;
 * - a request that arrives after shutdown began is refused, not started;
 * - a confirmation dialog the client can no longer answer (stdin closed) ends at once, changing nothing;
 * - a tools/list larger than a pipe's buffer reaches a slow reader whole.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { closeSync, constants, openSync } from "node:fs";
import { Socket } from "node:net";
import { join } from "node:path";
import type { Readable, Writable } from "node:stream";
import { setTimeout as delay } from "node:timers/promises";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import { describe, expect, it } from "vitest";
import { SANDBOX_CREDENTIALS } from "../../src/sandbox/index.js";
import { assertNoSecrets, BIN, sandboxGet } from "../helpers/harness.js";
import { testServer } from "../helpers/test-server.js";

const BUNDLE = "enbfxqCAJWWGELFTYCCC";
const DELETE_BUNDLE = "DELETE /governance/api/v1/entitlement-bundles/{entitlementBundleId}";
type Message = JSONRPCMessage & {
  id?: number;
  result?: Record<string, unknown>;
  error?: { message: string };
};

/** The bin as a child process with raw stdio, read line by line. */
class RawServer {
  readonly child: ChildProcess;
  readonly stdin: Writable;
  readonly messages: Message[] = [];
  readonly exited: Promise<number | null>;
  private stderrText = "";
  private nextId = 1;
  private changed: () => void = () => {};

  /** `stdoutFd`: the child's stdout goes there, unread by this class (else it is read as it comes). */
  constructor(args: string[], env: Record<string, string>, stdoutFd?: number) {
    this.child = spawn(process.execPath, [BIN, ...args], {
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
      stdio: ["pipe", stdoutFd ?? "pipe", "pipe"],
    });
    this.exited = new Promise((resolve) => this.child.once("exit", (code) => resolve(code)));
    const { stdin, stderr } = this.child;
    if (!stdin || !stderr) throw new Error("spawn gave the child no stdin or stderr pipe");
    this.stdin = stdin;
    stderr.on("data", (chunk: Buffer) => {
      this.stderrText += chunk.toString();
      this.changed();
    });
    if (this.child.stdout) {
      let pending = "";
      this.child.stdout.on("data", (chunk: Buffer) => {
        pending += chunk.toString();
        const lines = pending.split("\n");
        pending = lines.pop() ?? "";
        for (const line of lines) if (line.trim()) this.messages.push(JSON.parse(line) as Message);
        this.changed();
      });
    }
    stdin.on("error", () => {});
  }

  get stderr(): string {
    return this.stderrText;
  }

  /** Sends a request and returns its id. */
  request(method: string, params: Record<string, unknown> = {}): number {
    const id = this.nextId++;
    this.write({ jsonrpc: "2.0", id, method, params });
    return id;
  }

  notify(method: string): void {
    this.write({ jsonrpc: "2.0", method });
  }

  write(message: Record<string, unknown>): void {
    this.stdin.write(`${JSON.stringify(message)}\n`);
  }

  /** Resolves when `ready()` holds, or with false once the process has exited without it holding. */
  async until(ready: () => boolean): Promise<boolean> {
    let exited = false;
    void this.exited.then(() => {
      exited = true;
      this.changed();
    });
    while (!ready()) {
      if (exited) return ready();
      await new Promise<void>((resolve) => {
        this.changed = resolve;
        setTimeout(resolve, 50);
      });
    }
    return true;
  }

  async response(id: number): Promise<Message | undefined> {
    await this.until(() => this.messages.some((m) => m.id === id));
    return this.messages.find((m) => m.id === id);
  }

  async initialize(capabilities: Record<string, unknown> = {}): Promise<void> {
    const id = this.request("initialize", {
      protocolVersion: "2025-06-18",
      capabilities,
      clientInfo: { name: "shutdown-test", version: "1.0.0" },
    });
    expect(await this.response(id)).toHaveProperty("result");
    this.notify("notifications/initialized");
  }

  /** Calls a tool and returns its JSON-RPC response (undefined when none came before the process exited). */
  async callTool(name: string, args: Record<string, unknown>): Promise<Message | undefined> {
    return this.response(this.request("tools/call", { name, arguments: args }));
  }
}

/**
 * A real pipe (a FIFO) for the child's stdout: Node's own child pipes are socket pairs whose buffers hold
 * a few hundred KB, while a pipe holds 64 KB, as for clients that spawn servers with os.pipe().
 */
function pipe(dir: string): { writeFd: number; reader: () => Socket } {
  const path = join(dir, "stdout.fifo");
  execFileSync("mkfifo", [path]);
  // Opening the read end first (non-blocking) lets the write end open at once.
  const readFd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  const writeFd = openSync(path, constants.O_WRONLY);
  return { writeFd, reader: () => new Socket({ fd: readFd, readable: true, writable: false }) };
}

/** Reads a stream a few KB at a time with pauses, as a slow client does, until it ends. */
async function readSlowly(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  while (!stream.readableEnded) {
    await delay(10);
    const chunk: Buffer | null = stream.read(Math.min(4096, stream.readableLength) || undefined);
    if (chunk) chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString();
}

const session = testServer({ client: false });

function start(args: string[] = [], stdoutFd?: number): RawServer {
  const server = new RawServer(
    ["--audit-log", session.auditLog, ...args],
    {
      OKTA_ORG_URL: session.sandbox.url,
      OKTA_API_TOKEN: SANDBOX_CREDENTIALS.okta.apiToken,
      ENTITLEMENT_MCP_SHUTDOWN_GRACE_MS: "10000",
    },
    stdoutFd,
  );
  session.onClose(async () => {
    server.child.kill("SIGKILL");
    await server.exited;
    assertNoSecrets("the server's stderr", server.stderr);
  });
  return server;
}

/** A confirmationToken for deleting `bundle`, from the preview a client without elicitation gets. */
async function deleteToken(server: RawServer, bundle: string): Promise<string> {
  const preview = await server.callTool("okta_delete_bundle", { entitlementBundleId: bundle });
  const structured = (preview?.result as { structuredContent?: { confirmationToken?: string } })
    ?.structuredContent;
  expect(structured?.confirmationToken, JSON.stringify(preview)).toBeTruthy();
  return String(structured?.confirmationToken);
}

/** True once the guard has accepted the token: the upstream DELETE is the very next step. */
async function tokenAccepted(): Promise<boolean> {
  const lines = await session.readAudit();
  return lines.some(
    (l) => l.tool === "okta_delete_bundle" && ["confirmed_by_token", "executing"].includes(l.outcome),
  );
}

async function waitFor(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200 && !(await check()); i++) await delay(25);
}

describe("shutdown", () => {
  const stops = [
    ["stdin EOF", (server: RawServer) => server.stdin.end()],
    ["SIGTERM", (server: RawServer) => server.child.kill("SIGTERM")],
    ["SIGINT", (server: RawServer) => server.child.kill("SIGINT")],
  ] as const;

  it.each(stops)(
    "answers and audits a confirmed delete in flight at %s, then exits 0",
    async (name, stop) => {
      const server = start();
      await server.initialize();
      const confirmationToken = await deleteToken(server, BUNDLE);
      session.sandbox.inject({ route: DELETE_BUNDLE, latencyMs: 500 });

      const id = server.request("tools/call", {
        name: "okta_delete_bundle",
        arguments: { entitlementBundleId: BUNDLE, confirmationToken },
      });
      // stdin EOF right after the call; a signal once the server is surely handling it (it could otherwise
      // arrive before the call is read, and a call that arrives after shutdown began is rightly refused).
      if (name !== "stdin EOF") await waitFor(tokenAccepted);
      stop(server);

      const answer = await server.response(id);
      expect(answer?.result, `no answer to the call; stderr: ${server.stderr}`).toBeDefined();
      expect(answer?.result?.isError).toBeFalsy();
      expect(answer?.result?.structuredContent).toEqual({ deleted: true, id: BUNDLE });
      expect(await server.exited).toBe(0);

      const upstream = await sandboxGet(session.sandbox, `/governance/api/v1/entitlement-bundles/${BUNDLE}`);
      expect(upstream.body).toMatchObject({ status: "DELETED" });
      const outcomes = (await session.readAudit())
        .filter((l) => l.tool === "okta_delete_bundle")
        .map((l) => l.outcome);
      expect(outcomes.at(-1)).toBe("executed");
      expect(outcomes).not.toContain("failed");
    },
  );

  it("refuses a request that arrives after shutdown began, and starts nothing for it", async () => {
    const server = start();
    await server.initialize();
    const first = await deleteToken(server, BUNDLE);
    const secondBundle = "0bbfxqCAJWWGELFTYAAA";
    const second = await deleteToken(server, secondBundle);
    session.sandbox.inject({ route: DELETE_BUNDLE, latencyMs: 500 });

    const inFlight = server.request("tools/call", {
      name: "okta_delete_bundle",
      arguments: { entitlementBundleId: BUNDLE, confirmationToken: first },
    });
    await waitFor(tokenAccepted);
    server.child.kill("SIGTERM");
    const announced = await server.until(() => /shutting down/i.test(server.stderr));
    expect(announced, `no shutdown announced on stderr: ${server.stderr}`).toBe(true);
    const requestsBefore = session.sandbox.requests.length;

    const late = await server.callTool("okta_delete_bundle", {
      entitlementBundleId: secondBundle,
      confirmationToken: second,
    });
    expect(late?.error?.message, JSON.stringify(late)).toMatch(/shutting down.*not started/is);
    expect((await server.response(inFlight))?.result?.structuredContent).toEqual({
      deleted: true,
      id: BUNDLE,
    });
    expect(await server.exited).toBe(0);

    // Only the in-flight DELETE reached the sandbox after the signal; the late call read and wrote nothing.
    expect(session.sandbox.requests.slice(requestsBefore).map((r) => `${r.method} ${r.path}`)).toEqual([
      `DELETE /governance/api/v1/entitlement-bundles/${BUNDLE}`,
    ]);
    const untouched = await sandboxGet(
      session.sandbox,
      `/governance/api/v1/entitlement-bundles/${secondBundle}`,
    );
    expect(untouched.body).toMatchObject({ status: "ACTIVE" });
    const audited = await session.readAudit();
    expect(audited.filter((l) => l.targetIds?.includes(secondBundle)).map((l) => l.outcome)).toEqual([
      "confirmation_required",
    ]);
  });

  it("ends a confirmation dialog the client can no longer answer at stdin EOF, and changes nothing", async () => {
    const server = start();
    await server.initialize({ elicitation: { form: {} } });
    const id = server.request("tools/call", {
      name: "okta_delete_bundle",
      arguments: { entitlementBundleId: BUNDLE },
    });
    const asked = await server.until(() =>
      server.messages.some((m) => "method" in m && m.method === "elicitation/create"),
    );
    expect(asked, `no confirmation dialog; stderr: ${server.stderr}`).toBe(true);
    server.stdin.end();

    // Answered (not left to the dialog's own timeout or the grace period), and nothing was deleted.
    const answer = await server.response(id);
    expect(answer?.result, `no answer to the call; stderr: ${server.stderr}`).toBeDefined();
    expect(JSON.stringify(answer?.result)).not.toMatch(/"deleted":true/);
    expect(await server.exited).toBe(0);
    expect(server.stderr).not.toMatch(/abandoned/);
    const upstream = await sandboxGet(session.sandbox, `/governance/api/v1/entitlement-bundles/${BUNDLE}`);
    expect(upstream.body).toMatchObject({ status: "ACTIVE" });
    expect(session.sandbox.requests.filter((r) => r.method === "DELETE")).toEqual([]);
  });

  it("delivers a tools/list larger than a pipe's buffer whole to a slow reader after stdin EOF", async () => {
    const stdout = pipe(session.dir);
    const server = start(["--sandbox", "--confirm-creates"], stdout.writeFd);
    closeSync(stdout.writeFd);
    server.request("initialize", {
      protocolVersion: "2025-06-18",
      capabilities: {},
      clientInfo: { name: "slow-reader", version: "1.0.0" },
    });
    server.notify("notifications/initialized");
    const list = server.request("tools/list");
    server.stdin.end();

    // Nothing is read until shutdown began (or, before the fix, the process exited) and a little more,
    // so the pipe is full and the rest of the answer waits in the server while it shuts down.
    await server.until(() => /shutting down/.test(server.stderr));
    await delay(300);
    const output = await readSlowly(stdout.reader());
    expect(await server.exited).toBe(0);
    expect(output.endsWith("\n"), `stdout was cut after ${output.length} bytes`).toBe(true);
    const lines = output.split("\n").filter(Boolean);
    const response = lines.map((line) => JSON.parse(line) as Message).find((m) => m.id === list);
    // Larger than a pipe's buffer (64 KB), so it cannot all be in the kernel when the server exits.
    // Larger than a Linux pipe buffer (64 KiB).
    expect(Buffer.byteLength(lines.at(-1) ?? "")).toBeGreaterThan(64 * 1024);
    expect((response?.result?.tools as unknown[] | undefined)?.length).toBeGreaterThan(30);
  });

  it("answers and audits a confirmed delete in flight over HTTP at SIGTERM, then exits 0", async () => {
    const child = spawn(process.execPath, [BIN, "--http", "--port", "0", "--audit-log", session.auditLog], {
      env: {
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? "",
        OKTA_ORG_URL: session.sandbox.url,
        OKTA_API_TOKEN: SANDBOX_CREDENTIALS.okta.apiToken,
        ENTITLEMENT_MCP_SHUTDOWN_GRACE_MS: "10000",
      },
      stdio: ["ignore", "ignore", "pipe"],
    });
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    let stderr = "";
    const url = await new Promise<string>((resolve, reject) => {
      child.stderr?.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
        const match = /Streamable HTTP at (http:\/\/127\.0\.0\.1:\d+\/mcp)/.exec(stderr);
        if (match?.[1]) resolve(match[1]);
      });
      void exited.then((code) => reject(new Error(`server exited with ${code}: ${stderr}`)));
    });
    const client = new Client({ name: "shutdown-http", version: "1.0.0" });
    await client.connect(new StreamableHTTPClientTransport(new URL(url)));
    try {
      const preview = (await client.callTool({
        name: "okta_delete_bundle",
        arguments: { entitlementBundleId: BUNDLE },
      })) as { structuredContent?: { confirmationToken?: string } };
      const confirmationToken = String(preview.structuredContent?.confirmationToken);
      session.sandbox.inject({ route: DELETE_BUNDLE, latencyMs: 500 });
      const call = client.callTool({
        name: "okta_delete_bundle",
        arguments: { entitlementBundleId: BUNDLE, confirmationToken },
      });
      await waitFor(tokenAccepted);
      child.kill("SIGTERM");
      const answer = (await call) as { isError?: boolean; structuredContent?: unknown };
      expect(answer.isError, stderr).toBeFalsy();
      expect(answer.structuredContent).toEqual({ deleted: true, id: BUNDLE });
    } finally {
      await client.close().catch(() => {});
    }
    expect(await exited).toBe(0);
    assertNoSecrets("the server's stderr", stderr);
    const upstream = await sandboxGet(session.sandbox, `/governance/api/v1/entitlement-bundles/${BUNDLE}`);
    expect(upstream.body).toMatchObject({ status: "DELETED" });
    const outcomes = (await session.readAudit())
      .filter((l) => l.tool === "okta_delete_bundle")
      .map((l) => l.outcome);
    expect(outcomes.slice(-2)).toEqual(["executing", "executed"]);
  });
});
