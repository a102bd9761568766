/**
 * The elicitation channel of the guard: asks the person through `elicitation/create` (form mode),
 * sent as part of the tool call's own request so it travels on the call's stream (mcp-notes §1.3),
 * with a bounded wait and progress heartbeats so clients that honour progress do not time out.
 */
import type { Server } from "@modelcontextprotocol/sdk/server/index.js";
import type { RequestHandlerExtra } from "@modelcontextprotocol/sdk/shared/protocol.js";
import type { ServerNotification, ServerRequest } from "@modelcontextprotocol/sdk/types.js";
import { type Answer, type ConfirmationChannel, NO_CHANNEL, previewText } from "./guard.js";
import type { Preview } from "./operation.js";

type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

const HEARTBEAT_MS = 10_000;

/** True when the client declared form elicitation (an empty `elicitation: {}` means form only). */
export function clientCanElicitForm(server: Server): boolean {
  const elicitation = server.getClientCapabilities()?.elicitation as
    | { form?: unknown; url?: unknown }
    | undefined;
  if (!elicitation) return false;
  return elicitation.form !== undefined || elicitation.url === undefined;
}

export function elicitationChannel(server: Server, extra: Extra, timeoutMs: number): ConfirmationChannel {
  if (!clientCanElicitForm(server)) return NO_CHANNEL;
  return {
    available: true,
    async ask(preview: Preview, tool: string): Promise<Answer> {
      const properties: Record<
        string,
        | { type: "boolean"; title: string; description: string }
        | { type: "string"; title: string; description: string }
      > = {
        confirm: {
          type: "boolean",
          title: "Make this change",
          description: "Tick to confirm the change described above.",
        },
      };
      const required = ["confirm"];
      if (preview.confirmName) {
        properties.name = {
          type: "string",
          title: "Type the name to confirm",
          description: `Type "${preview.confirmName}" exactly.`,
        };
        required.push("name");
      }
      const message = `${tool} wants to make this change:\n${previewText(preview)}`;
      const heartbeat = startHeartbeat(extra);
      try {
        const result = await server.elicitInput(
          { mode: "form", message, requestedSchema: { type: "object", properties, required } },
          { relatedRequestId: extra.requestId, timeout: timeoutMs, signal: extra.signal },
        );
        if (result.action === "decline") return "declined";
        if (result.action === "cancel") return "cancelled";
        const content = result.content ?? {};
        if (content.confirm !== true) return "declined";
        if (preview.confirmName && String(content.name ?? "").trim() !== preview.confirmName)
          return "declined";
        return "accepted";
      } catch (err) {
        return isTimeout(err) ? "timed_out" : "failed";
      } finally {
        heartbeat();
      }
    },
  };
}

function isTimeout(err: unknown): boolean {
  return err instanceof Error && /timed out|timeout/i.test(err.message);
}

/** Sends progress notifications while a person reads, when the caller asked for progress. */
function startHeartbeat(extra: Extra): () => void {
  const token = extra._meta?.progressToken;
  if (token === undefined) return () => {};
  let progress = 0;
  const timer = setInterval(() => {
    progress += 1;
    extra
      .sendNotification({
        method: "notifications/progress",
        params: { progressToken: token, progress, message: "Waiting for the user to confirm" },
      })
      .catch(() => {});
  }, HEARTBEAT_MS);
  timer.unref();
  return () => clearInterval(timer);
}
