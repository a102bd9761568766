/**
 * Upstream text is untrusted: entitlement names and descriptions come from SaaS admins and connectors and
 * reach the model and the confirmation dialog. Before they do, invisible and control characters are
 * removed and, for text, markup is reduced to its text, the way github-mcp-server sanitises issue bodies
 * (mcp-notes §4.1). Removal runs to a fixpoint, so a removal can never assemble what it removed
 * (`<<b>b>script>`), and sanitising twice changes nothing.
 */

/**
 * Characters removed from every upstream string: they are invisible, reorder or hide text, or break lines
 * where a reader does not expect it.
 * - Cf (every format character: zero-width, bidi controls, tag characters, BOM, soft hyphen, U+0600-0605,
 *   U+FFF9-FFFB, U+13430-1343F, U+1D173-1D17A) and Default_Ignorable_Code_Point (variation selectors,
 *   U+034F, Mongolian free variation selectors, Hangul fillers, Khmer inherent vowels, and the reserved
 *   ranges Unicode keeps for future invisibles). The named ranges are also listed literally so that a Node
 *   built with older Unicode data still removes them.
 * - Zl, Zp (U+2028, U+2029) and every C0/C1 control (U+0085 included) but tab, newline and carriage
 *   return (CR is turned into a newline instead, so a lone CR cannot overwrite a line in a terminal).
 * - Lone surrogates and noncharacters: not text, and rendered unpredictably.
 * - Blank glyphs that are neither: U+2800 (braille blank), U+1D159 (null notehead), U+16FE4 (Khitan filler).
 * Spaces (U+00A0, U+2000-200A, U+3000, ...) are kept: they are visible width, cannot hide or reorder text,
 * and removing them would glue words together; `oneLine` turns them into plain spaces.
 */
const INVISIBLE_CLASS = [
  "\\p{Cf}\\p{Default_Ignorable_Code_Point}\\p{Zl}\\p{Zp}\\p{Cs}\\p{Noncharacter_Code_Point}",
  "\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F", // controls but tab, newline and CR
  "\\u00AD\\u034F\\u061C\\u115F\\u1160\\u17B4\\u17B5\\u180B-\\u180F\\u200B-\\u200F\\u202A-\\u202E",
  "\\u2060-\\u206F\\u3164\\uFE00-\\uFE0F\\uFEFF\\uFFA0\\uFFF0-\\uFFFB\\u0600-\\u0605",
  "\\u{13430}-\\u{1343F}\\u{1D173}-\\u{1D17A}\\u{E0000}-\\u{E0FFF}", // Egyptian, musical, tags, VS supplement
  "\\u2800\\u{1D159}\\u{16FE4}", // blank glyphs
].join("");
const INVISIBLE = new RegExp(`[${INVISIBLE_CLASS}]`, "u");
const INVISIBLE_ALL = new RegExp(`[${INVISIBLE_CLASS}]+`, "gu");
const CARRIAGE_RETURN = /\r\n?/g;

/** An HTML comment, closed (`-->`, `--!>`, or the empty `<!-->` and `<!--->`) or running to the end. */
const COMMENT = /<!--(?:-?>|[\s\S]*?(?:--!?>|$))/g;
/** A tag, closing tag, declaration or processing instruction, as an HTML parser would start one. */
const TAG = /<[A-Za-z/!?][^<>]*>/g;
/** The start of a tag that never closes: dropped from text so that following text cannot close it. */
const TAG_OPENER = /<+(?=[A-Za-z/!?])/g;
/** Character references as an HTML parser reads them: numeric ones need no `;`, named ones do. */
const REFERENCE = /&(#x[0-9a-f]+|#\d+|[a-z]+);?/gi;

/** Named references that decode into markup or into characters removed above (lower-cased names). */
const NAMED: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: "\u00A0",
  nonbreakingspace: "\u00A0",
  tab: "\t",
  newline: "\n",
  shy: "\u00AD",
  zwnj: "\u200C",
  zwj: "\u200D",
  lrm: "\u200E",
  rlm: "\u200F",
  zerowidthspace: "\u200B",
  negativeverythinspace: "\u200B",
  negativethinspace: "\u200B",
  negativemediumspace: "\u200B",
  negativethickspace: "\u200B",
  nobreak: "\u2060",
  af: "\u2061",
  applyfunction: "\u2061",
  it: "\u2062",
  invisibletimes: "\u2062",
  ic: "\u2063",
  invisiblecomma: "\u2063",
};

/** After this many passes without a fixpoint (deliberately deep nesting), the fallback below ends it. */
const MAX_PASSES = 16;

