/**
 * The only place where handlers are registered with the SDK (test/structure/structure.test.ts fails on any other):
 * each wrapper sends everything its handler returns or throws through the exit (exit.ts), so no tool,
 * resource, completion, prompt or raw request handler can hand the client upstream text uncleaned.
 */
import { completable } from "@modelcontextprotocol/sdk/server/completable.js";
import {
  type McpServer,
  type RegisteredPrompt,
  type RegisteredResource,
  type RegisteredResourceTemplate,
  type RegisteredTool,
  type ResourceMetadata,
  ResourceTemplate,
} from "@modelcontextprotocol/sdk/server/mcp.js";
import type {
  AnyObjectSchema,
  AnySchema,
  SchemaOutput,
} from "@modelcontextprotocol/sdk/server/zod-compat.js";
import type { RequestHandlerExtra } from "@modelcontextprotocol/sdk/shared/protocol.js";
import type { Variables } from "@modelcontextprotocol/sdk/shared/uriTemplate.js";
import type {
  CallToolResult,
  GetPromptResult,
  ListResourcesResult,
  ReadResourceResult,
  ServerNotification,
  ServerRequest,
  ServerResult,
  ToolAnnotations,
} from "@modelcontextprotocol/sdk/types.js";
import type { z } from "zod";
import { toToolResult } from "../core/errors.js";
import {
  cleanCompletion,
  cleanData,
  cleanPromptResult,
  cleanReadResult,
  cleanResourceList,
  cleanResult,
  cleanText,
} from "./exit.js";

export type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

export interface ToolConfig<I extends AnySchema, O extends AnySchema> {
  title?: string;
  description?: string;
  inputSchema: I;
  outputSchema?: O;
  annotations?: ToolAnnotations;
  /** Extension metadata, e.g. MCP Apps' `ui` (resourceUri, visibility). */
  _meta?: Record<string, unknown>;
}

/**
 * A tool whose results, text blocks and structuredContent alike, leave through the exit. Whatever the
 * handler throws becomes a tool error here (the SDK would send the raw message).
 */
export function registerTool<I extends AnySchema, O extends AnySchema>(
  server: McpServer,
  name: string,
  config: ToolConfig<I, O>,
  handler: (args: SchemaOutput<I>, extra: Extra) => Promise<CallToolResult>,
): RegisteredTool {
  return server.registerTool<O, I>(name, config, (async (args: SchemaOutput<I>, extra: Extra) => {
    try {
      return cleanResult(await handler(args, extra));
    } catch (err) {
      return cleanResult(toToolResult(err));
    }
  }) as Parameters<typeof server.registerTool<O, I>>[2]);
}

/** Completes one template variable or prompt argument from upstream names. */
export type Completer = (
  value: string,
  context?: { arguments?: Record<string, string> },
) => Promise<string[]>;

export interface ResourceTemplateSpec {
  uriTemplate: string;
  /** The concrete resources of the template (resources/list): names from upstream, cleaned as text. */
  list?: (extra: Extra) => Promise<ListResourcesResult>;
  complete?: Record<string, Completer>;
}

/** A resource template whose reads, list entries and completions leave through the exit. */
export function registerResourceTemplate(
  server: McpServer,
  name: string,
  spec: ResourceTemplateSpec,
  metadata: ResourceMetadata,
  read: (uri: URL, variables: Variables, extra: Extra) => Promise<ReadResourceResult>,
): RegisteredResourceTemplate {
  const { list, complete } = spec;
  const template = new ResourceTemplate(spec.uriTemplate, {
    list: list ? (extra) => exiting(async () => cleanResourceList(await list(extra))) : undefined,
    complete: complete ? cleanCompleters(complete) : undefined,
  });
  return server.registerResource(name, template, metadata, (uri, variables, extra) =>
    exiting(async () => cleanReadResult(await read(uri, variables, extra))),
  );
}

