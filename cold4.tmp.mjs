import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
const env = { PATH: process.env.PATH, HOME: "/tmp/tl", OKTA_ORG_URL: "http://127.0.0.1:9", OKTA_API_TOKEN: "x" };
const base = ["dist/entitlement-mcp.mjs", "--audit-log", "/tmp/tl/audit.jsonl"];
const variants = { plain: base, minsemi16: ["--min-semi-space-size=16", ...base], maxsemi64: ["--max-semi-space-size=64", ...base], fs: ["node_modules/@modelcontextprotocol/server-filesystem/dist/index.js", "/tmp/tl"] };
async function once(a) { const t0 = performance.now(); const t = new StdioClientTransport({ command: process.execPath, args: a, stderr: "ignore", env }); const c = new Client({ name: "x", version: "1" }); await c.connect(t); await c.listTools(); const ms = performance.now() - t0; await c.close(); return ms; }
const r = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
for (let i = 0; i < 15; i++) for (const k of Object.keys(variants)) r[k].push(await once(variants[k]));
for (const k of Object.keys(r)) console.log(k, r[k].sort((a, b) => a - b)[7].toFixed(1));
