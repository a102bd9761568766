/**
 * A world for the approval card and page tests: a sandbox on a loopback port, one pending-change store
 * (on a clock the test can move), a real loopback listener serving approval pages, and in-process servers
 * for clients of each kind (Apps, URL elicitation, form, token only), each connection its own caller.
 */
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import {
  type CallToolResult,
  ElicitationCompleteNotificationSchema,
  ElicitRequestSchema,
  type ElicitResult,
} from "@modelcontextprotocol/sdk/types.js";
import { type LoopbackApprovalPages, loopbackApprovalPages } from "../../src/cli/approval-listener.js";
import { FileAuditLog } from "../../src/guard/audit.js";
import type { ChannelKind } from "../../src/guard/channels.js";
import { ConfirmationTokens } from "../../src/guard/confirm-token.js";
import { PendingChanges } from "../../src/guard/pending.js";
import { APPROVAL_META } from "../../src/guard/results.js";
import { APP_MIME, APPS_EXTENSION } from "../../src/mcp/approval-card.js";
import { createServer } from "../../src/mcp/server.js";
import { sandboxEndpoints } from "../../src/providers/index.js";
import type { Sandbox } from "../../src/sandbox/index.js";
import { UpstreamClient } from "../../src/upstream/client.js";
import { allOperations } from "../../tools/index.js";
import { readAudit, tempDir, withSandbox } from "./harness.js";

export type ClientKind = "apps" | "url" | "form" | "token";

export const APPS_CAPABILITIES = { extensions: { [APPS_EXTENSION]: { mimeTypes: [APP_MIME] } } };

export const CAPABILITIES: Record<ClientKind, Record<string, unknown>> = {
  apps: APPS_CAPABILITIES,
  url: { elicitation: { url: {} } },
  form: { elicitation: { form: {} } },
  token: {},
};

/** What an approval card receives in a guarded result's `_meta`. */
export interface CardData {
  pendingId: string;
  secret: string;
  expiresAt: string;
  view: { summary: string; lines: { text: string }[]; confirmName?: string };
}

export function cardData(result: CallToolResult): CardData {
  const data = (result._meta as Record<string, unknown> | undefined)?.[APPROVAL_META];
  if (!data) throw new Error(`no approval card data in ${JSON.stringify(result).slice(0, 300)}`);
  return data as CardData;
}

export interface Connected {
  client: Client;
  /** URLs the client was asked to open (URL elicitation), in order. */
  urls: string[];
  /** The next URL the client is asked to open. */
  nextUrl(): Promise<string>;
  /** Ids of the elicitations the server said were complete. */
  completed: string[];
  close(): Promise<void>;
}

export interface ConnectOptions {
  kind: ClientKind;
  caller?: string;
  confirmChannel?: ChannelKind;
  /** How a URL client answers the request to open the page (default: accept). */
  consent?: ElicitResult["action"];
}

export interface ApprovalWorld {
  sandbox: Sandbox;
  auditLog: string;
  pending: PendingChanges;
  pages: LoopbackApprovalPages;
  /** Moves the store's and the tokens' clock. */
  advance(ms: number): void;
  connect(options: ConnectOptions): Promise<Connected>;
  writes(method: string, path: string): number;
  outcomes(tool: string): Promise<string[]>;
  close(): Promise<void>;
}

export const TTL_MS = 5 * 60_000;
const SECRET = Buffer.alloc(32, 7);

/** `pageIdleMs`: how long the page listener stays open once no page is needed. */
export async function approvalWorld(pageIdleMs = 10_000): Promise<ApprovalWorld> {
  const folder = await tempDir();
  const sandbox = await withSandbox();
  const upstream = new UpstreamClient({ providers: sandboxEndpoints(sandbox.url) });
  const auditLog = join(folder.path, "audit.jsonl");
  const audit = new FileAuditLog(auditLog);
  let offset = 0;
  const now = () => Date.now() + offset;
  const pending = new PendingChanges(TTL_MS, now);
  const tokens = new ConfirmationTokens(SECRET, TTL_MS, now);
  const pages = loopbackApprovalPages(pending, SECRET, () => {}, pageIdleMs);
  const closers: (() => Promise<void>)[] = [];

  return {
    sandbox,
    auditLog,
    pending,
    pages,
    advance: (ms) => {
      offset += ms;
    },
    async connect(options) {
      const server = createServer(
        {
          toolsets: ["okta", "atomicwork", "sailpoint-iiq"],
          readOnly: false,
          confirmCreates: false,
          elicitationTimeoutMs: 2_000,
          processCaller: options.caller ?? "test:alice",
          confirmChannel: options.confirmChannel,
        },
        {
          upstream,
          audit,
          tokens,
          onAuditError: (err) => {
            throw err;
          },
          operations: allOperations,
          pending,
          pageHost: pages,
        },
      );
      const client = new Client(
        { name: `approval-${options.kind}`, version: "1.0.0" },
        { capabilities: CAPABILITIES[options.kind] },
      );
      const urls: string[] = [];
      const unread: string[] = [];
      const waiters: ((url: string) => void)[] = [];
      const completed: string[] = [];
      if (options.kind === "url" || options.kind === "form") {
        client.setRequestHandler(ElicitRequestSchema, async (request) => {
          const params = request.params as { mode?: string; url?: string };
          if (params.mode === "url" && params.url) {
            urls.push(params.url);
            const waiter = waiters.shift();
            if (waiter) waiter(params.url);
            else unread.push(params.url);
            return { action: options.consent ?? "accept" };
          }
          return { action: "decline" };
        });
        client.setNotificationHandler(ElicitationCompleteNotificationSchema, (n) => {
          completed.push(n.params.elicitationId);
        });
      }
      const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
      await server.connect(serverSide);
      await client.connect(clientSide);
      const close = async () => {
        await client.close();
        await server.close();
      };
      closers.push(close);
      return {
        client,
        urls,
        completed,
        nextUrl: () => {
          const url = unread.shift();
          return url ? Promise.resolve(url) : new Promise((resolve) => waiters.push(resolve));
        },
        close,
      };
    },
    writes: (method, path) =>
      sandbox.requests.filter((r) => r.method === method && r.path === path && r.status < 300).length,
    outcomes: async (tool) =>
      (await readAudit(auditLog)).filter((l) => l.tool === tool).map((l) => l.outcome),
    async close() {
      for (const close of closers.splice(0).reverse()) await close().catch(() => {});
      await pages.shutdown();
      await upstream.close();
      await sandbox.close();
      await folder.cleanup();
    },
  };
}