/**
 * A document of the server's own (the approval card's HTML): fixed at registration, holding no upstream
 * text (what it shows arrives through tool results, which pass the exit), so it is served as written. The
 * exit would reduce its markup to text and cut its script. Registered disabled: the caller enables it for
 * the clients that render it.
 */
export function registerOwnDocument(
  server: McpServer,
  name: string,
  uri: string,
  metadata: ResourceMetadata & { mimeType: string },
  document: { text: string; _meta?: Record<string, unknown> },
): RegisteredResource {
  const fixed = Object.freeze({ ...document });
  const resource = server.registerResource(name, uri, metadata, async () => ({
    contents: [{ uri, mimeType: metadata.mimeType, ...fixed }],
  }));
  resource.disable();
  return resource;
}

export interface PromptArgument {
  schema: z.ZodType<string | undefined, string | undefined>;
  complete?: Completer;
}

export interface PromptConfig {
  title?: string;
  description?: string;
  args: Record<string, PromptArgument>;
}

/** A prompt whose rendered messages and argument completions leave through the exit. */
export function registerPrompt(
  server: McpServer,
  name: string,
  config: PromptConfig,
  render: (args: Record<string, string | undefined>, extra: Extra) => GetPromptResult,
): RegisteredPrompt {
  const argsSchema: Record<string, PromptArgument["schema"]> = {};
  for (const [arg, { schema, complete }] of Object.entries(config.args)) {
    const cleaned = complete && cleanCompleter(complete);
    argsSchema[arg] = cleaned
      ? completable(schema, (value, context) => cleaned(value ?? "", context))
      : schema;
  }
  return server.registerPrompt(
    name,
    { title: config.title, description: config.description, argsSchema },
    (args: Record<string, string | undefined>, extra: Extra) =>
      exiting(async () => cleanPromptResult(render(args, extra))),
  );
}

/** A raw request handler (tools/list, resources/subscribe…) whose answers leave through the exit. */
export function setRequestHandler<T extends AnyObjectSchema>(
  server: McpServer,
  schema: T,
  handler: (request: SchemaOutput<T>, extra: Extra) => ServerResult | Promise<ServerResult>,
): void {
  server.server.setRequestHandler(schema, (request, extra) =>
    exiting(async () => cleanData(await handler(request, extra))),
  );
}

type SdkHandler = (request: unknown, extra: unknown) => Promise<ServerResult>;

/**
 * The handler the SDK registered for `method` (tools/list), for a wrapper that builds on it. The SDK keeps
 * its handlers in a private field; 1.x is pinned, and tests fail if this breaks.
 */
export function sdkRequestHandler(server: McpServer, method: string): SdkHandler | undefined {
  return (server.server as unknown as { _requestHandlers: Map<string, SdkHandler> })._requestHandlers.get(
    method,
  );
}

/** Tells subscribers that a resource changed; failures to notify are not the caller's concern. */
export function notifyResourceUpdated(server: McpServer, uri: string): void {
  void server.server.sendResourceUpdated({ uri: cleanData(uri) }).catch(() => {});
}

function cleanCompleters(completers: Record<string, Completer>): Record<string, Completer> {
  return Object.fromEntries(Object.entries(completers).map(([name, fn]) => [name, cleanCompleter(fn)]));
}

function cleanCompleter(complete: Completer): Completer {
  return (value, context) => exiting(async () => cleanCompletion(await complete(value, context)));
}

/**
 * Runs `fn`; an error it throws reaches the client as a JSON-RPC error, so its message and data are
 * cleaned first (the code is kept).
 */
async function exiting<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    const { code, data } = (err ?? {}) as { code?: unknown; data?: unknown };
    const message = err instanceof Error ? err.message : "Internal error";
    throw Object.assign(new Error(cleanText(message)), {
      ...(Number.isSafeInteger(code) ? { code } : {}),
      ...(data !== undefined ? { data: cleanData(data) } : {}),
    });
  }
}
