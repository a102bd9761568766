/**
 * The stdio transport (Streamable HTTP lives in http.ts), behind a gate that counts the requests in flight,
 * whatever their method, so that shutdown can stop taking new ones, let the running ones answer (a write
 * already sent upstream must be answered and audited), and only then exit.
 * Nothing here writes to stdout but the SDK's transport itself.
 */
import type { Writable } from "node:stream";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import {
  ErrorCode,
  isJSONRPCErrorResponse,
  isJSONRPCNotification,
  isJSONRPCRequest,
  isJSONRPCResultResponse,
  type JSONRPCMessage,
  type RequestId,
} from "@modelcontextprotocol/sdk/types.js";

export interface StdioHandle {
  /** Refuses every request from now on; returns how many are still running. */
  stopTaking(): number;
  /**
   * Resolves once every running request has been answered, or after `graceMs`, with the requests still
   * running then ("tools/call #7").
   */
  settled(graceMs: number): Promise<string[]>;
  close(): Promise<void>;
}

/**
 * Serves `server` on this process's stdin/stdout. `onEnd` is told when the client is done with us: stdin
 * ended (the normal way a stdio server is told to stop), stdout broke, or the transport closed.
 */
export async function startStdio(
  server: McpServer,
  onEnd: (reason: string) => void,
  prepare?: Preparation,
): Promise<StdioHandle> {
  const transport = new StdioServerTransport();
  transport.onclose = () => onEnd("the stdio transport closed");
  await server.connect(transport);
  // Inside the counting gate: a held request counts as running, so shutdown waits for it too.
  if (prepare) holdUntilPrepared(transport, prepare);
  const gate = gateRequests(transport);
  process.stdin.once("end", () => {
    gate.inputEnded();
    onEnd("stdin closed");
  });
  // A reader that went away (EPIPE) must not crash the process: writes already running still finish and
  // are audited, and their answers go nowhere.
  process.stdout.on("error", () => onEnd("stdout closed"));
  return {
    stopTaking: gate.stopTaking,
    settled: gate.settled,
    close: () => server.close(),
  };
}

/** Work the server must finish before it serves anything but the start of a session (the definitions). */
export interface Preparation {
  run(): Promise<void>;
  /** Told when `run` failed; the held messages are delivered anyway and fail on their own. */
  onError(err: unknown): void;
}

/** What a client sends to start a session; none of it needs the operation definitions. */
const SERVED_UNPREPARED = new Set(["initialize", "ping", "tools/list"]);

/**
 * Serves initialize, ping and tools/list (and the notifications among them) at once and holds every other
 * message until `prepare` is done, then delivers them in the order they came. `prepare` starts at the
 * first held message, or just after the first tools/list, whichever comes first: a session's first
 * answers do not wait for it, and its first tool call rarely does.
 */
function holdUntilPrepared(transport: Transport, prepare: Preparation): void {
  const deliver = transport.onmessage;
  let held: Array<Parameters<NonNullable<Transport["onmessage"]>>> | undefined = [];
  let started = false;
  const start = () => {
    if (started) return;
    started = true;
    void prepare
      .run()
      .catch(prepare.onError)
      .then(() => {
        const queue = held ?? [];
        held = undefined;
        for (const [message, extra] of queue) deliver?.(message, extra);
      });
  };
  transport.onmessage = (message, extra) => {
    if (held === undefined) return deliver?.(message, extra);
    const request = isJSONRPCRequest(message);
    if (held.length === 0 && (!request || SERVED_UNPREPARED.has(message.method))) {
      deliver?.(message, extra);
      if (request && message.method === "tools/list") setImmediate(start);
      return;
    }
    held.push([message, extra]);
    start();
  };
}

/** The JSON-RPC error a request gets once shutdown began (-32000: the connection is closing). */
function shuttingDown(id: RequestId): JSONRPCMessage {
  return {
    jsonrpc: "2.0",
    id,
    error: {
      code: ErrorCode.ConnectionClosed,
      message:
        "entitlement-mcp is shutting down, so this request was not started. Send it again to a new server " +
        "process. Nothing was changed.",
    },
  };
}

/**
 * Wraps a connected transport (after the Protocol installed its handlers) so that every request received
 * counts as running until its response is handed to the transport or the client cancels it.
 */
function gateRequests(transport: Transport) {
  const running = new Map<RequestId, string>();
  // Our own requests to the client (elicitations) still waiting for its answer.
  const asked = new Set<RequestId>();
  let accepting = true;
  let onIdle: (() => void) | undefined;
  const settle = (id: RequestId) => {
    if (running.delete(id) && running.size === 0) onIdle?.();
  };

  const send = transport.send.bind(transport);
  const deliver = transport.onmessage;
  transport.onmessage = (message, extra) => {
    if (isJSONRPCRequest(message)) {
      if (!accepting) {
        void send(shuttingDown(message.id)).catch(() => {});
        return;
      }
      running.set(message.id, message.method);
    } else if (isJSONRPCNotification(message)) {
      // A cancelled request is never answered (the SDK drops its response), so it stops counting here.
      const cancelled = (message.params as { requestId?: RequestId } | undefined)?.requestId;
      if (message.method === "notifications/cancelled" && cancelled !== undefined) settle(cancelled);
    } else if ("id" in message && message.id !== undefined) {
      asked.delete(message.id);
    }
    deliver?.(message, extra);
  };
  transport.send = (message, options) => {
    if (isJSONRPCRequest(message)) asked.add(message.id);
    const sent = send(message, options);
    // Handed to stdout's buffer: the answer is out of our hands; the final drain of stdout delivers it.
    const isResponse = isJSONRPCResultResponse(message) || isJSONRPCErrorResponse(message);
    if (isResponse && message.id !== undefined) settle(message.id);
    return sent;
  };

  return {
    /** No answer can come any more: our questions to the client fail now instead of at their timeout. */
    inputEnded() {
      for (const id of asked) {
        deliver?.({
          jsonrpc: "2.0",
          id,
          error: { code: ErrorCode.ConnectionClosed, message: "stdin closed before the client answered" },
        });
      }
      asked.clear();
    },
    stopTaking(): number {
      accepting = false;
      return running.size;
    },
    async settled(graceMs: number): Promise<string[]> {
      if (running.size > 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, graceMs);
          onIdle = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
      return [...running].map(([id, method]) => `${method} #${id}`);
    },
  };
}

/**
 * Resolves once every byte written to `stream` so far has been handed to the OS, or the stream failed.
 * stdout may be a pipe whose reader is slow: what does not fit in the pipe waits in Node's buffer, and
 * process.exit() would drop it.
 */
export function flushed(stream: Writable): Promise<void> {
  return new Promise((resolve) => {
    if (stream.destroyed || stream.writableLength === 0) return resolve();
    // Write callbacks run in order, so this one runs after everything written before it (or on failure).
    stream.write("", () => resolve());
  });
}
