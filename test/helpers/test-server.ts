/**
 * One test server: a sandbox on a loopback port, a temporary folder holding the audit log, and the
 * clients connected to them (in-process, or the built bin over stdio or HTTP), all closed together.
 * `testServer()` registers the hooks (a fresh one for every test, or one for the file) and returns a
 * handle to whichever is current; `startTestServer()` starts one inside a test, closed when it finishes.
 */
import { join } from "node:path";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { afterAll, afterEach, beforeAll, beforeEach, onTestFinished } from "vitest";
import type { Sandbox, SandboxOptions } from "../../src/sandbox/index.js";
import {
  type AuditLine,
  type InProcessOptions,
  type InProcessSession,
  inProcessClient,
  readAudit,
  type SpawnedSession,
  type SpawnOptions,
  spawnHttpClient,
  spawnStdioClient,
  tempDir,
  withSandbox,
} from "./harness.js";

/** A client's options; the audit log defaults to the server's. */
export type ClientOptions = Omit<InProcessOptions, "auditLog"> & { auditLog?: string };

export interface TestServerOptions {
  /** One server for the whole file (or describe block) instead of a fresh one for every test. */
  perFile?: boolean;
  sandbox?: SandboxOptions;
  /** Puts something in front of the sandbox, e.g. a hostile upstream; the server talks to what it returns. */
  upstream?: (sandbox: Sandbox) => Promise<Sandbox>;
  /** The first in-process client's options, or false to start without one. */
  client?: ClientOptions | false;
}

export interface TestServer {
  readonly sandbox: Sandbox;
  /** The in-process client connected at start. */
  readonly client: Client;
  /** The temporary folder, removed at the end. */
  readonly dir: string;
  readonly auditLog: string;
  readAudit(): Promise<AuditLine[]>;
  /** The audited outcomes of `tool`, in order. */
  outcomes(tool: string): Promise<string[]>;
  /** Another in-process client of the same sandbox; closed with the server if the test does not. */
  connect(options?: ClientOptions): Promise<InProcessSession>;
  /** The built bin over stdio or Streamable HTTP, pointed at the sandbox; closed with the server. */
  spawn(transport: "http", options?: Partial<SpawnOptions>): Promise<SpawnedSession & { url: string }>;
  spawn(transport: "stdio" | "http", options?: Partial<SpawnOptions>): Promise<SpawnedSession>;
  /** Runs `cleanup` when the server closes, before the sandbox and the folder go. */
  onClose(cleanup: () => unknown): void;
  close(): Promise<void>;
}

async function openTestServer(options: TestServerOptions): Promise<TestServer> {
  const cleanups: (() => unknown)[] = [];
  const folder = await tempDir();
  cleanups.push(folder.cleanup);
  const started = await withSandbox(options.sandbox);
  const sandbox = options.upstream ? await options.upstream(started) : started;
  cleanups.push(() => sandbox.close());
  const auditLog = join(folder.path, "audit.jsonl");

  const server: TestServer = {
    sandbox,
    get client(): Client {
      if (!first) throw new Error("this test server was started without a client: call connect()");
      return first.client;
    },
    dir: folder.path,
    auditLog,
    readAudit: () => readAudit(auditLog),
    outcomes: async (tool) =>
      (await readAudit(auditLog)).filter((l) => l.tool === tool).map((l) => l.outcome),
    connect: async (clientOptions = {}) => {
      const session = await inProcessClient(sandbox, { auditLog, ...clientOptions });
      cleanups.push(session.close);
      return session;
    },
    spawn: (async (transport: "stdio" | "http", spawnOptions: Partial<SpawnOptions> = {}) => {
      const spawnWith = transport === "stdio" ? spawnStdioClient : spawnHttpClient;
      const session = await spawnWith(sandbox, { auditLog, ...spawnOptions });
      cleanups.push(session.close);
      return session;
    }) as TestServer["spawn"],
    onClose: (cleanup) => {
      cleanups.push(cleanup);
    },
    close: async () => {
      // Last opened, first closed; every cleanup runs, and the first failure (e.g. a leaked secret) is thrown.
      const failures: unknown[] = [];
      for (const cleanup of cleanups.splice(0).reverse()) {
        try {
          await cleanup();
        } catch (err) {
          failures.push(err);
        }
      }
      if (failures.length) throw failures[0];
    },
  };
  const first = options.client === false ? undefined : await server.connect(options.client);
  return server;
}

/** Starts a test server inside a test (e.g. with options of its own); it closes when the test finishes. */
export async function startTestServer(options: Omit<TestServerOptions, "perFile"> = {}): Promise<TestServer> {
  const server = await openTestServer(options);
  onTestFinished(() => server.close());
  return server;
}

/** Registers the hooks that start and close a test server; the handle reads whichever one is current. */
export function testServer(options: TestServerOptions = {}): TestServer {
  let current: TestServer | undefined;
  (options.perFile ? beforeAll : beforeEach)(async () => {
    current = await openTestServer(options);
  });
  (options.perFile ? afterAll : afterEach)(async () => {
    try {
      await current?.close();
    } finally {
      current = undefined;
    }
  });
  return new Proxy({} as TestServer, {
    get: (_target, key) => {
      if (!current) throw new Error("the test server runs inside tests and hooks only");
      return Reflect.get(current, key);
    },
  });
}
