/**
 * The one pipeline every operation goes through (style.md §6.4): guard, upstream call, result shaping,
 * audit, one catch. It knows no provider and no tool by name; handlers are never written per tool.
 */
import type { Server } from "@modelcontextprotocol/sdk/server/index.js";
import type { McpServer, RegisteredTool } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CallToolResult, ListToolsResult } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { RateLimitedError, secondsText, toToolResult, UpstreamError } from "../core/errors.js";
import { type AnyOperation, isMutating, mayNeedConfirmation, PROVIDER_NAMES } from "../core/operation.js";
import type { AuditSink } from "../guard/audit.js";
import type { ChannelKind } from "../guard/channels.js";
import {
  type ConfirmationChannel,
  type Guard,
  type GuardDecision,
  previewText,
  TOKEN_CHANNEL,
} from "../guard/guard.js";
import type { PendingChanges } from "../guard/pending.js";
import type { UpstreamClient } from "../upstream/client.js";
import type { WaitReport } from "../upstream/rate-limit.js";
import { clientShowsApps, registerApprovalCard, withCardResource } from "./approval-card.js";
import { type ApprovalPageHost, type PageChannel, pageChannel } from "./approval-page.js";
import { clientCanElicitForm, clientCanElicitUrl, elicitationChannel } from "./elicitation.js";
import { executeOperation, type OperationOutcome } from "./execute.js";
import { cleanText } from "./exit.js";
import { type Extra, registerTool } from "./register.js";

export interface RegistrarDeps {
  upstream: UpstreamClient;
  guard: Guard;
  audit: AuditSink;
  elicitationTimeoutMs: number;
  /**
   * False: no request can be answered during a call and no session remembers the client (stateless HTTP):
   * confirmation tokens only.
   */
  elicitation: boolean;
  /** `--confirm-creates`: creates need confirmation too (widens the guard; it never narrows). */
  confirmCreates: boolean;
  /** Where approval cards' and pages' changes wait; without it neither channel is offered. */
  pending?: PendingChanges;
  /** Where approval pages are served; without it the page channel is not offered. */
  pageHost?: ApprovalPageHost;
  /** Who is calling: the HTTP auth subject, or this stdio process. Tokens and audit lines bind to it. */
  callerOf: (extra: Extra) => string;
  /** Where an audit line that could not be written after a completed write is reported. */
  onAuditError: (err: unknown) => void;
  /** Told after every completed write, so catalogs can refresh and notify subscribers. */
  onChanged?: (op: AnyOperation, input: Record<string, unknown>) => void;
}

/** Explained once in the server's instructions (instructions.ts), not in every guarded tool. */
const confirmationTokenField = z.string().min(1).max(4096).optional();

/** What the SDK holds as a tool's schemas until they are first read (see buildOnFirstRead). */
const UNBUILT = z.object({});

/** What the server needs from the registration: the tools/list as this client should see it. */
export interface Registered {
  decorateToolList(list: ListToolsResult): ListToolsResult;
}

export function registerOperations(
  server: McpServer,
  operations: readonly AnyOperation[],
  deps: RegistrarDeps,
): Registered {
  const confirmable: RegisteredTool[] = [];
  const guarded = new Set<string>();
  for (const op of operations) {
    if (isMutating(op) && op.guard === "none") {
      // Every write passes the guard, which decides by its effect: a write without a policy is a bug.
      throw new Error(`${op.name} changes upstream state but has no guard policy`);
    }
    const mayConfirm = isConfirmable(op, deps.confirmCreates);
    // A server that can never ask (stateless HTTP) offers nothing that needs asking when tokens are refused.
    if (mayConfirm && !deps.guard.tokensAllowed && !deps.elicitation) continue;
    const tool = registerOperation(server, op, deps);
    if (mayConfirm) {
      confirmable.push(tool);
      guarded.add(op.name);
    }
  }
  const card =
    deps.pending && deps.elicitation && confirmable.length > 0
      ? registerApprovalCard(server, {
          guard: deps.guard,
          pending: deps.pending,
          audit: deps.audit,
          operations,
          callerOf: deps.callerOf,
          execute: (op, input, decision, extra) => executeDecided(op, input, decision, extra, deps),
        })
      : undefined;
  let kind: ChannelKind = "token";
  if (confirmable.length > 0) {
    // Client capabilities are known once it has initialised: offer what it can confirm through, hide
    // what it could never confirm (as GitHub's server hides delete_repository).
    const previous = server.server.oninitialized;
    server.server.oninitialized = () => {
      previous?.();
      kind = channelKindOf(server.server, deps);
      if (!deps.guard.allows(kind)) for (const tool of confirmable) tool.disable();
      else if (kind === "card") card?.enable();
    };
  }
  return {
    decorateToolList: (list) => (kind === "card" && card ? withCardResource(list, guarded) : list),
  };
}

/**
 * The strongest channel this client can confirm through (channels.ts): the one it will use, and the only
 * one (no downgrade).
 */
