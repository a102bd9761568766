/**
 * The one exit for upstream text (issue 9 §5). Names, descriptions, error summaries and ids come from
 * upstream systems that SaaS admins and connectors fill in; everything of them that reaches the client
 * leaves through `pass`, the one core below: it sanitises (sanitize.ts: as text shown to the model, or as
 * data that keeps its markup), redacts every registered credential (errors.ts), and bounds the size,
 * leaving a marker where it cut. Handlers reach the SDK only through mcp-register.ts, which sends all they
 * return through here (a structure test holds every other file to that).
 *
 * Cleaning is idempotent: a value cleaned twice is the value cleaned once, so results already cleaned
 * inside the pipeline pass the exit unchanged.
 */
import type {
  CallToolResult,
  GetPromptResult,
  ListResourcesResult,
  ReadResourceResult,
} from "@modelcontextprotocol/sdk/types.js";
import { redactSecrets } from "../core/errors.js";
import { mapStrings, sanitizeData, sanitizeText } from "../core/sanitize.js";

/** How long one string may be: a text block shown to the model, and any other string (a name, an id). */
interface Bounds {
  text: number;
  data: number;
}
/** IdentityIQ's 1000-item page summarised one line per item is about 60,000 characters; names are far shorter. */
export const BOUNDS: Readonly<Bounds> = { text: 100_000, data: 10_000 };
/** Applied when a whole result is still over MAX_RESULT_CHARS with the usual bounds. */
export const TIGHT_BOUNDS: Readonly<Bounds> = { text: 10_000, data: 1_000 };
/**
 * A whole result, in characters of JSON (about): what one answer may cost the client and the model. The
 * largest page a tool may ask for (1000 IdentityIQ entitlements) is about 1 MB.
 */
export const MAX_RESULT_CHARS = 2_000_000;
/** Deeper objects are cut: no upstream object nests this far, and the sanitiser walks no deeper. */
const MAX_DEPTH = 32;
/** An object key longer than this is an upstream's doing, not a field name. */
const MAX_KEY = 200;

type As = "text" | "data";

/** Approximate JSON size of what a pass let through, summed over the parts of one result. */
interface Meter {
  size: number;
}

/**
 * THE core: `value` (a string or any JSON value) sanitised as text or as data, with registered
 * credentials redacted, every string cut to `max` characters and every object key cleaned.
 */
function pass<T>(value: T, as: As, max: number, meter: Meter = { size: 0 }): T {
  if (as === "data" && typeof value === "object" && value !== null && CLEANED.has(value)) return value;
  const sanitized = as === "text" ? mapStrings(value, sanitizeText) : sanitizeData(value);
  return redactAndBound(sanitized, max, meter, 0) as T;
}

/**
 * Redacts (redactSecrets, as redactData would) and cuts every string, cleans keys, drops what nests too
 * deep; one walk that copies only what changes.
 */
function redactAndBound(value: unknown, max: number, meter: Meter, depth: number): unknown {
  if (typeof value === "string") {
    const out = cut(redactSecrets(value), max);
    meter.size += out.length + 2;
    return out;
  }
  if (value === null || typeof value !== "object") {
    meter.size += 6;
    return value;
  }
  if (depth >= MAX_DEPTH) {
    const marker = `[cut: nested deeper than ${MAX_DEPTH} levels]`;
    meter.size += marker.length;
    return marker;
  }
  meter.size += 2;
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i += 1) {
      const mapped = redactAndBound(value[i], max, meter, depth + 1);
      meter.size += 1;
      if (mapped !== value[i]) {
        out ??= value.slice();
        out[i] = mapped;
      }
    }
    return out ?? value;
  }
  const source = value as Record<string, unknown>;
  let out: Record<string, unknown> | undefined;
  const keys = Object.keys(source);
  for (let i = 0; i < keys.length; i += 1) {
    const key = keys[i] as string;
    const v = source[key];
    const cleanKey = keyOf(key);
    if (cleanKey !== key) {
      // A key that cleans to nothing or to another key's name is dropped: it must not shadow a real field.
      out ??= copyOf(source, keys, i);
      if (cleanKey === "" || Object.hasOwn(source, cleanKey) || Object.hasOwn(out, cleanKey)) continue;
    }
    meter.size += cleanKey.length + 4;
    const mapped = redactAndBound(v, max, meter, depth + 1);
    if (out === undefined && mapped !== v) out = copyOf(source, keys, i);
    // Defined, not assigned: a `__proto__` key from JSON.parse is an own field, not the prototype.
    if (out !== undefined) Object.defineProperty(out, cleanKey, { ...FIELD, value: mapped });
  }
  return out ?? value;
}

/** The first `count` fields of `source`, unchanged. */
function copyOf(source: Record<string, unknown>, keys: string[], count: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = 0; i < count; i += 1) {
    const key = keys[i] as string;
    Object.defineProperty(out, key, { ...FIELD, value: source[key] });
  }
  return out;
}

const FIELD = { enumerable: true, writable: true, configurable: true } as const;

const keyOf = (key: string): string => cut(redactSecrets(sanitizeText(key)), MAX_KEY);

/** `text` cut to at most `max` characters, the last of them a marker; never splits a surrogate pair. */
function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const marker = ` … [cut at ${max} characters]`;
  let end = Math.max(0, max - marker.length);
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return text.slice(0, end) + marker;
}

