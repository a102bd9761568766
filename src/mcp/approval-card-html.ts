/**
 * The approval card: one HTML document (MCP Apps, `text/html;profile=mcp-app`) with its style and script
 * inline, so it runs under the extension's restrictive default CSP (no CSP metadata is declared: nothing
 * loads from anywhere). A small hand-written bridge speaks the extension's JSON-RPC over postMessage with
 * the host: `ui/initialize` (theme and style variables), the guarded call's result (`ui/notifications/
 * tool-result`, whose `_meta` carries the pending change), and `tools/call` of the app-only tool on
 * Approve or Decline. Everything it shows is set as text (never as markup), from the same PreviewView and
 * in the same structure as the approval page (approval-html.ts).
 */
import { VERSION } from "../core/version.js";
import { APPROVAL_META } from "../guard/results.js";
import { APPROVAL_CSS } from "./approval-html.js";

/** The card's script; `DECIDE` and `META` are filled in below. */
const CARD_SCRIPT = String.raw`
(() => {
  "use strict";
  const DECIDE = __DECIDE__;
  const META = __META__;
  const root = document.documentElement;
  const $ = (id) => document.getElementById(id);
  let nextId = 1;
  const waiting = new Map();
  let change;

  const post = (message) => window.parent.postMessage(message, "*");
  const notify = (method, params) => post({ jsonrpc: "2.0", method, params });
  const request = (method, params) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, { resolve, reject });
      post({ jsonrpc: "2.0", id, method, params });
    });

  const el = (tag, className, text) => {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = String(text);
    return node;
  };

  function applyContext(context) {
    if (!context || typeof context !== "object") return;
    if (context.theme === "light" || context.theme === "dark") root.dataset.theme = context.theme;
    const variables = context.styles && context.styles.variables;
    if (variables && typeof variables === "object") {
      for (const [name, value] of Object.entries(variables)) {
        if (/^--[a-z0-9-]+$/.test(name) && typeof value === "string") root.style.setProperty(name, value);
      }
    }
  }

  function textOf(result) {
    const blocks = (result && Array.isArray(result.content)) ? result.content : [];
    return blocks.filter((b) => b && b.type === "text").map((b) => String(b.text)).join("\n");
  }

  function showOutcome(ok, heading, message) {
    const box = $("status");
    box.textContent = "";
    const outcome = el("div", "outcome " + (ok ? "ok" : "refused"));
    outcome.append(el("h2", "", heading), el("p", "", message));
    box.append(outcome);
    $("controls").classList.add("hidden");
  }

  function renderPreview(view) {
    const section = $("preview");
    section.textContent = "";
    section.append(el("p", "tool", view.tool));
    const summary = el("h1", "summary", view.summary);
    summary.id = "summary";
    section.append(summary);
    if (Array.isArray(view.effects) && view.effects.length) {
      const list = el("ul", "effects");
      list.setAttribute("aria-label", "Effects on access");
      for (const effect of view.effects) list.append(el("li", "effect " + effect.tone, effect.label));
      section.append(list);
    }
    if (Array.isArray(view.lines) && view.lines.length) {
      const list = el("ul", "lines");
      list.setAttribute("aria-label", "Details");
      for (const line of view.lines) list.append(el("li", "line " + line.kind, line.text));
      section.append(list);
    }
  }

  function renderChange(data) {
    change = data;
    const view = data.view;
    renderPreview(view);
    const name = $("confirm-name");
    const approve = $("approve");
    if (typeof view.confirmName === "string") {
      $("name-label").classList.remove("hidden");
      $("name-value").textContent = view.confirmName;
      approve.disabled = true;
      name.addEventListener("input", () => {
        approve.disabled = name.value.trim() !== view.confirmName;
      });
    }
    const until = new Date(data.expiresAt);
    $("expires").textContent = isNaN(until.getTime())
      ? ""
      : "Decide before " + until.toLocaleTimeString() + ". Only your click approves: the assistant cannot.";
    $("controls").classList.remove("hidden");
  }

  async function decide(decision) {
    if (!change) return;
    const buttons = [$("approve"), $("decline")];
    for (const b of buttons) b.disabled = true;
    $("status").textContent = decision === "approve" ? "Approving…" : "Declining…";
    const args = { pendingId: change.pendingId, secret: change.secret, decision };
    if (decision === "approve" && typeof change.view.confirmName === "string") {
      args.confirmName = $("confirm-name").value.trim();
    }
    try {
      const result = await request("tools/call", { name: DECIDE, arguments: args });
      const text = textOf(result);
      if (result && result.isError) {
        showOutcome(false, decision === "approve" ? "Not done" : "Declined", text);
      } else {
        showOutcome(true, "Approved and done", text);
      }
    } catch (err) {
      $("status").textContent = "The host could not send your decision (" + err.message + "). Nothing was changed; try again.";
      for (const b of buttons) b.disabled = false;
    }
  }

  function onResult(result) {
    const data = result && result._meta && result._meta[META];
    if (data && data.view && typeof data.pendingId === "string" && typeof data.secret === "string") {
      renderChange(data);
      return;
    }
    // No approval was needed, or the call was refused: show what the server said.
    $("preview").textContent = "";
    showOutcome(!(result && result.isError), result && result.isError ? "Not done" : "Done", textOf(result));
  }

  window.addEventListener("message", (event) => {
    if (event.source !== window.parent) return;
    const message = event.data;
    if (!message || message.jsonrpc !== "2.0") return;
    if (message.id !== undefined && !message.method) {
      const pending = waiting.get(message.id);
      if (!pending) return;
      waiting.delete(message.id);
      if (message.error) pending.reject(new Error(String(message.error.message || "error")));
      else pending.resolve(message.result);
      return;
    }
    if (message.id !== undefined) {
      post({ jsonrpc: "2.0", id: message.id, result: {} });
      return;
    }
    if (message.method === "ui/notifications/tool-result") onResult(message.params);
    else if (message.method === "ui/notifications/host-context-changed") applyContext(message.params);
    else if (message.method === "ui/notifications/tool-cancelled") {
      showOutcome(false, "Cancelled", "The request was cancelled. Nothing was changed.");
    }
  });

  $("approve").addEventListener("click", () => decide("approve"));
  $("decline").addEventListener("click", () => decide("decline"));

  let size = "";
  new ResizeObserver(() => {
    const width = Math.ceil(document.body.scrollWidth);
    const height = Math.ceil(document.body.scrollHeight);
    if (width + "x" + height === size) return;
    size = width + "x" + height;
    notify("ui/notifications/size-changed", { width, height });
  }).observe(document.body);

  request("ui/initialize", {
    appInfo: { name: "entitlement-mcp approval card", version: __VERSION__ },
    appCapabilities: {},
    protocolVersion: "2026-01-26",
  }).then(
    (result) => {
      applyContext(result && result.hostContext);
      notify("ui/notifications/initialized", {});
    },
    () => {
      $("status").textContent = "This card could not connect to its host. Nothing was changed.";
    },
  );
})();
`;

