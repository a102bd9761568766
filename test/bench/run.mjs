/**
 * npm run bench: speed and memory of entitlement-mcp, each figure a ratio against a baseline measured in
 * the same run (machines here are noisy; absolute numbers are printed for context only). Prints a table
 * and writes bench-results/bench.json. Everything talks to 127.0.0.1 only.
 *
 *   node test/bench/run.mjs [--quick] [--only=name,name]   (names: overhead, cold, tools, http, replicas,
 *                                                          burst, scale)
 *
 * Where two servers are compared, the measurement runs in interleaved rounds (which one goes first
 * alternates) and the spread of the per-round ratios is reported beside the median.
 */
import { spawn } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { connect as connectNet, createServer as createNetServer } from "node:net";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { benchBurst } from "./burst.mjs";
import { benchClientColdStart, benchColdStart, benchToolsList } from "./cold.mjs";
import {
  BARE_HTTP,
  BARE_STDIO,
  BIN,
  interleaved,
  median,
  ONLY,
  QUICK,
  quantile,
  ROOT,
  ROUNDS,
  record,
  results,
  runs,
  spreadOf,
  startSandbox,
  stdioClient,
  TOKEN,
  work,
} from "./kit.mjs";
import { benchScale } from "./scale.mjs";

async function benchCallOverhead(sandbox) {
  const ours = await stdioClient([BIN, "--audit-log", join(work, "audit.jsonl")], {
    OKTA_ORG_URL: sandbox.url,
    OKTA_API_TOKEN: TOKEN,
  });
  const bare = await stdioClient([BARE_STDIO], {
    BARE_UPSTREAM_URL: sandbox.url,
    BARE_UPSTREAM_TOKEN: TOKEN,
  });
  const timed = (client, name) => async () => {
    const t0 = performance.now();
    const r = await client.callTool({ name, arguments: { entitlementId: "esp2lr1lavoGDYw5U8g6" } });
    if (r.isError) throw new Error(JSON.stringify(r.content));
    return performance.now() - t0;
  };
  const viaServer = timed(ours.client, "okta_get_entitlement");
  const viaBare = timed(bare.client, "get_entitlement");
  // Warm both up (JIT, connection pools): a long-running server is measured in its steady state.
  for (let i = 0; i < 300; i += 1) {
    await viaBare();
    await viaServer();
  }
  // Each round alternates the two call by call, so both see the same moment of this noisy machine.
  const n = QUICK ? 200 : 500;
  const rounds = [];
  for (let r = 0; r < ROUNDS; r += 1) {
    const mine = [];
    const theirs = [];
    for (let i = 0; i < n; i += 1) {
      if ((i + r) % 2 === 0) {
        mine.push(await viaServer());
        theirs.push(await viaBare());
      } else {
        theirs.push(await viaBare());
        mine.push(await viaServer());
      }
    }
    rounds.push({
      p50: [quantile(mine, 0.5), quantile(theirs, 0.5)],
      p99: [quantile(mine, 0.99), quantile(theirs, 0.99)],
    });
  }
  await ours.client.close();
  await bare.client.close();
  const baseline = "bare SDK server, same upstream call";
  for (const [q, target] of [
    ["p50", "<= +0.2 ms"],
    ["p99", "<= +1 ms"],
  ]) {
    const mine = rounds.map((r) => r[q][0]);
    const theirs = rounds.map((r) => r[q][1]);
    const ratios = rounds.map((r) => r[q][0] / r[q][1]);
    const added = rounds.map((r) => r[q][0] - r[q][1]);
    record(`okta_get_entitlement over stdio, ${q}`, median(mine), "ms", median(theirs), baseline, undefined, {
      ratio: median(ratios),
      spread: spreadOf(ratios),
    });
    record(
      `added latency per call, ${q} (vs ${baseline})`,
      median(added),
      "ms",
      undefined,
      undefined,
      target,
      {
        spread: spreadOf(added, "ms"),
      },
    );
  }
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
  const bare = await spawnHttp(BARE_HTTP, [], { BARE_UPSTREAM_URL: sandbox.url, BARE_UPSTREAM_TOKEN: TOKEN });
  const args = { entitlementId: "esp2lr1lavoGDYw5U8g6" };
  try {
    const mineCall = () =>
      throughput(ours.url, { Authorization: `Bearer ${auth}` }, "okta_get_entitlement", args);
    const bareCall = () => throughput(bare.url, {}, "get_entitlement", args);
    // One warm-up of each, then the rounds.
    await mineCall();
    await bareCall();
    const { mine, bare: theirs } = await interleaved(ROUNDS, mineCall, bareCall);
    const ratios = mine.map((m, i) => m / theirs[i]);
    record(
      "HTTP: tool calls per second, 32 sessions",
      median(mine),
      "calls/s",
      median(theirs),
      "bare SDK HTTP server, same upstream call",
      ">= 0.95x",
      { ratio: median(ratios), spread: spreadOf(ratios) },
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

function table() {
  const spread = (r) =>
    r.spread
      ? `${r.spread.min}-${r.spread.max}${r.spread.unit === "x" ? "x" : ` ${r.spread.unit}`} (${r.spread.rounds} rounds)`
      : "";
  const rows = results.map((r) => [
    r.name,
    typeof r.value === "number" ? `${r.value} ${r.unit}` : String(r.value),
    r.baseline !== undefined ? `${r.baseline} ${r.unit} (${r.baselineName})` : "",
    r.ratio !== undefined ? `${r.ratio}x` : "",
    spread(r),
    r.target ?? r.note ?? "",
  ]);
  const head = ["measure", "entitlement-mcp", "baseline (same run)", "ratio", "spread", "target"];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
  return [line(head), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

try {
  const sandbox = await startSandbox({ rateLimit: { limit: 1_000_000 } });
  // Per-call overhead first, while this process's heap is small: the client's own work is part of it.
  if (runs("overhead")) await benchCallOverhead(sandbox);
  if (runs("cold")) {
    await benchColdStart(sandbox);
    await benchClientColdStart(sandbox);
  }
  if (runs("tools")) await benchToolsList();
  if (runs("http")) await benchHttp(sandbox);
  if (runs("replicas")) await benchReplicas(sandbox);
  await sandbox.close();
  // A minute in real time: not in a quick run.
  if (runs("burst") && !QUICK) await benchBurst();
  if (runs("scale")) await benchScale();
  const out = join(ROOT, "bench-results");
  mkdirSync(out, { recursive: true });
  const report = { date: new Date().toISOString(), node: process.version, quick: QUICK, results };
  writeFileSync(
    join(out, ONLY ? `bench-${ONLY.join("-")}.json` : "bench.json"),
    `${JSON.stringify(report, null, 2)}\n`,
  );
  process.stdout.write(`${table()}\n\nWrote results to ${out}\n`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
