/**
 * A small MCP Apps host for the approval card, in a real browser: a page that renders the card's HTML (from
 * resources/read) in a sandboxed iframe under the extension's default CSP, speaks the extension's
 * postMessage bridge (ui/initialize with a theme and style variables, tool-input and tool-result
 * notifications, size changes), and forwards the card's tools/call to the server through a real MCP client,
 * refusing, as hosts must, any tool whose visibility does not include "app".
 */
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { BrowserContext, Frame, Page } from "playwright-core";
import { CARD_URI } from "../../src/mcp/approval-card.js";

/** The restrictive CSP the extension prescribes when a UI resource declares none (SEP-1865). */
const DEFAULT_APP_CSP =
  "default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; " +
  "img-src 'self' data:; media-src 'self' data:; connect-src 'none'";

const HOST_PAGE = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>Test host</title>
<style>body{margin:0;padding:12px;font-family:sans-serif;background:#f3f3f3}
iframe{border:1px solid #bbb;border-radius:10px;width:640px;height:200px;background:#fff;display:block}</style>
</head><body><div id="cards"></div><script>
window.cards = [];
window.renderCard = (html, toolArgs, result, context) => {
  const frame = document.createElement("iframe");
  frame.setAttribute("sandbox", "allow-scripts");
  frame.setAttribute("title", "Approval card");
  frame.srcdoc = html;
  const index = window.cards.length;
  frame.id = "card-" + index;
  document.getElementById("cards").append(frame);
  window.cards.push(frame);
  const send = (message) => frame.contentWindow.postMessage(message, "*");
  window.addEventListener("message", async (event) => {
    if (event.source !== frame.contentWindow) return;
    const m = event.data;
    if (!m || m.jsonrpc !== "2.0") return;
    if (m.method === "ui/initialize") {
      send({ jsonrpc: "2.0", id: m.id, result: {
        protocolVersion: "2026-01-26",
        hostInfo: { name: "test-host", version: "1.0.0" },
        hostCapabilities: { serverTools: {} },
        hostContext: context,
      }});
    } else if (m.method === "ui/notifications/initialized") {
      send({ jsonrpc: "2.0", method: "ui/notifications/tool-input", params: { arguments: toolArgs } });
      send({ jsonrpc: "2.0", method: "ui/notifications/tool-result", params: result });
    } else if (m.method === "ui/notifications/size-changed") {
      frame.style.height = Math.min(900, m.params.height + 4) + "px";
    } else if (m.method === "tools/call") {
      try {
        send({ jsonrpc: "2.0", id: m.id, result: await window.forwardToolCall(m.params) });
      } catch (err) {
        send({ jsonrpc: "2.0", id: m.id, error: { code: -32000, message: String(err && err.message || err) } });
      }
    } else if (m.id !== undefined) {
      send({ jsonrpc: "2.0", id: m.id, error: { code: -32601, message: "not supported by the test host" } });
    }
  });
  return frame.id;
};
</script></body></html>`;

export interface CardHost {
  page: Page;
  /** The card's HTML as the server serves it. */
  html: string;
  /** Tool calls the card made through the host, in order. */
  calls: { name: string; arguments: Record<string, unknown> }[];
  /** Renders a card for a guarded call's result; returns its frame. */
  render(args: Record<string, unknown>, result: CallToolResult): Promise<Frame>;
  /** Violations of the card's CSP the page reported. */
  cspViolations: string[];
}

/** A host page whose cards call `client` (a client that declared MCP Apps). */
export async function openCardHost(
  context: BrowserContext,
  client: Client,
  theme: "light" | "dark" = "light",
): Promise<CardHost> {
  const read = await client.readResource({ uri: CARD_URI });
  const entry = read.contents[0] as { text: string; mimeType: string };
  const html = entry.text.replace(
    "<head>",
    `<head><meta http-equiv="Content-Security-Policy" content="${DEFAULT_APP_CSP}">`,
  );
  const visibility = new Map(
    (await client.listTools()).tools.map((t) => [
      t.name,
      ((t._meta as { ui?: { visibility?: string[] } } | undefined)?.ui?.visibility ?? [
        "model",
        "app",
      ]) as string[],
    ]),
  );
  const page = await context.newPage();
  const calls: CardHost["calls"] = [];
  const cspViolations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
  });
  await page.exposeFunction(
    "forwardToolCall",
    async (params: { name: string; arguments: Record<string, unknown> }) => {
      // The host's rule: an app may call only tools visible to apps, of its own server.
      if (!visibility.get(params.name)?.includes("app"))
        throw new Error(`${params.name} is not callable by apps`);
      calls.push(params);
      return client.callTool(params);
    },
  );
  await page.setContent(HOST_PAGE);
  const context_ = {
    theme,
    displayMode: "inline",
    styles: {
      variables: {
        "--font-sans": "DejaVu Sans, sans-serif",
        "--color-background-primary": theme === "dark" ? "#1f1e1d" : "#ffffff",
      },
    },
  };
  return {
    page,
    html,
    calls,
    cspViolations,
    async render(args, result) {
      const id = await page.evaluate(
        ([h, a, r, c]) =>
          (globalThis as unknown as { renderCard: (...x: unknown[]) => string }).renderCard(h, a, r, c),
        [html, args, result, context_] as const,
      );
      const frame = await (await page.$(`#${id}`))?.contentFrame();
      if (!frame) throw new Error("the card's frame did not load");
      return frame;
    },
  };
}
