/**
 * The approval card channel (MCP Apps, `io.modelcontextprotocol/ui`): for a client that renders apps and
 * cannot show a form dialog, guarded tools name the card (`_meta.ui.resourceUri`) in its tools/list only;
 * a guarded call answers with the preview and no token, and the card the host renders approves or
 * declines through an app-only tool (`_meta.ui.visibility: ["app"]`) with the pending change's id and the
 * secret the card alone received (the result's `_meta`, which hosts give the app and not the model).
 *
 * What the server can verify: the secret, the caller, the expiry, that the change is decided once, and
 * that nothing the preview stated moved. What it cannot: that a call came from the card. The host hides
 * app-only tools from the model and keeps `_meta` out of its context; a model that sees only content and
 * structuredContent never holds the secret.
 */

import type { Server } from "@modelcontextprotocol/sdk/server/index.js";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CallToolResult, ListToolsResult } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { StoreUnavailable } from "../core/errors.js";
import type { AnyOperation } from "../core/operation.js";
import type { AuditSink } from "../guard/audit.js";
import type { Guard, GuardDecision } from "../guard/guard.js";
import type { PendingChanges } from "../guard/pending.js";
import { approvalProblem, approvalRefused, cancelled, storeUnavailable } from "../guard/results.js";
import { approvalCardHtml } from "./approval-card-html.js";
import { type Extra, registerOwnDocument, registerTool } from "./register.js";

export const APPS_EXTENSION = "io.modelcontextprotocol/ui";
export const APP_MIME = "text/html;profile=mcp-app";
export const CARD_URI = "ui://entitlement-mcp/approval-card.html";
export const DECIDE_TOOL = "decide_pending_change";

/** True when the client declared MCP Apps with HTML views. */
export function clientShowsApps(server: Server): boolean {
  const extensions = server.getClientCapabilities()?.extensions as Record<string, unknown> | undefined;
  const ui = extensions?.[APPS_EXTENSION] as { mimeTypes?: unknown } | undefined;
  return Array.isArray(ui?.mimeTypes) && ui.mimeTypes.includes(APP_MIME);
}

export interface ApprovalCardDeps {
  guard: Guard;
  pending: PendingChanges;
  audit: AuditSink;
  operations: readonly AnyOperation[];
  callerOf: (extra: Extra) => string;
  /** Runs an approved change the way every confirmed write runs (audit ahead, execute, audit after). */
  execute: (
    op: AnyOperation,
    input: Record<string, unknown>,
    decision: Extract<GuardDecision, { proceed: true }>,
    extra: Extra,
  ) => Promise<CallToolResult>;
}

const decideInput = z.object({
  pendingId: z.string().min(1).max(64).describe("The pending change's id, from the card."),
  secret: z.string().min(1).max(128).describe("The card's secret for this change."),
  decision: z.enum(["approve", "decline"]).describe("What the person chose."),
  confirmName: z.string().max(1000).optional().describe("For deletes: the name the person typed."),
});

/**
 * Registers the card's resource and app-only tool, both disabled; `enable()` offers them to a client that
 * confirms through cards.
 */
export function registerApprovalCard(server: McpServer, deps: ApprovalCardDeps): { enable(): void } {
  const resource = registerOwnDocument(
    server,
    "approval-card",
    CARD_URI,
    {
      title: "Approval card",
      description: "Shows a change that needs a person's approval, with Approve and Decline.",
      mimeType: APP_MIME,
    },
    { text: approvalCardHtml(DECIDE_TOOL), _meta: { ui: { prefersBorder: true } } },
  );
  const byName = new Map(deps.operations.map((op) => [op.name, op]));
  const tool = registerTool(
    server,
    DECIDE_TOOL,
    {
      title: "Approve or decline a pending change",
      description:
        "Called by the approval card when the person clicks Approve or Decline. Not for the assistant: it needs the card's secret.",
      inputSchema: decideInput,
      annotations: {
        readOnlyHint: false,
        destructiveHint: true,
        idempotentHint: false,
        openWorldHint: true,
      },
      _meta: { ui: { resourceUri: CARD_URI, visibility: ["app"] } },
    },
    (args, extra) => decide(args, extra, deps, byName),
  );
  tool.disable();
  return {
    enable() {
      resource.enable();
      tool.enable();
    },
  };
}

async function decide(
  args: z.infer<typeof decideInput>,
  extra: Extra,
  deps: ApprovalCardDeps,
  byName: ReadonlyMap<string, AnyOperation>,
): Promise<CallToolResult> {
  const caller = deps.callerOf(extra);
  const found = deps.pending.find(args.pendingId, args.secret, caller);
  const refuse = async (why: string, tool = DECIDE_TOOL, provider = "entitlement-mcp") => {
    await deps.audit.write({ tool, provider, caller, outcome: "rejected_approval", detail: why });
    return approvalRefused(why);
  };
  if (!found.ok) return refuse(approvalProblem(found.reason));
  const change = found.change;
  const op = byName.get(change.tool);
  if (!op) return refuse(approvalProblem("not_served"), change.tool);
  const typed = args.confirmName?.trim();
  if (
    args.decision === "approve" &&
    change.preview.confirmName !== undefined &&
    typed !== change.preview.confirmName
  ) {
    // Not spent: the person can type again on the same card.
    return refuse(approvalProblem("name"), op.name, op.provider);
  }
  let problem: Awaited<ReturnType<PendingChanges["decide"]>>;
  try {
    problem = await deps.pending.decide(change.id, args.decision);
  } catch (err) {
    if (!(err instanceof StoreUnavailable)) throw err;
    return storeUnavailable(op.name);
  }
  if (problem) return refuse(approvalProblem(problem), op.name, op.provider);
  const audited = {
    tool: op.name,
    provider: op.provider,
    args: change.args,
    caller,
    targetIds: change.preview.targetIds,
  };
  if (args.decision === "decline") {
    await deps.audit.write({
      ...audited,
      outcome: "declined",
      detail: `on the approval card: ${change.preview.summary}`,
    });
    return cancelled(change.preview, "declined", "card");
  }
  const decision = await deps.guard.confirmPending(op, change, { caller, signal: extra.signal });
  if (!decision.proceed) return decision.result;
  return deps.execute(op, change.args, decision, extra);
}

/** The tools/list of a client that confirms through cards: each guarded tool names the card. */
export function withCardResource(list: ListToolsResult, guarded: ReadonlySet<string>): ListToolsResult {
  return {
    ...list,
    tools: list.tools.map((tool) =>
      guarded.has(tool.name) ? { ...tool, _meta: { ...tool._meta, ui: { resourceUri: CARD_URI } } } : tool,
    ),
  };
}
