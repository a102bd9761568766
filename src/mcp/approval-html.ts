/**
 * The markup of the approval card and the approval page: one stylesheet and one preview structure, so the
 * card (built in the browser from the same PreviewView, text only) and the page (built here, escaped) look
 * and read alike. No external assets: everything is inline, and the page's CSP allows only its own style
 * (by hash) and forms posted to itself. Colours follow the MCP Apps host theme variables when a host gives
 * them, the person's light or dark preference otherwise; contrast stays at WCAG AA or better either way.
 */
import { createHash } from "node:crypto";
import type { PreviewView } from "../guard/preview-view.js";

/** Escapes text for HTML element content and double-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string,
  );
}

export const APPROVAL_CSS = `
:root {
  color-scheme: light dark;
  --bg: var(--color-background-primary, light-dark(#ffffff, #1b1b1f));
  --bg-2: var(--color-background-secondary, light-dark(#f4f4f5, #26262b));
  --fg: var(--color-text-primary, light-dark(#18181b, #f4f4f5));
  --fg-2: var(--color-text-secondary, light-dark(#3f3f46, #d4d4d8));
  --border: var(--color-border-primary, light-dark(#a1a1aa, #52525b));
  --danger-fg: var(--color-text-danger, light-dark(#9f1239, #fda4af));
  --danger-bg: var(--color-background-danger, light-dark(#fff1f2, #3f0d1a));
  --warn-fg: var(--color-text-warning, light-dark(#854d0e, #fde68a));
  --warn-bg: var(--color-background-warning, light-dark(#fefce8, #3a2a05));
  --ok-fg: var(--color-text-success, light-dark(#14532d, #bbf7d0));
  --ok-bg: var(--color-background-success, light-dark(#f0fdf4, #0b2e1a));
  --ring: var(--color-ring-primary, light-dark(#1d4ed8, #93c5fd));
  --approve-bg: light-dark(#14532d, #86efac);
  --approve-fg: light-dark(#ffffff, #052e16);
  --radius: var(--border-radius-md, 8px);
  font-family: var(--font-sans, system-ui, -apple-system, "Segoe UI", sans-serif);
  font-size: var(--font-text-md-size, 15px);
  line-height: 1.45;
  color: var(--fg);
  background: var(--bg);
}
:root[data-theme="light"] { color-scheme: light; }
:root[data-theme="dark"] { color-scheme: dark; }
* { box-sizing: border-box; }
body { margin: 0; padding: 16px; background: var(--bg); color: var(--fg); }
main { max-width: 44rem; margin: 0 auto; }
.tool { margin: 0 0 4px; color: var(--fg-2); font-family: var(--font-mono, ui-monospace, monospace); font-size: 13px; }
.summary { margin: 0 0 12px; font-size: var(--font-heading-sm-size, 18px); line-height: 1.3; overflow-wrap: anywhere; }
.effects { display: flex; flex-wrap: wrap; gap: 6px; margin: 0 0 12px; padding: 0; list-style: none; }
.effect { padding: 2px 10px; border: 1px solid var(--border); border-radius: 999px; font-size: 13px; }
.effect.danger { color: var(--danger-fg); background: var(--danger-bg); border-color: currentColor; font-weight: 600; }
.lines { margin: 0 0 16px; padding: 0 0 0 20px; }
.line { margin: 2px 0; overflow-wrap: anywhere; }
.line.provisions { font-family: var(--font-mono, ui-monospace, monospace); font-size: 13.5px; }
.line.sod, .line.warning { color: var(--warn-fg); background: var(--warn-bg); padding: 2px 6px; border-radius: 4px; list-style: none; margin-left: -20px; }
.line.sod::before, .line.warning::before { content: "⚠ "; }
.confirm-name { display: block; margin: 0 0 12px; }
.confirm-name input { display: block; width: 100%; max-width: 28rem; margin-top: 4px; padding: 8px; font: inherit; color: var(--fg); background: var(--bg); border: 1px solid var(--border); border-radius: var(--radius); }
.actions { display: flex; gap: 8px; flex-wrap: wrap; }
button { font: inherit; font-weight: 600; padding: 8px 18px; border-radius: var(--radius); cursor: pointer; }
button.approve { color: var(--approve-fg); background: var(--approve-bg); border: 1px solid var(--approve-bg); }
button.decline { color: var(--fg); background: var(--bg-2); border: 1px solid var(--border); }
button:disabled { opacity: 0.55; cursor: not-allowed; }
:focus-visible { outline: 3px solid var(--ring); outline-offset: 2px; }
.status { margin: 12px 0 0; min-height: 1.4em; }
.outcome { padding: 12px; border-radius: var(--radius); border: 1px solid currentColor; overflow-wrap: anywhere; }
.outcome.ok { color: var(--ok-fg); background: var(--ok-bg); }
.outcome.refused { color: var(--danger-fg); background: var(--danger-bg); }
.note { color: var(--fg-2); font-size: 13px; }
.hidden { display: none; }
`;

/** The preview, escaped: the same structure the card builds from the same view. */
export function previewHtml(view: PreviewView): string {
  const effects = view.effects
    .map((e) => `<li class="effect ${e.tone}">${escapeHtml(e.label)}</li>`)
    .join("");
  const lines = view.lines.map((l) => `<li class="line ${l.kind}">${escapeHtml(l.text)}</li>`).join("");
  return [
    `<section class="preview" aria-labelledby="summary">`,
    `<p class="tool">${escapeHtml(view.tool)}</p>`,
    `<h1 id="summary" class="summary">${escapeHtml(view.summary)}</h1>`,
    effects ? `<ul class="effects" aria-label="Effects on access">${effects}</ul>` : "",
    lines ? `<ul class="lines" aria-label="Details">${lines}</ul>` : "",
    `</section>`,
  ].join("");
}

