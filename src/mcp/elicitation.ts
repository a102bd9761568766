/**
 * The elicitation channel of the guard: asks the person through `elicitation/create` (form mode),
 * sent as part of the tool call's own request so it travels on the call's stream (mcp-notes §1.3),
 * with a bounded wait and progress heartbeats so clients that honour progress do not time out.
 */
import type { Server } from "@modelcontextprotocol/sdk/server/index.js";
import type { RequestHandlerExtra } from "@modelcontextprotocol/sdk/shared/protocol.js";
import type { ServerNotification, ServerRequest } from "@modelcontextprotocol/sdk/types.js";
import type {
  JsonSchemaType,
  JsonSchemaValidator,
  jsonSchemaValidator,
} from "@modelcontextprotocol/sdk/validation/index.js";
import type { Preview } from "../core/operation.js";
import { type Answer, type ConfirmationChannel, previewText, TOKEN_CHANNEL } from "../guard/guard.js";
import { cleanText } from "./exit.js";

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

/** True when the client declared URL-mode elicitation (it can open a page the server hosts). */
export function clientCanElicitUrl(server: Server): boolean {
  const elicitation = server.getClientCapabilities()?.elicitation as { url?: unknown } | undefined;
  return elicitation?.url !== undefined;
}

export function elicitationChannel(server: Server, extra: Extra, timeoutMs: number): ConfirmationChannel {
  if (!clientCanElicitForm(server)) return TOKEN_CHANNEL;
  return {
    kind: "form",
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
          description: cleanText(`Type "${preview.confirmName}" exactly.`),
        };
        required.push("name");
      }
      const message = cleanText(`${tool} wants to make this change:\n${previewText(preview)}`);
      const heartbeat = startHeartbeat(extra);
      try {
        const result = await server.elicitInput(
          { mode: "form", message, requestedSchema: { type: "object", properties, required } },
          { relatedRequestId: extra.requestId, timeout: timeoutMs, signal: extra.signal },
        );
        if (result.action === "decline") return { outcome: "declined" };
        if (result.action === "cancel") return { outcome: "cancelled" };
        if (result.action !== "accept")
          return { outcome: "failed", reason: "answered with an unknown action" };
        const content = result.content ?? {};
        if (content.confirm === false) return { outcome: "declined" };
        if (content.confirm !== true) return { outcome: "failed", reason: "answered without a yes or no" };
        if (
          preview.confirmName &&
          (typeof content.name !== "string" || content.name.trim() !== preview.confirmName)
        )
          return { outcome: "failed", reason: "answered with a name that does not match" };
        return { outcome: "accepted" };
      } catch (err) {
        return isTimeout(err)
          ? { outcome: "timed_out", reason: "timed out" }
          : {
              outcome: "failed",
              reason: `failed (${err instanceof Error ? err.message.slice(0, 120) : "no answer"})`,
            };
      } finally {
        heartbeat();
      }
    },
  };
}

type FieldType = "boolean" | "string";
const FIELD_KEYS = new Set(["type", "title", "description"]);

/**
 * Checks an accepted elicitation answer against the form this server sent, for the SDK (which would build
 * an Ajv instance, a sixth of the bin's start-up code, for it). The guard's forms are flat objects of
 * boolean and string fields, so that is what this understands; any other schema is refused, the
 * elicitation fails, and the guard refuses the change: fail closed.
 */
export const formAnswerValidator: jsonSchemaValidator = {
  getValidator<T>(schema: JsonSchemaType): JsonSchemaValidator<T> {
    const {
      type,
      properties = {},
      required = [],
      ...rest
    } = schema as {
      type?: unknown;
      properties?: Record<string, Record<string, unknown>>;
      required?: string[];
    };
    if (type !== "object" || Object.keys(rest).length > 0) {
      throw new Error("only flat forms of boolean and string fields are supported");
    }
    const fields = new Map<string, FieldType>();
    for (const [name, field] of Object.entries(properties)) {
      if (
        !(field.type === "boolean" || field.type === "string") ||
        Object.keys(field).some((k) => !FIELD_KEYS.has(k))
      ) {
        throw new Error(`field ${name}: only boolean and string fields are supported`);
      }
      fields.set(name, field.type);
    }
    const invalid = (errorMessage: string) => ({ valid: false as const, data: undefined, errorMessage });
    return (input) => {
      if (input === null || typeof input !== "object" || Array.isArray(input)) {
        return invalid("the answer is not an object");
      }
      const answer = input as Record<string, unknown>;
      for (const name of required) {
        if (!Object.hasOwn(answer, name)) return invalid(`${name} is required`);
      }
      for (const [name, kind] of fields) {
        if (Object.hasOwn(answer, name) && typeof answer[name] !== kind)
          return invalid(`${name} must be a ${kind}`);
      }
      return { valid: true, data: input as T, errorMessage: undefined };
    };
  },
};

function isTimeout(err: unknown): boolean {
  return err instanceof Error && /timed out|timeout/i.test(err.message);
}

/** Sends progress notifications while a person reads, when the caller asked for progress. */
export function startHeartbeat(extra: Extra): () => void {
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
