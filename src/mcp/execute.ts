/**
 * The upstream half of the one pipeline: an operation's input mapped to a request (path, query, body),
 * sent through the upstream client, and the answer shaped into `structuredContent` (a page for lists).
 * Guard, audit and the exit are the registrar's; resources and the search reuse this for their reads.
 */

import { asObject } from "../core/json.js";
import type { AnyOperation, QueryValue, RequestParts } from "../core/operation.js";
import { parseRoute } from "../core/operation.js";
import type { UpstreamClient, UpstreamResponse } from "../upstream/client.js";
import { toPage } from "../upstream/paging.js";
import type { WaitReport } from "../upstream/rate-limit.js";

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
  const structured = op.followUp
    ? await followUp(upstream, op, input, response.body, signal)
    : shapeResult(op, response.body, response.headers, input);
  return { response, structured };
}

/**
 * The read a write's definition asks for after it succeeded, and the result shaped from both answers. The
 * write has happened: any failure of the read is the definition's to report (`found` is undefined).
 */
async function followUp(
  upstream: UpstreamClient,
  op: AnyOperation,
  input: Record<string, unknown>,
  answer: unknown,
  signal?: AbortSignal,
): Promise<Record<string, unknown>> {
  const { route, params, shape } = op.followUp as NonNullable<AnyOperation["followUp"]>;
  const read = params(input, answer);
  let found: unknown;
  if (read) {
    try {
      const parts = { path: read.path ?? {}, query: read.query ?? {}, body: read.body };
      found = (await upstream.request(op.provider, route, parts, { signal, idempotent: true })).body;
    } catch {
      found = undefined;
    }
  }
  return asObject(shape(input, answer, found)) ?? {};
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
  return asObject(body) ?? {};
}
