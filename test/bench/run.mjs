/**
 * npm run bench: speed and memory of entitlement-mcp, each figure a ratio against a baseline measured in
 * the same run (machines here are noisy; absolute numbers are printed for context only). Prints a table
 * and writes bench-results/bench.json. Everything talks to 127.0.0.1 only.
 *
 *   node test/bench/run.mjs [--quick]
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect as connectNet, createServer as createNetServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { request } from "undici";
import { rawColdStart, sdkClientColdStart } from "./cold-start.mjs";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const BIN = join(ROOT, "dist", "entitlement-mcp.mjs");
const FS_SERVER = join(
  ROOT,
  "node_modules",
  "@modelcontextprotocol",
  "server-filesystem",
  "dist",
  "index.js",
);
const QUICK = process.argv.includes("--quick");
const { startSandbox, SANDBOX_CREDENTIALS } = await import(join(ROOT, "dist", "src", "sandbox", "index.js"));

const TOKEN = SANDBOX_CREDENTIALS.okta.apiToken;
const SCALE_APP = "0oaZ0v6N5R43ZIG90ZtV";
const work = mkdtempSync(join(tmpdir(), "entitlement-mcp-bench-"));
const results = [];

const median = (xs) => quantile(xs, 0.5);
function quantile(xs, q) {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}
const round = (x, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

function record(name, value, unit, baseline, baselineName, target) {
  const ratio = baseline ? value / baseline : undefined;
  results.push({
    name,
    value: round(value),
    unit,
    baseline: baseline && round(baseline),
    baselineName,
    ratio: ratio && round(ratio, 3),
    target,
  });
}

async function stdioClient(args, env = {}) {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args,
    env: { PATH: process.env.PATH ?? "", HOME: work, ...env },
    stderr: "ignore",
  });
  const client = new Client({ name: "bench", version: "1.0.0" });
  await client.connect(transport);
  return { client, transport };
}

/**
 * Rounds of `measures` (name -> () => ms) run interleaved, each round in turn, so drift on a shared machine
 * hits every measure alike. The ratios of each round to `baseline` give the spread.
 */
async function interleaved(rounds, measures, baseline) {
  const times = Object.fromEntries(Object.keys(measures).map((name) => [name, []]));
  for (let i = 0; i < rounds; i += 1) {
    for (const [name, measure] of Object.entries(measures)) times[name].push(await measure());
  }
  const spreadOf = (name) => {
    const ratios = times[name].map((ms, i) => ms / times[baseline][i]);
    return `per-round ratio ${round(quantile(ratios, 0), 2)}-${round(quantile(ratios, 1), 2)}x, ${rounds} rounds`;
  };
  return { times, spreadOf };
}

async function benchColdStart(sandbox) {
  const rounds = QUICK ? 5 : 11;
  const audit = join(work, "audit.jsonl");
  // As deployed: a configured Okta org (here the bench's sandbox, which answers no request at start).
  const okta = { OKTA_ORG_URL: sandbox.url, OKTA_API_TOKEN: TOKEN };
  const { times, spreadOf } = await interleaved(
    rounds,
    {
      sandbox: () => rawColdStart(work, [BIN, "--sandbox", "--audit-log", audit]),
      configured: () => rawColdStart(work, [BIN, "--audit-log", audit], okta),
      theirs: () => rawColdStart(work, [FS_SERVER, work]),
    },
    "theirs",
  );
  record(
    "cold start: spawn to tools/list, raw JSON-RPC client, --sandbox (median)",
    median(times.sandbox),
    "ms",
    median(times.theirs),
    `server-filesystem; ${spreadOf("sandbox")}`,
    "<= 0.45x",
  );
  record(
    "cold start: spawn to tools/list, raw JSON-RPC client, a configured Okta org (median)",
    median(times.configured),
    "ms",
    median(times.theirs),
    `server-filesystem; ${spreadOf("configured")}`,
    "<= 0.45x",
  );
}

