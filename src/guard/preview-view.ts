/**
 * The one rendering of a preview that every confirmation channel shows: the dialog's text, the approval
 * card and the approval page all take their lines from here, so a person sees the same change wherever
 * they confirm it. Lines keep the preview's order; each is tagged with what it is about (what a value
 * provisions, a separation-of-duties finding, a part of the state that could not be read), so the card and
 * the page can set them apart without parsing anything of their own.
 */
import type { Effect, EffectKind, Preview } from "../core/operation.js";

export type LineKind = "provisions" | "sod" | "warning" | "detail";
export type Tone = "danger" | "neutral";

export interface PreviewView {
  tool: string;
  summary: string;
  /** The access effects, as a person reads them, strongest first, each once. */
  effects: { kind: EffectKind; label: string; tone: Tone }[];
  lines: { text: string; kind: LineKind }[];
  /** For deletes: what the person types to confirm. */
  confirmName?: string;
}

const EFFECT_LABELS: Readonly<Record<EffectKind, string>> = {
  grant: "Gives access",
  revoke: "Takes access away",
  remove: "Deletes something that gives access",
  provisioning: "Changes what something provisions",
  rename: "Renames something",
  describe: "Changes a description",
  create: "Creates something new",
  request: "Files an access request",
  unknown: "Effect not known: confirm only if you expected this change",
};

const ORDER: readonly EffectKind[] = [
  "unknown",
  "grant",
  "revoke",
  "remove",
  "provisioning",
  "rename",
  "request",
  "create",
  "describe",
];
const DANGER = new Set<EffectKind>(["unknown", "grant", "revoke", "remove", "provisioning"]);

function labelOf(effect: Effect): string {
  const label = EFFECT_LABELS[effect.kind];
  if (effect.kind !== "provisioning" && effect.kind !== "rename") return label;
  if (effect.held === "yes") return `${label} that people hold`;
  if (effect.held === "no") return `${label} that nobody holds`;
  return label;
}

function kindOf(line: string): LineKind {
  if (/separation of duties|\bSoD\b|conflict/i.test(line)) return "sod";
  if (/could not be read|unavailable|not known|unknown/i.test(line)) return "warning";
  if (/externalValue|provision/i.test(line)) return "provisions";
  return "detail";
}

/** The view of a cleaned preview (the guard's): nothing here trusts or changes its text. */
export function previewView(preview: Preview, tool: string): PreviewView {
  const seen = new Set<string>();
  const effects = [...preview.effects]
    .sort((a, b) => ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind))
    .map((effect) => ({
      kind: effect.kind,
      label: labelOf(effect),
      tone: (DANGER.has(effect.kind) ? "danger" : "neutral") as Tone,
    }))
    .filter((effect) => !seen.has(effect.label) && seen.add(effect.label));
  return {
    tool,
    summary: preview.summary,
    effects,
    lines: preview.details.map((text) => ({ text, kind: kindOf(text) })),
    ...(preview.confirmName === undefined ? {} : { confirmName: preview.confirmName }),
  };
}

/** The preview as text lines a person can read (the confirmation dialog, the model's copy). */
export function previewText(preview: Preview): string {
  return [preview.summary, ...preview.details.map((d) => `- ${d}`)].join("\n");
}
