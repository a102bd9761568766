/**
 * createServer: one McpServer with the operations of the enabled providers registered through the
 * registrar. Transports call it once (stdio) or per session (HTTP); tests call it in-process.
 */
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { RequestHandlerExtra } from "@modelcontextprotocol/sdk/shared/protocol.js";
import type { ServerNotification, ServerRequest } from "@modelcontextprotocol/sdk/types.js";
import { type AnyOperation, isMutating, type Provider } from "../core/operation.js";
import { VERSION } from "../core/version.js";
import type { AuditSink } from "../guard/audit.js";
import type { ChannelKind } from "../guard/channels.js";
import type { ConfirmationTokens } from "../guard/confirm-token.js";
import { Guard } from "../guard/guard.js";
import type { PendingChanges } from "../guard/pending.js";
import type { UpstreamClient } from "../upstream/client.js";
import type { ApprovalPageHost } from "./approval-page.js";
import { formAnswerValidator } from "./elicitation.js";
import { INSTRUCTIONS } from "./instructions.js";
import { PRERENDERED } from "./prerendered-tools.js";
import { registerPrompts } from "./prompts.js";
import { registerOperations } from "./registrar.js";
import { type Catalogs, registerCatalogs } from "./resources.js";
import { createRunner } from "./runner.js";
import { registerCatalogSearch } from "./search.js";
import { compactToolList } from "./tool-list.js";

type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

export interface ServerOptions {
  toolsets: readonly Provider[];
  readOnly: boolean;
  confirmCreates: boolean;
  elicitationTimeoutMs: number;
  /** Identity for tokens and audit when the transport has no authenticated subject. */
  processCaller: string;
  /**
   * False when no answer to a server-to-client request can come back to this server (stateless HTTP):
   * the guard then uses confirmation tokens only.
   */
  elicitation?: boolean;
  /** `--require-elicitation`: the same as `confirmChannel: "form"`. */
  requireElicitation?: boolean;
  /**
   * `--confirm-channel`: the weakest channel that may confirm (form, card, page, token; default token).
   * Tools that may need confirmation are offered only to clients that can confirm through an allowed one.
   */
  confirmChannel?: ChannelKind;
}

export interface ServerDeps {
  upstream: UpstreamClient;
  audit: AuditSink;
  tokens: ConfirmationTokens;
  onAuditError: (err: unknown) => void;
  /** The definitions to register from (the enabled providers' ones at least): allOperations or loadOperations. */
  operations: readonly AnyOperation[];
  /** Where approval cards' and pages' changes wait (one per process); without it, neither is offered. */
  pending?: PendingChanges;
  /** Where approval pages are served; without it, the page channel is not offered. */
  pageHost?: ApprovalPageHost;
  /**
   * Resolves once `operations` have their definitions (the bin's are stand-ins until then, see
   * tools/deferred.ts): a tools/list rendered live waits for it.
   */
  definitionsLoaded?: () => Promise<void>;
}

/** The operations a server with these options registers: enabled providers, and reads only when read-only. */
export function selectOperations(
  operations: readonly AnyOperation[],
  options: Pick<ServerOptions, "toolsets" | "readOnly">,
): AnyOperation[] {
  return operations.filter(
    (op) => options.toolsets.includes(op.provider) && !(options.readOnly && isMutating(op)),
  );
}

export function createServer(options: ServerOptions, deps: ServerDeps): McpServer {
  const server = new McpServer(
    { name: "entitlement-mcp", title: "Entitlement MCP", version: VERSION },
    // A cap on array elements plus object members per call: no real call comes near it.
    {
      instructions: INSTRUCTIONS,
      capabilities: { logging: {} },
      maxToolInputElements: 10_000,
      // Answers are checked against the guard's own forms; no Ajv per server (see formAnswerValidator).
      jsonSchemaValidator: formAnswerValidator,
    },
  );
  const guard = new Guard({
    upstream: deps.upstream,
    tokens: deps.tokens,
    audit: deps.audit,
    pending: deps.pending,
    options: {
      confirmCreates: options.confirmCreates,
      requireElicitation: options.requireElicitation ?? false,
      weakestChannel: options.confirmChannel ?? "token",
    },
  });
  const operations = selectOperations(deps.operations, options);
  let catalogs: Catalogs | undefined;
  const registered = registerOperations(server, operations, {
    upstream: deps.upstream,
    guard,
    audit: deps.audit,
    elicitationTimeoutMs: options.elicitationTimeoutMs,
    elicitation: options.elicitation ?? true,
    confirmCreates: options.confirmCreates,
    pending: deps.pending,
    pageHost: deps.pageHost,
    callerOf: (extra: Extra) => callerOf(extra, options.processCaller),
    onAuditError: deps.onAuditError,
    onChanged: (op) => catalogs?.changed(op.provider),
  });
  const runner = createRunner(operations, deps.upstream);
  catalogs = registerCatalogs(server, runner);
  const tools = new Set(operations.map((op) => op.name));
  if (registerCatalogSearch(server, runner)) tools.add("search_entitlements");
  registerPrompts(server, runner, tools);
  // Build-time entries match only the default options: --confirm-creates changes the create tools.
  // A client that confirms through approval cards sees its guarded tools name the card; the list other
  // clients get is untouched.
  compactToolList(
    server,
    options.confirmCreates ? {} : PRERENDERED,
    registered.decorateToolList,
    deps.definitionsLoaded,
  );
  return server;
}

/** The authenticated HTTP subject when there is one, else the process identity (stdio). */
function callerOf(extra: Extra, processCaller: string): string {
  const auth = extra.authInfo;
  if (!auth) return processCaller;
  const sub = (auth.extra as { sub?: unknown } | undefined)?.sub;
  return `http:${typeof sub === "string" ? sub : auth.clientId}`;
}