/** What a character reference decodes to, or undefined when it is not one we know. */
function decodeReference(whole: string, name: string): string | undefined {
  if (name[0] === "#") {
    const hex = name[1] === "x" || name[1] === "X";
    const code = hex ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
    return code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : "";
  }
  // A named reference counts only with its `;` (`AT&T;` aside, `&ampx` is ordinary text).
  return whole.endsWith(";") ? NAMED[name.toLowerCase()] : undefined;
}

/** Invisible characters removed and carriage returns turned into newlines. */
function removeInvisible(text: string): string {
  return text.replace(INVISIBLE_ALL, "").replace(CARRIAGE_RETURN, "\n");
}

/**
 * One pass for text: invisibles, comments and tags removed; when there were none, references decoded;
 * when there were none either, the starts of unclosed tags dropped. Dropping a `<` last keeps nested tags
 * whole (`<<b>b>script>x` loses `<b>`, then `<b>`, leaving `script>x`).
 */
function textPass(text: string): string {
  const stripped = removeInvisible(text).replace(COMMENT, "").replace(TAG, "");
  if (stripped !== text) return stripped;
  const decoded = text.replace(REFERENCE, (whole, name: string) => decodeReference(whole, name) ?? whole);
  return decoded !== text ? decoded : text.replace(TAG_OPENER, "");
}

/** One pass for data: invisibles and comments removed, and references that decode into invisibles. */
function dataPass(text: string): string {
  return removeInvisible(text)
    .replace(COMMENT, "")
    .replace(REFERENCE, (whole, name: string) => {
      const decoded = decodeReference(whole, name);
      return decoded !== undefined && (decoded === "" || INVISIBLE.test(decoded)) ? "" : whole;
    });
}

/**
 * `pass` applied until it changes nothing, so the result is a fixpoint and sanitising it again is the
 * identity. Every pass that changes something shortens the text or turns CRs into newlines, and nesting
 * needs one pass per level; past MAX_PASSES `fallback` makes a fixpoint in one step (it only replaces or
 * deletes the characters every pattern needs, which cannot assemble a new one).
 */
function toFixpoint(text: string, pass: (text: string) => string, fallback: (text: string) => string) {
  let current = text;
  for (let i = 0; i < MAX_PASSES; i += 1) {
    const next = pass(current);
    if (next === current) return current;
    current = next;
  }
  return fallback(removeInvisible(current));
}

/** A cheap pre-check: only strings with one of these can need work, so clean strings are returned as-is. */
const SUSPECT = new RegExp(`[<&\\r${INVISIBLE_CLASS}]`, "u");

/** Text made safe to show a model: no invisible characters, markup reduced to its text. */
export function sanitizeText(text: string): string {
  if (!SUSPECT.test(text)) return text;
  return toFixpoint(text, textPass, (rest) => rest.replace(/[<&]/g, ""));
}

/** One string as data: invisibles, comments and references to invisibles removed, markup kept. */
function sanitizeDataString(text: string): string {
  if (!SUSPECT.test(text)) return text;
  // The fallback replaces in place: `＆` and `‹` cannot start a reference or a comment.
  return toFixpoint(text, dataPass, (rest) => rest.replace(/&/g, "\uFF06").replace(/<!--/g, "\u2039!--"));
}

/**
 * A value as data for the model: invisible characters, HTML comments, and character references that
 * decode into invisibles removed from every string, the rest kept (a description's markup is data a later
 * replace must be able to send back unchanged).
 */
export function sanitizeData<T>(value: T): T {
  return mapStrings(value, sanitizeDataString);
}

/** Line breaks and separators a reader may split lines on; each becomes one space in `oneLine`. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding line-breaking controls is the point.
const LINE_BREAKS = /[\r\n\t\v\f\u001C-\u001E\u0085\u2028\u2029]/g;

/**
 * Upstream text for one line of a preview or summary: sanitised, every line break and run of whitespace
 * turned into one space, trimmed, and cut to at most `max` code points (ending in "…" when cut), so a name
 * cannot add lines of its own or push the real ones out of view.
 */
export function oneLine(text: string, max = 120): string {
  // Breaks become spaces before sanitising, which would remove U+2028 and glue the words around it.
  const flat = sanitizeText(text.replace(LINE_BREAKS, " ")).replace(/\s+/g, " ").trim();
  return cut(flat, max);
}

/**
 * `oneLine(text, max)` in double quotes, with `"` and `\` escaped, so a name can never close its quote
 * and forge the text after it.
 */
export function quote(text: string, max = 120): string {
  return `"${oneLine(text, max).replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

/** `text` cut to at most `max` code points, ending in "…" when cut; a surrogate pair is never split. */
function cut(text: string, max: number): string {
  if (max < 1) return "";
  if (text.length <= max) return text;
  const points: string[] = [];
  for (const point of text) {
    if (points.length === max)
      return `${points
        .slice(0, max - 1)
        .join("")
        .trimEnd()}…`;
    points.push(point);
  }
  return text;
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