/**
 * Values that already left through this exit, unchanged since: the tools/list the build rendered through
 * the running server's own exit (scripts/bundle.mjs). Cleaning is idempotent, so passing them again would
 * only spend the first tools/list of every start compiling the sanitiser's Unicode patterns.
 */
const CLEANED = new WeakSet<object>();

/** Marks `value` as having left through the exit already; its top level is frozen, the rest must not change. */
export function alreadyCleaned<T extends object>(value: T): T {
  CLEANED.add(Object.freeze(value));
  return value;
}

/** Text shown to the model (a summary, a message, a name): markup reduced to its text. */
export function cleanText(text: string): string {
  return pass(text, "text", BOUNDS.text);
}

/** Structured data (any JSON value): its markup kept as data, everything else cleaned. */
export function cleanData<T>(value: T): T {
  return pass(value, "data", BOUNDS.data);
}

/**
 * A tool result: text blocks as text, structuredContent and the rest as data. Cut strings stay strings,
 * so the result still matches the tool's output schema. A result that stays over MAX_RESULT_CHARS even
 * with tight bounds becomes an error that says so (error results carry no structuredContent to check).
 */
export function cleanResult(result: CallToolResult): CallToolResult {
  for (const bounds of [BOUNDS, TIGHT_BOUNDS]) {
    const meter: Meter = { size: 0 };
    const { content, structuredContent, ...rest } = result;
    const cleaned: CallToolResult = {
      ...pass(rest, "data", bounds.data, meter),
      content: (content ?? []).map((block) =>
        block.type === "text"
          ? pass(block, "text", bounds.text, meter)
          : pass(block, "data", bounds.data, meter),
      ),
    };
    if (structuredContent !== undefined) {
      cleaned.structuredContent = pass(structuredContent, "data", bounds.data, meter);
    }
    if (meter.size <= MAX_RESULT_CHARS) return cleaned;
  }
  return {
    isError: true,
    content: [
      {
        type: "text",
        text:
          `The call ran, but its result is larger than the ${MAX_RESULT_CHARS / 1_000_000} MB this server ` +
          "returns, even with long strings cut. For a list, ask for a smaller page (limit) or a narrower " +
          "filter; after a write, read the object back instead of repeating the call.",
      },
    ],
  };
}

/**
 * A resource read: JSON contents cleaned as data (and re-serialised only when something changed), other
 * text as text. Binary contents are not produced by this server and pass as they are.
 */
export function cleanReadResult(result: ReadResourceResult): ReadResourceResult {
  const { contents, ...rest } = result;
  for (const bounds of [BOUNDS, TIGHT_BOUNDS]) {
    const meter: Meter = { size: 0 };
    const cleaned: ReadResourceResult = {
      ...pass(rest, "data", bounds.data, meter),
      contents: contents.map((entry) => {
        if (!("text" in entry) || typeof entry.text !== "string") return entry;
        const { text, ...fields } = entry;
        const clean = pass(fields, "data", bounds.data, meter);
        return { ...clean, text: cleanContentText(text, fields.mimeType, bounds, meter) };
      }),
    };
    if (meter.size <= MAX_RESULT_CHARS) return cleaned;
  }
  throw new Error(
    `The resource is larger than the ${MAX_RESULT_CHARS / 1_000_000} MB this server returns, even with ` +
      "long strings cut. Read it page by page (follow `next`).",
  );
}

function cleanContentText(text: string, mimeType: string | undefined, bounds: Bounds, meter: Meter): string {
  if (mimeType === "application/json" || mimeType?.endsWith("+json")) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return pass(text, "text", bounds.text, meter);
    }
    const cleaned = pass(parsed, "data", bounds.data, meter);
    return cleaned === parsed ? text : JSON.stringify(cleaned);
  }
  return pass(text, "text", bounds.text, meter);
}

/** A resources/list answer: names, titles and descriptions as text, each `uri` through cleanUri. */
export function cleanResourceList(result: ListResourcesResult): ListResourcesResult {
  const { resources, ...rest } = result;
  return {
    ...cleanData(rest),
    resources: resources.map(({ uri, ...resource }) => ({
      ...pass(resource, "text", BOUNDS.data),
      uri: cleanUri(uri),
    })),
  };
}

/**
 * A URI built from upstream names or ids (`entitlements://iiq/applications/{name}/entitlements`): each
 * percent-encoded part decoded, cleaned as text and encoded again when cleaning changed it, so hidden text
 * cannot ride in its escapes. Clean URIs come back unchanged and still resolve.
 */
export function cleanUri(uri: string): string {
  return uri.replace(/[^/?#&=:]+/g, (part) => {
    let decoded: string;
    try {
      decoded = decodeURIComponent(part);
    } catch {
      decoded = part;
    }
    const cleaned = pass(decoded, "text", BOUNDS.data);
    return cleaned === decoded ? part : encodeURIComponent(cleaned);
  });
}

/** Completion values: names shown to a person and put into arguments, as text; empty and repeated ones dropped. */
export function cleanCompletion(values: readonly string[]): string[] {
  return [...new Set(pass(values, "text", BOUNDS.data))].filter((value) => value.length > 0);
}

/** A rendered prompt: its messages and description as text. */
export function cleanPromptResult(result: GetPromptResult): GetPromptResult {
  return pass(result, "text", BOUNDS.text);
}
