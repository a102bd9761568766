/**
 * Test fixtures: a sandbox on a real loopback port, and a real SDK `Client` connected to the server
 * either by spawning the built bin over stdio (as users run it) or in-process through a linked pair
 * (for a fake clock and scripted elicitation answers).
 */
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import {
  type CallToolResult,
  ElicitRequestSchema,
  type ElicitResult,
} from "@modelcontextprotocol/sdk/types.js";
import { expect } from "vitest";
import type { AnyOperation } from "../../src/core/operation.js";
import { type AuditSink, FileAuditLog } from "../../src/guard/audit.js";
import { ConfirmationTokens } from "../../src/guard/confirm-token.js";
import { createServer, type ServerOptions } from "../../src/mcp/server.js";
import { sandboxEndpoints } from "../../src/providers/index.js";
import {
  SANDBOX_CREDENTIALS,
  type Sandbox,
  type SandboxOptions,
  startSandbox,
} from "../../src/sandbox/index.js";
import { UpstreamClient } from "../../src/upstream/client.js";
import { allOperations } from "../../tools/index.js";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
/** The bin users run: the bundle package.json points at. */
export const BIN = join(ROOT, "dist", "entitlement-mcp.mjs");

/**
 * The sandbox's credentials are recognisable strings: every tool result, audit line and server log the
 * suite sees is checked for them, so a leak anywhere fails the test that caused it.
 */
export const KNOWN_SECRETS: readonly string[] = (() => {
  const out: string[] = [];
  const walk = (value: unknown, key: string) => {
    if (typeof value === "string" && /token|key|password|secret/i.test(key) && value.length >= 6)
      out.push(value);
    else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) walk(v, k);
  };
  walk(SANDBOX_CREDENTIALS, "");
  return out;
})();

export function assertNoSecrets(where: string, text: string): void {
  for (const secret of KNOWN_SECRETS) {
    if (text.includes(secret)) throw new Error(`${where} contains a credential (${secret.slice(0, 4)}…)`);
  }
}

export interface AuditLine {
  time: string;
  tool: string;
  outcome: string;
  targetIds?: string[];
  args?: Record<string, unknown>;
  upstreamStatus?: number;
  requestId?: string;
  detail?: string;
}

export async function tempDir(): Promise<{ path: string; cleanup: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), "entitlement-mcp-test-"));
  return { path, cleanup: () => rm(path, { recursive: true, force: true }) };
}

export async function readAudit(path: string): Promise<AuditLine[]> {
  try {
    const text = await readFile(path, "utf8");
    assertNoSecrets(`audit log ${path}`, text);
    // Split on every line break a reader might honour: each piece must still be one whole entry.
    return text
      .split(/\r\n|[\n\r\u0085\u2028\u2029]/)
      .filter(Boolean)
      .map((line) => JSON.parse(line) as AuditLine);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw err;
  }
}

export interface SpawnOptions {
  auditLog: string;
  args?: string[];
  env?: Record<string, string>;
  /** HTTP only: the bearer token the client sends (default HTTP_TOKEN). */
  token?: string;
  /** HTTP only: the client's capabilities. */
  capabilities?: ConstructorParameters<typeof Client>[1];
}

export interface SpawnedSession {
  client: Client;
  /** HTTP only: the server's MCP endpoint. */
  url?: string;
  stderr: () => string;
  close: () => Promise<void>;
}

/** A client of the built bin over stdio, started with `args` and no environment but PATH and `env`. */
export async function spawnStdio(args: string[], env: Record<string, string>): Promise<SpawnedSession> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BIN, ...args],
    env: { PATH: process.env.PATH ?? "", ...env },
    stderr: "pipe",
  });
  let stderr = "";
  transport.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const client = new Client({ name: "e2e-stdio", version: "1.0.0" });
  await client.connect(transport);
  return {
    client,
    stderr: () => stderr,
    close: async () => {
      await client.close();
      assertNoSecrets("the server's stderr", stderr);
    },
  };
}