/** What a user waits for in a host built on the TypeScript SDK: a fresh client process, validators compiled. */
async function benchClientColdStart(sandbox) {
  const rounds = QUICK ? 5 : 11;
  const audit = join(work, "audit.jsonl");
  const okta = { OKTA_ORG_URL: sandbox.url, OKTA_API_TOKEN: TOKEN };
  const { times, spreadOf } = await interleaved(
    rounds,
    {
      configured: () => sdkClientColdStart(work, [BIN, "--audit-log", audit], okta),
      sandbox: () => sdkClientColdStart(work, [BIN, "--sandbox", "--audit-log", audit]),
      theirs: () => sdkClientColdStart(work, [FS_SERVER, work]),
    },
    "theirs",
  );
  record(
    "client spawn to listTools() with a TypeScript SDK Client (compiles output validators), a configured Okta org (median)",
    median(times.configured),
    "ms",
    median(times.theirs),
    `server-filesystem, the same client; ${spreadOf("configured")}`,
    "<= 0.6x",
  );
  record(
    "client spawn to listTools() with a TypeScript SDK Client, --sandbox (median)",
    median(times.sandbox),
    "ms",
    median(times.theirs),
    `server-filesystem, the same client; ${spreadOf("sandbox")}`,
  );
}

async function benchToolsList() {
  const ours = await stdioClient([BIN, "--sandbox", "--audit-log", join(work, "audit.jsonl")]);
  const { tools } = await ours.client.listTools();
  await ours.client.close();
  const fs = await stdioClient([FS_SERVER, work]);
  const fsTools = (await fs.client.listTools()).tools;
  await fs.client.close();
  const visible = (list) =>
    list.map(({ name, title, description, inputSchema, annotations }) => ({
      name,
      title,
      description,
      inputSchema,
      annotations,
    }));
  const perTool = (list, f) => Buffer.byteLength(JSON.stringify(f(list))) / list.length;
  record("tools/list, whole (bytes)", Buffer.byteLength(JSON.stringify({ tools })), "bytes");
  record(
    "tools/list, model-visible per tool",
    perTool(tools, visible),
    "bytes/tool",
    perTool(fsTools, visible),
    "server-filesystem",
    "<= 800 bytes",
  );
  record(
    "tools/list, whole per tool",
    perTool(tools, (l) => l),
    "bytes/tool",
    perTool(fsTools, (l) => l),
    "server-filesystem",
  );
  return tools.length;
}

async function benchCallOverhead(sandbox) {
  const { client } = await stdioClient([BIN, "--audit-log", join(work, "audit.jsonl")], {
    OKTA_ORG_URL: sandbox.url,
    OKTA_API_TOKEN: TOKEN,
  });
  const url = `${sandbox.url}/governance/api/v1/entitlements/esp2lr1lavoGDYw5U8g6`;
  const direct = async () => {
    const t0 = performance.now();
    const res = await request(url, {
      headers: { authorization: `SSWS ${TOKEN}`, accept: "application/json" },
    });
    await res.body.json();
    return performance.now() - t0;
  };
  const viaServer = async () => {
    const t0 = performance.now();
    const r = await client.callTool({
      name: "okta_get_entitlement",
      arguments: { entitlementId: "esp2lr1lavoGDYw5U8g6" },
    });
    if (r.isError) throw new Error(JSON.stringify(r.content));
    return performance.now() - t0;
  };
  // Warm both paths up (JIT, connection pools): a long-running server is measured in its steady state.
  for (let i = 0; i < 200; i += 1) {
    await direct();
    await viaServer();
  }
  const n = QUICK ? 200 : 1000;
  const d = [];
  const s = [];
  for (let i = 0; i < n; i += 1) {
    d.push(await direct());
    s.push(await viaServer());
  }
  await client.close();
  record(
    "okta_get_entitlement over stdio, p50",
    quantile(s, 0.5),
    "ms",
    quantile(d, 0.5),
    "direct undici request",
  );
  record(
    "okta_get_entitlement over stdio, p99",
    quantile(s, 0.99),
    "ms",
    quantile(d, 0.99),
    "direct undici request",
  );
  record(
    "added latency per call, p50",
    quantile(s, 0.5) - quantile(d, 0.5),
    "ms",
    undefined,
    undefined,
    "<= 1 ms",
  );
  record(
    "added latency per call, p99",
    quantile(s, 0.99) - quantile(d, 0.99),
    "ms",
    undefined,
    undefined,
    "<= 3 ms",
  );
}

