/**
 * The approval page channel (URL-mode elicitation, MCP 2025-11-25): for a client that can open a URL for
 * the person but cannot show a form, the server keeps the change pending, asks the client to open a page
 * it hosts (`elicitation/create`, mode url; the client shows the URL and opens it where the model cannot
 * see or drive it), and the tool call waits until the person approves or declines there, or the change
 * expires. The page's URL carries the change's id and secret: it is the credential (a browser carries no
 * MCP bearer token), single use, bound to this change and its caller, and expiring with it. The page itself
 * is served by the CLI (src/cli/approval-routes.ts), over --http under the server's origin, over stdio on a
 * loopback listener opened on demand.
 */
import type { Server } from "@modelcontextprotocol/sdk/server/index.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { Preview } from "../core/operation.js";
import type { Answer, ChangeToConfirm, ConfirmationChannel } from "../guard/guard.js";
import type { PendingChanges, Awaited as WaitResult } from "../guard/pending.js";
import { startHeartbeat } from "./elicitation.js";
import { cleanText } from "./exit.js";
import type { Extra } from "./register.js";

/** Where approval pages are served: a URL for a change, and word when its page is no longer needed. */
export interface ApprovalPageHost {
  /** The page of pending change `id`, opening a listener first if there is none. */
  open(id: string, secret: string): Promise<string>;
  /** The call that waited for change `id` ended. */
  close(id: string): void;
}

/** A page channel also hears how its call ended, for the page that approved it to show. */
export interface PageChannel extends ConfirmationChannel {
  report(result: CallToolResult): void;
}

type Consent = { kind: "consent"; action: string } | { kind: "error"; reason: string };

export function pageChannel(
  server: Server,
  extra: Extra,
  pending: PendingChanges,
  host: ApprovalPageHost,
): PageChannel {
  let id: string | undefined;
  return {
    kind: "page",
    async ask(preview: Preview, tool: string, change: ChangeToConfirm): Promise<Answer> {
      if (!pending.ready())
        return { outcome: "failed", reason: "could not open: the confirmation store is unavailable" };
      const created = pending.create({ channel: "page", tool, preview, ...change });
      id = created.change.id;
      let url: string;
      try {
        url = await host.open(created.change.id, created.secret);
      } catch (err) {
        return {
          outcome: "failed",
          reason: `could not open (${err instanceof Error ? err.message : "no listener"})`,
        };
      }
      const stop = new AbortController();
      const onAbort = () => stop.abort();
      extra.signal.addEventListener("abort", onAbort, { once: true });
      const heartbeat = startHeartbeat(extra);
      const decided = pending.waitForDecision(created.change.id, stop.signal);
      const message = cleanText(
        `${tool} needs your approval. Open the page to review this change and approve or decline it: ${preview.summary}`,
      );
      const consent: Promise<Consent> = server
        .elicitInput(
          { mode: "url", message, url, elicitationId: created.change.id },
          {
            relatedRequestId: extra.requestId,
            timeout: Math.max(1, created.change.expiresAt - Date.now()),
            signal: stop.signal,
          },
        )
        .then(
          (result) => ({ kind: "consent" as const, action: result.action }),
          (err: unknown) => ({
            kind: "error" as const,
            reason: err instanceof Error ? err.message.slice(0, 120) : "no answer",
          }),
        );
      try {
        const first = await Promise.race([decided.then((d) => ({ kind: "decision" as const, d })), consent]);
        let result: WaitResult;
        if (first.kind === "decision") result = first.d;
        else if (first.kind === "consent" && first.action === "accept") result = await decided;
        else if (first.kind === "consent") {
          return first.action === "decline" ? { outcome: "declined" } : { outcome: "cancelled" };
        } else {
          // The client could not show the URL: the page may still be answered before it expires.
          result = await decided;
          if (result === "expired")
            return { outcome: "failed", reason: `could not be shown (${first.reason})` };
        }
        if (result === "approve" || result === "decline") {
          // The out-of-band interaction is over: tell the client, on the call's own stream.
          void server
            .createElicitationCompletionNotifier(created.change.id, { relatedRequestId: extra.requestId })()
            .catch(() => {});
        }
        if (result === "approve") return { outcome: "accepted" };
        if (result === "decline") return { outcome: "declined" };
        if (result === "expired") return { outcome: "timed_out", reason: "expired before the user decided" };
        return { outcome: "failed", reason: "was abandoned: the call was cancelled" };
      } finally {
        heartbeat();
        extra.signal.removeEventListener("abort", onAbort);
        stop.abort();
      }
    },
    report(result: CallToolResult) {
      if (id === undefined) return;
      const text = result.content
        .filter((c): c is { type: "text"; text: string } => c.type === "text")
        .map((c) => c.text)
        .join("\n");
      pending.settle(id, { ok: !result.isError, text: cleanText(text) });
      pending.close(id);
      host.close(id);
    },
  };
}