/** A client of the built bin over stdio, pointed at `sandbox` like at a real tenant. */
export function spawnStdioClient(
  sandbox: Sandbox,
  options: Pick<SpawnOptions, "auditLog" | "args" | "env">,
): Promise<SpawnedSession> {
  return spawnStdio(["--audit-log", options.auditLog, ...(options.args ?? [])], {
    HOME: process.env.HOME ?? "",
    OKTA_ORG_URL: sandbox.url,
    OKTA_API_TOKEN: SANDBOX_CREDENTIALS.okta.apiToken,
    ...options.env,
  });
}

export interface ElicitParams {
  message: string;
  requestedSchema: { properties: Record<string, { description?: string }>; required?: string[] };
}
export const HTTP_TOKEN = "e2e-http-token-0123456789abcdef";

/** A client of the built bin over Streamable HTTP (`--http --port 0`), pointed at `sandbox`. */
export async function spawnHttpClient(
  sandbox: Sandbox,
  options: SpawnOptions,
): Promise<SpawnedSession & { url: string }> {
  const child = spawn(
    process.execPath,
    [BIN, "--http", "--port", "0", "--audit-log", options.auditLog, ...(options.args ?? [])],
    {
      env: {
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? "",
        OKTA_ORG_URL: sandbox.url,
        OKTA_API_TOKEN: SANDBOX_CREDENTIALS.okta.apiToken,
        ENTITLEMENT_MCP_AUTH_TOKEN: HTTP_TOKEN,
        ...options.env,
      },
      stdio: ["ignore", "ignore", "pipe"],
    },
  );
  let stderr = "";
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = /Streamable HTTP at (http:\/\/127\.0\.0\.1:\d+\/mcp)/.exec(stderr);
      if (match?.[1]) resolve(match[1]);
    });
    child.once("exit", (code) => reject(new Error(`server exited with ${code}: ${stderr}`)));
  });
  const client = new Client({ name: "e2e-http", version: "1.0.0" }, options.capabilities);
  await client.connect(
    new StreamableHTTPClientTransport(new URL(url), {
      requestInit: { headers: { Authorization: `Bearer ${options.token ?? HTTP_TOKEN}` } },
    }),
  );
  return {
    client,
    url,
    stderr: () => stderr,
    close: async () => {
      await client.close();
      child.kill();
      await new Promise((resolve) =>
        child.exitCode === null ? child.once("exit", resolve) : resolve(undefined),
      );
      assertNoSecrets("the server's stderr", stderr);
    },
  };
}

export type ElicitAnswer =
  | ElicitResult
  | "never"
  | ((params: ElicitParams) => ElicitResult | Promise<ElicitResult>);

export interface InProcessOptions {
  /** Where the audit lines go; without one they are dropped. */
  auditLog?: string;
  now?: () => number;
  elicit?: ElicitAnswer;
  elicitationTimeoutMs?: number;
  server?: Partial<ServerOptions>;
  /** The operations served (default: all of tools/). */
  operations?: readonly AnyOperation[];
}

export interface InProcessSession {
  client: Client;
  audit: AuditSink;
  /** The messages of the confirmation dialogs the client was shown. */
  elicitations: string[];
  /** Closes the client and the server (and the upstream client made for a sandbox); once. */
  close: () => Promise<void>;
}

/**
 * An in-process server with an injectable clock and a client that may answer elicitations, talking to
 * `target`: a sandbox, or an upstream client the caller made (and closes).
 */