/** The card's HTML document, as the ui:// resource serves it. */
export function approvalCardHtml(decideTool: string): string {
  const script = CARD_SCRIPT.replace("__DECIDE__", JSON.stringify(decideTool))
    .replace("__META__", JSON.stringify(APPROVAL_META))
    .replace("__VERSION__", JSON.stringify(VERSION));
  return [
    "<!DOCTYPE html>",
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    "<title>Approve a change</title>",
    `<style>${APPROVAL_CSS}</style>`,
    "</head><body><main>",
    '<section id="preview" class="preview" aria-labelledby="summary">',
    '<p class="note">Loading the change to approve…</p></section>',
    '<div id="controls" class="hidden">',
    '<label id="name-label" class="confirm-name hidden" for="confirm-name">Type <strong id="name-value"></strong> to confirm the delete',
    '<input id="confirm-name" autocomplete="off" spellcheck="false"></label>',
    '<div class="actions">',
    '<button id="approve" class="approve" type="button">Approve</button>',
    '<button id="decline" class="decline" type="button">Decline</button>',
    "</div>",
    '<p id="expires" class="note"></p>',
    "</div>",
    '<div id="status" class="status" role="status" aria-live="polite"></div>',
    `</main><script>${script}</script></body></html>`,
  ].join("");
}