function spawnHttp(command, args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [command, ...args], {
      env: { PATH: process.env.PATH ?? "", HOME: work, ...env },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let err = "";
    child.stderr.on("data", (c) => {
      err += c.toString();
      const url = /(http:\/\/127\.0\.0\.1:\d+\/mcp)/.exec(err)?.[1];
      if (url) resolve({ url, child });
    });
    child.once("exit", (code) => reject(new Error(`exited ${code}: ${err}`)));
  });
}

async function throughput(url, headers, tool, args) {
  return throughputAcross([url], headers, tool, args);
}

/** Calls per second of 32 sessions spread over `urls` (replicas behind a load balancer). */
async function throughputAcross(urls, headers, tool, args) {
  const sessions = 32;
  const perSession = QUICK ? 10 : 40;
  const clients = await Promise.all(
    Array.from({ length: sessions }, async (_, n) => {
      const client = new Client({ name: "bench-http", version: "1.0.0" });
      const url = urls[n % urls.length];
      await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } }));
      return client;
    }),
  );
  const t0 = performance.now();
  await Promise.all(
    clients.map(async (client) => {
      for (let i = 0; i < perSession; i += 1) {
        const r = await client.callTool({ name: tool, arguments: args });
        if (r.isError) throw new Error(JSON.stringify(r.content));
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  await Promise.all(clients.map((c) => c.close()));
  return (sessions * perSession) / seconds;
}

async function benchHttp(sandbox) {
  const help = await new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, "--help"], { stdio: ["ignore", "ignore", "pipe"] });
    let text = "";
    child.stderr.on("data", (c) => {
      text += c.toString();
    });
    child.on("close", () => resolve(text));
  });
  if (!help.includes("--http")) {
    results.push({
      name: "HTTP: tool calls per second, 32 sessions",
      value: "n/a",
      unit: "",
      note: "no --http yet",
    });
    return;
  }
  const auth = "bench-http-token-0123456789abcdef0123";
  const ours = await spawnHttp(BIN, ["--http", "--port", "0", "--audit-log", join(work, "audit.jsonl")], {
    OKTA_ORG_URL: sandbox.url,
    OKTA_API_TOKEN: TOKEN,
    ENTITLEMENT_MCP_AUTH_TOKEN: auth,
    // Throughput, not the per-subject limiter (600 calls a minute by default), is what is measured here.
    ENTITLEMENT_MCP_RATE_LIMIT: "100000000",
    // The bench opens 32 sessions with one token; the default per-subject cap is 20.
    ENTITLEMENT_MCP_MAX_SESSIONS_PER_SUBJECT: "64",
  });
  const bare = await spawnHttp(join(ROOT, "test", "bench", "bare-http-server.mjs"), [], {});
  try {
    const theirs = await throughput(bare.url, {}, "echo", { text: "hi" });
    const mine = await throughput(ours.url, { Authorization: `Bearer ${auth}` }, "okta_get_entitlement", {
      entitlementId: "esp2lr1lavoGDYw5U8g6",
    });
    record(
      "HTTP: tool calls per second, 32 sessions",
      mine,
      "calls/s",
      theirs,
      "bare SDK server, trivial tool",
    );
  } finally {
    ours.child.kill();
    bare.child.kill();
  }
}

