/**
 * Upstream text is untrusted: entitlement names and descriptions come from SaaS admins and connectors and
 * reach the model. Before they do, invisible and control characters (zero-width, bidi controls, Unicode
 * tag characters, orphan variation selectors, C0/C1 controls) are removed and markup is reduced to text,
 * the way github-mcp-server sanitises issue bodies (mcp-notes §4.1).
 */

// Zero-width and invisible formatting, bidi embeddings/overrides/isolates, BOM, tag characters,
// variation selectors, and C0/C1 controls other than tab and newline.
const INVISIBLE = new RegExp(
  [
    "[\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]", // C0/C1 controls but tab and newline
    "[\\u00AD\\u061C\\u180E\\u200B-\\u200F\\u2060-\\u2064\\uFEFF]", // soft hyphen, zero-width, BOM
    "[\\u202A-\\u202E\\u2066-\\u206F]", // bidi embeddings, overrides, isolates
    "[\\uFE00-\\uFE0F]", // variation selectors
    "[\\u{E0000}-\\u{E007F}]", // Unicode tag characters
    "[\\u{E0100}-\\u{E01EF}]", // variation selectors supplement
  ].join("|"),
  "gu",
);
const TAG = /<\/?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?\/?>/g;
const COMMENT = /<!--[\s\S]*?-->/g;
const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === "#") {
      const code =
        name[1] === "x" || name[1] === "X" ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : "";
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/** A cheap pre-check: only strings with one of these can need work. */
const SUSPECT = new RegExp(`[<&]|${INVISIBLE.source}`, "u");

/** Text made safe to show a model: no invisible characters, markup reduced to its text. */
export function sanitizeText(text: string): string {
  if (!SUSPECT.test(text)) return text;
  // Strip before and after decoding entities, so encoded invisibles and tags cannot survive.
  const stripped = text.replace(INVISIBLE, "").replace(COMMENT, "").replace(TAG, "");
  return decodeEntities(stripped).replace(INVISIBLE, "").replace(TAG, "");
}

/**
 * A value as data for the model: invisible characters and HTML comments removed from every string, the
 * rest kept (a description's markup is data a later replace must be able to send back unchanged).
 */
export function sanitizeData<T>(value: T): T {
  return mapStrings(value, (text) =>
    SUSPECT.test(text) ? text.replace(INVISIBLE, "").replace(COMMENT, "") : text,
  );
}

/**
 * `value` with `fn` applied to every string in it (object keys aside), to depth 32. Copies only the
 * objects and arrays on the path to a string that changed; returns `value` itself when none did (results
 * are walked on every call, and are usually clean).
 */
export function mapStrings<T>(value: T, fn: (text: string) => string, depth = 0): T {
  if (typeof value === "string") return fn(value) as T;
  if (value === null || typeof value !== "object" || depth > 32) return value;
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i += 1) {
      const mapped = mapStrings(value[i], fn, depth + 1);
      if (mapped !== value[i]) {
        out ??= value.slice();
        out[i] = mapped;
      }
    }
    return (out ?? value) as T;
  }
  let out: Record<string, unknown> | undefined;
  for (const [key, v] of Object.entries(value)) {
    const mapped = mapStrings(v, fn, depth + 1);
    if (mapped !== v) {
      out ??= { ...(value as Record<string, unknown>) };
      out[key] = mapped;
    }
  }
  return (out ?? value) as T;
}