/** The Content-Security-Policy of the approval page: its one inline style by hash, nothing else loads. */
export const PAGE_CSP = [
  "default-src 'none'",
  `style-src 'sha256-${createHash("sha256").update(APPROVAL_CSS).digest("base64")}'`,
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join("; ");

function page(title: string, body: string): string {
  return [
    "<!DOCTYPE html>",
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    // Not no-referrer: with it a browser sends "Origin: null" on the form's POST, and the Origin check
    // needs the page's own origin. Nothing here links to another origin anyway.
    '<meta name="referrer" content="same-origin">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${APPROVAL_CSS}</style>`,
    `</head><body><main>${body}</main></body></html>`,
  ].join("");
}

/** The approval page while the change waits: the preview, a typed name for deletes, Approve and Decline. */
export function approvalFormPage(view: PreviewView, csrf: string, error?: string): string {
  const name = view.confirmName;
  const body = [
    previewHtml(view),
    '<form method="post">',
    `<input type="hidden" name="csrf" value="${escapeHtml(csrf)}">`,
    name === undefined
      ? ""
      : `<label class="confirm-name" for="confirm-name">Type <strong>${escapeHtml(name)}</strong> to confirm the delete` +
        `<input id="confirm-name" name="confirmName" autocomplete="off" spellcheck="false" aria-describedby="name-help"></label>` +
        `<p id="name-help" class="note">Approve checks the name; Decline needs none.</p>`,
    error ? `<p class="outcome refused" role="alert">${escapeHtml(error)}</p>` : "",
    '<div class="actions">',
    '<button class="approve" type="submit" name="decision" value="approve">Approve</button>',
    '<button class="decline" type="submit" name="decision" value="decline">Decline</button>',
    "</div></form>",
    '<p class="note">This page was opened for you by your assistant\'s client. Only you can approve here; ' +
      "the assistant cannot see or press these buttons. The link works once.</p>",
  ].join("");
  return page(`Approve: ${view.summary}`, body);
}

/** A page that says what happened (approved and done, refused, declined, expired, not found). */
export function outcomePage(heading: string, message: string, ok: boolean, view?: PreviewView): string {
  const body = [
    view ? previewHtml(view) : "",
    `<div class="outcome ${ok ? "ok" : "refused"}" role="status"><h2>${escapeHtml(heading)}</h2>`,
    `<p>${escapeHtml(message)}</p></div>`,
    '<p class="note">You can close this page.</p>',
  ].join("");
  return page(heading, body);
}