export async function inProcessClient(
  target: Sandbox | { upstream: UpstreamClient },
  options: InProcessOptions = {},
): Promise<InProcessSession> {
  const own = "url" in target ? new UpstreamClient({ providers: sandboxEndpoints(target.url) }) : undefined;
  const upstream = own ?? (target as { upstream: UpstreamClient }).upstream;
  const audit: AuditSink = options.auditLog ? new FileAuditLog(options.auditLog) : { write: async () => {} };
  const server = createServer(
    {
      toolsets: ["okta", "atomicwork", "sailpoint-iiq"],
      readOnly: false,
      confirmCreates: false,
      elicitationTimeoutMs: options.elicitationTimeoutMs ?? 2_000,
      processCaller: "test:in-process",
      ...options.server,
    },
    {
      upstream,
      audit,
      tokens: new ConfirmationTokens(Buffer.alloc(32, 7), 5 * 60_000, options.now),
      onAuditError: (err) => {
        throw err;
      },
      operations: options.operations ?? allOperations,
    },
  );
  const elicitations: string[] = [];
  const client = new Client(
    { name: "e2e-in-process", version: "1.0.0" },
    { capabilities: options.elicit ? { elicitation: { form: {} } } : {} },
  );
  const answer = options.elicit;
  if (answer) {
    client.setRequestHandler(ElicitRequestSchema, async (request) => {
      const message = String(request.params.message);
      elicitations.push(message);
      if (answer === "never") return new Promise<ElicitResult>(() => {});
      return typeof answer === "function" ? answer(request.params as unknown as ElicitParams) : answer;
    });
  }
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  await client.connect(clientSide);
  let closing: Promise<void> | undefined;
  return {
    client,
    audit,
    elicitations,
    close: () => {
      closing ??= (async () => {
        await client.close();
        await server.close();
        await own?.close();
      })();
      return closing;
    },
  };
}

export async function withSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  return startSandbox({ rateLimit: { limit: 100_000 }, ...options });
}

/** Calls a tool and returns the result typed as a CallToolResult. */
export async function call(
  client: Client,
  name: string,
  args: Record<string, unknown>,
): Promise<CallToolResult> {
  const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
  assertNoSecrets(`the result of ${name}`, JSON.stringify(result));
  return result;
}

export function text(result: CallToolResult): string {
  return result.content
    .filter((c): c is { type: "text"; text: string } => c.type === "text")
    .map((c) => c.text)
    .join("\n");
}

export function structured<T = Record<string, unknown>>(result: CallToolResult): T {
  return result.structuredContent as T;
}

/** The structured content of a call that must have succeeded. */
export function ok<T = Record<string, unknown>>(result: CallToolResult): T {
  expect(result.isError, text(result)).toBeFalsy();
  return structured<T>(result);
}

/** Calls `name` with bad `args`: a tool error that names `field`, and no request reached the sandbox. */
export async function expectRefusedLocally(
  client: Client,
  sandbox: Sandbox,
  name: string,
  args: Record<string, unknown>,
  field: RegExp,
): Promise<void> {
  const before = sandbox.requests.length;
  const result = await call(client, name, args);
  expect(result.isError, `${name} ${JSON.stringify(args)}`).toBe(true);
  expect(text(result)).toMatch(field);
  expect(sandbox.requests.length, `${name} reached the upstream`).toBe(before);
}

/** Calls a guarded tool as an assistant without elicitation does: the preview, then again with its token. */
export async function confirmed(
  client: Client,
  name: string,
  args: Record<string, unknown>,
): Promise<CallToolResult> {
  const first = await call(client, name, args);
  expect(structured(first), text(first)).toMatchObject({ status: "confirmation_required" });
  const { confirmationToken } = structured<{ confirmationToken: string }>(first);
  return call(client, name, { ...args, confirmationToken });
}

/** Reads straight from the sandbox over HTTP (not through the server), to check what it now holds. */
export async function sandboxGet(sandbox: Sandbox, path: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${sandbox.url}${path}`, {
    headers: { Authorization: `SSWS ${SANDBOX_CREDENTIALS.okta.apiToken}`, Accept: "application/json" },
  });
  const body = res.status === 204 ? undefined : await res.json();
  return { status: res.status, body };
}