/** A redis-server of Debian's on a free loopback port, or undefined when it is not installed. */
async function startRedisServer() {
  const port = await new Promise((resolve) => {
    const probe = createNetServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
  const child = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    {
      stdio: "ignore",
    },
  );
  const started = await new Promise((resolve) => {
    child.once("error", () => resolve(false));
    const poll = (tries) => {
      const socket = connectNet(port, "127.0.0.1");
      socket.once("connect", () => {
        socket.end();
        resolve(true);
      });
      socket.once("error", () => (tries > 100 ? resolve(false) : setTimeout(() => poll(tries + 1), 50)));
    };
    poll(0);
  });
  return started ? { url: `redis://127.0.0.1:${port}`, stop: () => child.kill() } : undefined;
}

async function benchReplicas(sandbox) {
  const name = "HTTP: tool calls per second, 2 replicas sharing Redis (stateless)";
  const redis = await startRedisServer();
  if (!redis) {
    results.push({ name, value: "n/a", unit: "", note: "redis-server is not installed" });
    return;
  }
  const auth = "bench-http-token-0123456789abcdef0123";
  const env = {
    OKTA_ORG_URL: sandbox.url,
    OKTA_API_TOKEN: TOKEN,
    ENTITLEMENT_MCP_AUTH_TOKEN: auth,
    ENTITLEMENT_MCP_RATE_LIMIT: "100000000",
    ENTITLEMENT_MCP_SECRET: "bench-replicas-share-this-secret-0123456789",
  };
  const args = (log) => ["--http", "--port", "0", "--stateless", "--audit-log", join(work, log)];
  const alone = await spawnHttp(BIN, args("alone.jsonl"), env);
  const pair = await Promise.all(
    ["a.jsonl", "b.jsonl"].map((log) =>
      spawnHttp(BIN, args(log), { ...env, ENTITLEMENT_MCP_REDIS_URL: redis.url }),
    ),
  );
  const headers = { Authorization: `Bearer ${auth}` };
  const call = ["okta_get_entitlement", { entitlementId: "esp2lr1lavoGDYw5U8g6" }];
  try {
    // Interleaved rounds, medians: this machine is noisy.
    const one = [];
    const two = [];
    for (let round = 0; round < (QUICK ? 1 : 3); round += 1) {
      one.push(await throughputAcross([alone.url], headers, ...call));
      two.push(
        await throughputAcross(
          pair.map((p) => p.url),
          headers,
          ...call,
        ),
      );
    }
    record(name, quantile(two, 0.5), "calls/s", quantile(one, 0.5), "one replica, no Redis, same run");
  } finally {
    alone.child.kill();
    for (const p of pair) p.child.kill();
    redis.stop();
  }
}

async function benchBurst() {
  // 50 requests a minute, with time scaled down 30x: 50 per 2 s.
  const sandbox = await startSandbox({ rateLimit: { limit: 50, windowMs: 2000 } });
  const { client } = await stdioClient([BIN, "--audit-log", join(work, "audit.jsonl")], {
    OKTA_ORG_URL: sandbox.url,
    OKTA_API_TOKEN: TOKEN,
  });
  const t0 = performance.now();
  const outcomes = await Promise.all(
    Array.from({ length: 200 }, () =>
      client
        .callTool({ name: "okta_get_entitlement", arguments: { entitlementId: "esp2lr1lavoGDYw5U8g6" } })
        .then((r) => !r.isError)
        .catch(() => false),
    ),
  );
  const seconds = (performance.now() - t0) / 1000;
  await client.close();
  const upstream = sandbox.requests.filter((r) =>
    r.path.startsWith("/governance/api/v1/entitlements"),
  ).length;
  const limited = sandbox.requests.filter((r) => r.status === 429).length;
  await sandbox.close();
  const completed = outcomes.filter(Boolean).length;
  record(
    "burst of 200 calls at 50/window: completed",
    completed,
    "calls",
    200,
    "calls sent",
    "200, 0 failed",
  );
  record("burst: failed", 200 - completed, "calls", undefined, undefined, "0");
  record("burst: upstream requests used", upstream, "requests", 200, "calls sent");
  record("burst: upstream 429s", limited, "responses");
  record("burst: duration", seconds, "s", (200 / 50) * 2, "ideal at 50 per 2 s");
}

function rssKb(pid, field) {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
}

async function benchPaging() {
  const n = QUICK ? 10_000 : 50_000;
  const sandbox = await startSandbox({ scale: n, rateLimit: { limit: 1_000_000 } });
  const filter = encodeURIComponent(`parent.externalId eq "${SCALE_APP}" AND parent.type eq "APPLICATION"`);
  // Direct paging first (also builds the sandbox's lazy catalog, so neither side pays for it).
  let t0 = performance.now();
  let next = `${sandbox.url}/governance/api/v1/entitlements?filter=${filter}&limit=200`;
  let directCount = 0;
  while (next) {
    const res = await request(next, {
      headers: { authorization: `SSWS ${TOKEN}`, accept: "application/json" },
    });
    const body = await res.body.json();
    directCount += body.data.length;
    next = body._links?.next?.href;
  }
  const direct = performance.now() - t0;
  const { client, transport } = await stdioClient([BIN, "--audit-log", join(work, "audit.jsonl")], {
    OKTA_ORG_URL: sandbox.url,
    OKTA_API_TOKEN: TOKEN,
  });
  await client.listTools();
  const idleKb = rssKb(transport.pid, "VmRSS");
  t0 = performance.now();
  let after;
  let count = 0;
  do {
    const r = await client.callTool({
      name: "okta_list_entitlements",
      arguments: { appId: SCALE_APP, limit: 200, ...(after ? { after } : {}) },
    });
    if (r.isError) throw new Error(JSON.stringify(r.content));
    count += r.structuredContent.items.length;
    after = r.structuredContent.nextCursor;
  } while (after);
  const viaServer = performance.now() - t0;
  const peakKb = rssKb(transport.pid, "VmHWM");
  await client.close();
  await sandbox.close();
  if (count !== n || directCount !== n) throw new Error(`paged ${count} / ${directCount} of ${n}`);
  record(
    `paging ${n} entitlements via tools (200 a page)`,
    viaServer / 1000,
    "s",
    direct / 1000,
    "direct undici paging",
  );
  record("paging: server peak RSS", peakKb / 1024, "MB", idleKb / 1024, "the same server idle", "< 150 MB");
}

function table() {
  const rows = results.map((r) => [
    r.name,
    typeof r.value === "number" ? `${r.value} ${r.unit}` : String(r.value),
    r.baseline !== undefined ? `${r.baseline} ${r.unit} (${r.baselineName})` : "",
    r.ratio !== undefined ? `${r.ratio}x` : "",
    r.target ?? r.note ?? "",
  ]);
  const head = ["measure", "entitlement-mcp", "baseline (same run)", "ratio", "target"];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
  return [line(head), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

try {
  const sandbox = await startSandbox({ rateLimit: { limit: 1_000_000 } });
  // Per-call overhead first, while this process's heap is small: the client's own work is part of it.
  await benchCallOverhead(sandbox);
  await benchColdStart(sandbox);
  await benchClientColdStart(sandbox);
  await benchToolsList();
  await benchHttp(sandbox);
  await benchReplicas(sandbox);
  await sandbox.close();
  await benchBurst();
  await benchPaging();
  const out = join(ROOT, "bench-results");
  mkdirSync(out, { recursive: true });
  const report = { date: new Date().toISOString(), node: process.version, quick: QUICK, results };
  writeFileSync(join(out, "bench.json"), `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`${table()}\n\nWrote ${join(out, "bench.json")}\n`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
