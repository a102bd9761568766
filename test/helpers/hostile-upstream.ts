/**
 * A hostile upstream: a loopback HTTP proxy in front of the sandbox that plants text in the sandbox's
 * answers, the way a SaaS admin or a connector can put anything into a name. Every JSON string of every
 * answer is passed through `plant`; everything else (status, headers, paging links) passes unchanged, so
 * the server under test talks to it exactly as to a tenant.
 */
import { createServer } from "node:http";
import { mapStrings } from "../../src/core/sanitize.js";
import type { Sandbox } from "../../src/sandbox/index.js";
import { closer, listen } from "../../src/sandbox/kit/listen.js";

const HOP_HEADERS = new Set(["content-length", "content-encoding", "transfer-encoding", "connection"]);

/** `sandbox` as seen through the proxy: same state and records, another `url`. */
export async function hostileUpstream(sandbox: Sandbox, plant: (text: string) => string): Promise<Sandbox> {
  let url = "";
  const server = createServer((req, res) => {
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (name !== "host" && !HOP_HEADERS.has(name) && typeof value === "string") headers.set(name, value);
      }
      const upstream = await fetch(`${sandbox.url}${req.url ?? "/"}`, {
        method: req.method,
        headers,
        body: chunks.length ? Buffer.concat(chunks) : undefined,
      });
      let body = (await upstream.text()).replaceAll(sandbox.url, url);
      if (/json/.test(upstream.headers.get("content-type") ?? "") && body) {
        body = JSON.stringify(mapStrings(JSON.parse(body), plant));
      }
      upstream.headers.forEach((value, name) => {
        if (!HOP_HEADERS.has(name)) res.setHeader(name, value.replaceAll(sandbox.url, url));
      });
      res.writeHead(upstream.status);
      res.end(body);
    })().catch((err: unknown) => {
      res.writeHead(502);
      res.end(String(err));
    });
  });
  url = await listen(server, 0, "127.0.0.1");
  const close = closer(server);
  return {
    ...sandbox,
    url,
    close: async () => {
      await close();
      await sandbox.close();
    },
  };
}
