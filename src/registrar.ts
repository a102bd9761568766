/**
 * The one pipeline every operation goes through (style.md §6.4): guard, upstream call, result shaping,
 * audit, one catch. It knows no provider and no tool by name; handlers are never written per tool.
 */
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { RequestHandlerExtra } from "@modelcontextprotocol/sdk/shared/protocol.js";
import type { CallToolResult, ServerNotification, ServerRequest } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import type { AuditSink } from "./audit.js";
import { elicitationChannel } from "./elicitation.js";
import { redactData, redactSecrets, toToolResult, UpstreamError } from "./errors.js";
import { cleanText } from "./exit.js";
import { type Guard, NO_CHANNEL } from "./guard.js";
import { registerTool } from "./mcp-register.js";
import {
  type AnyOperation,
  type GuardPolicy,
  isMutating,
  parseRoute,
  type QueryValue,
  type RequestParts,
} from "./operation.js";
import { toPage } from "./paging.js";
import type { WaitReport } from "./rate-limit.js";
import { sanitizeData, sanitizeText } from "./sanitize.js";
import type { UpstreamClient, UpstreamResponse } from "./upstream.js";

type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

export interface RegistrarDeps {
  upstream: UpstreamClient;
  guard: Guard;
  audit: AuditSink;
  elicitationTimeoutMs: number;
  /** False: never ask through elicitation (stateless HTTP); confirmation tokens only. */
  elicitation: boolean;
  /** `--confirm-creates`: guard every write that has no policy of its own. */
  confirmCreates: boolean;
  /** Who is calling: the HTTP auth subject, or this stdio process. Tokens and audit lines bind to it. */
  callerOf: (extra: Extra) => string;
  /** Where an audit line that could not be written after a completed write is reported. */
  onAuditError: (err: unknown) => void;
  /** Told after every completed write, so catalogs can refresh and notify subscribers. */
  onChanged?: (op: AnyOperation, input: Record<string, unknown>) => void;
}

const confirmationTokenField = z
  .string()
  .min(1)
  .max(4096)
  .optional()
  .describe("The token of a confirmation_required preview the user agreed to.");

export function registerOperations(
  server: McpServer,
  operations: readonly AnyOperation[],
  deps: RegistrarDeps,
) {
  for (const op of operations) registerOperation(server, op, deps);
}