export function channelKindOf(
  server: Server,
  deps: Pick<RegistrarDeps, "elicitation" | "pending" | "pageHost">,
): ChannelKind {
  if (!deps.elicitation) return "token";
  if (clientCanElicitForm(server)) return "form";
  if (deps.pending && clientShowsApps(server)) return "card";
  if (deps.pending && deps.pageHost && clientCanElicitUrl(server)) return "page";
  return "token";
}

function channelFor(server: McpServer, extra: Extra, deps: RegistrarDeps): ConfirmationChannel {
  const kind = channelKindOf(server.server, deps);
  if (kind === "form") return elicitationChannel(server.server, extra, deps.elicitationTimeoutMs);
  if (kind === "page" && deps.pending && deps.pageHost) {
    return pageChannel(server.server, extra, deps.pending, deps.pageHost);
  }
  if (kind === "card") return { kind: "card" };
  return TOKEN_CHANNEL;
}

/** True when the operation can need a person's confirmation under these options (it then takes a token). */
export function isConfirmable(op: AnyOperation, confirmCreates: boolean): boolean {
  return op.guard !== "none" && mayNeedConfirmation(op.guard, { confirmCreates });
}

/**
 * Fields a guarded tool's result may carry instead of the upstream object: SDK clients validate
 * `structuredContent` against the output schema even on error results, so the schema must admit them.
 */
const guardResultFields = {
  // A string, not an enum: grants and bundles have a `status` of their own.
  status: z
    .string()
    .optional()
    .describe("On a refusal: confirmation_required, declined, cancelled, rejected_token or stale_target."),
  preview: z
    .looseObject({ summary: z.string(), details: z.array(z.string()).optional() })
    .optional()
    .describe("The change awaiting confirmation."),
  confirmationToken: z.string().optional().describe("Pass back only after the user agreed to the preview."),
  expiresAt: z.string().optional(),
  reason: z.string().optional(),
};

/** The output schema a client sees: operations that may need confirmation may also answer with a guard result. */
export function toolOutputSchema(op: AnyOperation, confirmCreates: boolean) {
  if (!isConfirmable(op, confirmCreates)) return op.output;
  return z.looseObject({ ...op.output.partial().shape, ...guardResultFields });
}

/** The input schema a client sees: operations that may need confirmation also take `confirmationToken`. */
export function toolInputSchema(op: AnyOperation, confirmCreates: boolean) {
  return isConfirmable(op, confirmCreates)
    ? op.input.safeExtend({ confirmationToken: confirmationTokenField })
    : op.input;
}

function registerOperation(server: McpServer, op: AnyOperation, deps: RegistrarDeps): RegisteredTool {
  const tool = registerTool(
    server,
    op.name,
    {
      title: op.title,
      description: op.description,
      // Built on first read (below): a start serves the tools/list rendered at build time, and the bin's
      // operations have no schemas before their definitions load (tools/deferred.ts).
      inputSchema: UNBUILT,
      outputSchema: UNBUILT,
      annotations: { title: op.title, ...op.annotations },
    },
    async (args: Record<string, unknown>, extra: Extra): Promise<CallToolResult> => {
      // THE one catch: every failure becomes a tool result that says what failed; never rethrow.
      try {
        return await runOperation(server, op, args, extra, deps);
      } catch (err) {
        return toToolResult(err);
      }
    },
  );
  buildOnFirstRead(tool, "inputSchema", () => toolInputSchema(op, deps.confirmCreates));
  buildOnFirstRead(tool, "outputSchema", () => toolOutputSchema(op, deps.confirmCreates));
  return tool;
}

/**
 * Makes `tool[key]` the schema `build` returns, built when the SDK first reads it (the first call, or a
 * live tools/list) rather than at start; the SDK's own updates still replace it.
 */
function buildOnFirstRead<K extends "inputSchema" | "outputSchema">(
  tool: RegisteredTool,
  key: K,
  build: () => NonNullable<RegisteredTool[K]>,
): void {
  let value: RegisteredTool[K] | undefined;
  Object.defineProperty(tool, key, {
    configurable: true,
    enumerable: true,
    get: () => {
      value ??= build();
      return value;
    },
    set: (next: RegisteredTool[K]) => {
      value = next;
    },
  });
}

async function runOperation(
  server: McpServer,
  op: AnyOperation,
  args: Record<string, unknown>,
  extra: Extra,
  deps: RegistrarDeps,
): Promise<CallToolResult> {
  const { confirmationToken, ...input } = args as { confirmationToken?: string } & Record<string, unknown>;
  if (op.guard === "none") {
    const outcome = await executeOperation(deps.upstream, op, input, extra.signal, progressReporter(extra));
    return resultOf(op, outcome, input);
  }

  // Every write passes the guard: it computes the effect and decides whether a person must confirm.
  const caller = deps.callerOf(extra);
  const channel = channelFor(server, extra, deps);
  let result: CallToolResult;
  try {
    const decision = await deps.guard.check(op, input, confirmationToken, {
      caller,
      channel,
      signal: extra.signal,
    });
    result = decision.proceed ? await executeDecided(op, input, decision, extra, deps) : decision.result;
  } catch (err) {
    result = toToolResult(err);
  }
  // An approval page shows how the call ended.
  (channel as Partial<PageChannel>).report?.(result);
  return result;
}