/** The guard policy in force for an operation: its own, a widened one, or none. */
export function effectivePolicy(
  op: AnyOperation,
  confirmCreates: boolean,
): GuardPolicy<Record<string, unknown>> | undefined {
  if (op.guard !== "none") return op.guard as GuardPolicy<Record<string, unknown>>;
  if (confirmCreates && isMutating(op)) return widenedPolicy(op);
  return undefined;
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

/** The output schema a client sees: guarded operations may also answer with a guard result. */
export function toolOutputSchema(op: AnyOperation, confirmCreates: boolean) {
  if (!effectivePolicy(op, confirmCreates)) return op.output;
  return z.looseObject({ ...op.output.partial().shape, ...guardResultFields });
}

/** The input schema a client sees: guarded operations also take `confirmationToken`. */
export function toolInputSchema(op: AnyOperation, confirmCreates: boolean) {
  return effectivePolicy(op, confirmCreates)
    ? op.input.safeExtend({ confirmationToken: confirmationTokenField })
    : op.input;
}

function registerOperation(server: McpServer, op: AnyOperation, deps: RegistrarDeps) {
  const policy = effectivePolicy(op, deps.confirmCreates);
  const guardedOp: AnyOperation = policy ? { ...op, guard: policy } : op;
  registerTool(
    server,
    op.name,
    {
      title: op.title,
      description: op.description,
      inputSchema: toolInputSchema(op, deps.confirmCreates),
      outputSchema: toolOutputSchema(op, deps.confirmCreates),
      annotations: { title: op.title, ...op.annotations },
    },
    async (args: Record<string, unknown>, extra: Extra): Promise<CallToolResult> => {
      // THE one catch: every failure becomes a tool result that says what failed; never rethrow.
      try {
        return await runOperation(server, guardedOp, args, extra, deps);
      } catch (err) {
        return toToolResult(err);
      }
    },
  );
}

async function runOperation(
  server: McpServer,
  op: AnyOperation,
  args: Record<string, unknown>,
  extra: Extra,
  deps: RegistrarDeps,
): Promise<CallToolResult> {
  const { confirmationToken, ...input } = args as { confirmationToken?: string } & Record<string, unknown>;
  const caller = deps.callerOf(extra);
  let targetIds: string[] | undefined;
  if (op.guard !== "none") {
    const channel = deps.elicitation
      ? elicitationChannel(server.server, extra, deps.elicitationTimeoutMs)
      : NO_CHANNEL;
    const decision = await deps.guard.check(op, input, confirmationToken, {
      caller,
      channel,
      signal: extra.signal,
    });
    if (!decision.proceed) return decision.result;
    targetIds = decision.preview.targetIds;
  }

  const audited = isMutating(op);
  const auditBase = { tool: op.name, provider: op.provider, targetIds, args: input, caller };
  let outcome: OperationOutcome;
  try {
    outcome = await executeOperation(deps.upstream, op, input, extra.signal, progressReporter(extra));
  } catch (err) {
    if (audited) {
      const upstream = err instanceof UpstreamError ? err : undefined;
      await deps.audit
        .write({
          ...auditBase,
          outcome: "failed",
          upstreamStatus: upstream?.status,
          requestId: upstream?.requestId,
          detail: err instanceof Error ? err.message.slice(0, 300) : "unknown error",
        })
        .catch(deps.onAuditError);
    }
    throw err;
  }
  const { response } = outcome;
  const structured = redactData(sanitizeData(outcome.structured));
  if (audited) {
    // The change is done: a failing audit disk must not turn it into an error the model would retry.
    await deps.audit
      .write({
        ...auditBase,
        outcome: "executed",
        upstreamStatus: response.status,
        requestId: response.requestId,
      })
      .catch(deps.onAuditError);
    deps.onChanged?.(op, input);
  }
  return {
    content: [{ type: "text", text: redactSecrets(sanitizeText(summaryOf(op, structured, input))) }],
    structuredContent: structured,
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

export interface OperationOutcome {
  response: UpstreamResponse;
  structured: Record<string, unknown>;
}

/**
 * Sends one operation upstream and shapes the answer, without guard or audit: the registrar's core,
 * reused by resources and the cross-provider search for reads. `input` must already be parsed.
 */
export async function executeOperation(
  upstream: UpstreamClient,
  op: AnyOperation,
  input: Record<string, unknown>,
  signal?: AbortSignal,
  onWait?: (wait: WaitReport) => void,
): Promise<OperationOutcome> {
  const response = await upstream.request(op.provider, op.route, buildRequest(op, input), {
    signal,
    // Reads and idempotent writes may be re-sent after a transient failure; other writes never are.
    idempotent: op.annotations.readOnlyHint || op.annotations.idempotentHint,
    onWait,
  });
  return { response, structured: shapeResult(op, response.body, response.headers, input) };
}

/**
 * The default input mapping (DESIGN §2.3): route params from the input; the rest into the query for
 * GET and DELETE and into the JSON body otherwise. An operation's `request` hook replaces any part.
 */
export function buildRequest(op: AnyOperation, input: Record<string, unknown>): RequestParts {
  const { method, params } = parseRoute(op.route);
  const path: Record<string, string> = {};
  const rest: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    if (params.includes(key)) path[key] = String(value);
    else if (value !== undefined) rest[key] = value;
  }
  const inQuery = method === "GET" || method === "DELETE";
  const defaults: RequestParts = inQuery
    ? { path, query: rest as Record<string, QueryValue> }
    : { path, query: {}, body: rest };
  if (!op.request) return defaults;
  const custom = op.request(input);
  return {
    path: custom.path ?? defaults.path,
    query: custom.query ?? defaults.query,
    body: "body" in custom ? custom.body : defaults.body,
  };
}

function shapeResult(
  op: AnyOperation,
  body: unknown,
  headers: Record<string, string | string[] | undefined>,
  input: Record<string, unknown>,
): Record<string, unknown> {
  if (op.shape) return op.shape(body, input) as Record<string, unknown>;
  if (op.paging) {
    const page = toPage(op.paging, body, headers);
    const out: Record<string, unknown> = { items: page.items };
    if (page.nextCursor !== undefined) out.nextCursor = page.nextCursor;
    if (page.total !== undefined) out.total = page.total;
    return out;
  }
  return body && typeof body === "object" && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
}

/** `--confirm-creates`: a preview for writes that have no policy of their own (no reads needed). */
function widenedPolicy(op: AnyOperation): GuardPolicy<Record<string, unknown>> {
  return {
    kind: "update",
    reads: [],
    preview: (input) => ({
      required: true,
      summary: `${op.title} (${op.name}) with these arguments:`,
      details: Object.entries(input)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => `${k}: ${typeof v === "string" ? v : JSON.stringify(v)}`.slice(0, 300)),
      targetIds: [],
    }),
  };
}