/**
 * A write the guard let through: audited ahead (`executing`), sent upstream, audited after (`executed` or
 * `failed`). The tool call and the approval card's tool both end here.
 */
export async function executeDecided(
  op: AnyOperation,
  input: Record<string, unknown>,
  decision: Extract<GuardDecision, { proceed: true }>,
  extra: Extra,
  deps: RegistrarDeps,
): Promise<CallToolResult> {
  const caller = deps.callerOf(extra);
  const auditBase = {
    tool: op.name,
    provider: op.provider,
    targetIds: decision.preview.targetIds,
    args: input,
    caller,
  };
  // Written ahead: a crash between the write and its outcome still leaves evidence. No line, no write.
  await deps.audit.write({ ...auditBase, outcome: "executing", detail: decision.outcome });
  let outcome: OperationOutcome;
  try {
    outcome = await executeOperation(deps.upstream, op, input, extra.signal, progressReporter(extra));
  } catch (err) {
    const upstream = err instanceof UpstreamError ? err : undefined;
    // A rate-limit fail-fast happens before the write is sent: the trail says it never went.
    const notSent = err instanceof RateLimitedError ? "not sent: " : "";
    await deps.audit
      .write({
        ...auditBase,
        outcome: "failed",
        upstreamStatus: upstream?.status,
        requestId: upstream?.requestId,
        detail: err instanceof Error ? `${notSent}${err.message}`.slice(0, 300) : "unknown error",
      })
      .catch(deps.onAuditError);
    if (err instanceof RateLimitedError) return rateLimitedWrite(op, err);
    throw err;
  }
  // The change is done: a failing audit disk must not turn it into an error the model would retry.
  await deps.audit
    .write({
      ...auditBase,
      outcome: "executed",
      upstreamStatus: outcome.response.status,
      requestId: outcome.response.requestId,
    })
    .catch(deps.onAuditError);
  deps.onChanged?.(op, input);
  const result = resultOf(op, outcome, input);
  // A request went in without asking here (an approver decides upstream): what the guard saw, its
  // separation-of-duties lines included, still reaches the person through the assistant.
  if (decision.outcome === "not_required" && decision.preview.effects.some((e) => e.kind === "request")) {
    result.content.push({
      type: "text",
      text: `Filed without confirmation here: an approver decides in ${PROVIDER_NAMES[op.provider]}. Tell the user what the preview found:\n${previewText(decision.preview)}`,
    });
  }
  return result;
}

/** A confirmed write the rate limit had no slot for: the confirmation is spent, so a retry asks again. */
function rateLimitedWrite(op: AnyOperation, err: RateLimitedError): CallToolResult {
  const text =
    `${PROVIDER_NAMES[err.provider]}'s rate limit: the next slot is in ${secondsText(err.retryAfterMs)}; ` +
    `call ${op.name} again then, without a confirmationToken (the confirmation given was used up and is ` +
    "asked for again). Nothing was changed.";
  return { isError: true, content: [{ type: "text", text }] };
}

/** The result as the upstream gave it: the exit (registerTool's wrapper) cleans and bounds it on the way out. */
function resultOf(
  op: AnyOperation,
  outcome: OperationOutcome,
  input: Record<string, unknown>,
): CallToolResult {
  return {
    content: [{ type: "text", text: summaryOf(op, outcome.structured, input) }],
    structuredContent: outcome.structured,
  };
}

/** Turns upstream waits (rate limits, retries) into progress notifications when the caller asked for them. */
function progressReporter(extra: Extra): ((wait: WaitReport) => void) | undefined {
  const token = extra._meta?.progressToken;
  if (token === undefined) return undefined;
  let progress = 0;
  return (wait) => {
    progress += 1;
    extra
      .sendNotification({
        method: "notifications/progress",
        params: {
          progressToken: token,
          progress,
          message: cleanText(`${wait.reason}: ${Math.ceil(wait.ms / 1000)} s`),
        },
      })
      .catch(() => {});
  };
}

/**
 * The text block of a result. A summariser that trips over an unexpected upstream shape must not turn a
 * completed write into an error the model would retry, so it falls back to a plain line.
 */
function summaryOf(
  op: AnyOperation,
  structured: Record<string, unknown>,
  input: Record<string, unknown>,
): string {
  try {
    return op.summarize(structured as never, input as never);
  } catch {
    const items = structured.items;
    return Array.isArray(items) ? `${op.title}: ${items.length} item(s).` : `${op.title}: done.`;
  }
}
