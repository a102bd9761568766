/**
 * Scale (issue 14): search_entitlements and catalog resources/read over a 50,000-entitlement org, their
 * latency against the same upstream requests sent directly, the server's peak RSS, and its memory after GC
 * after 1,000 and 10,000 calls.
 */
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { request } from "undici";
import {
  GC_HOST,
  median,
  QUICK,
  record,
  results,
  round,
  rssKb,
  SCALE_APP,
  startSandbox,
  TOKEN,
  work,
} from "./kit.mjs";

/** The server's memory after two full collections (gc-host.mjs answers SIGUSR2 on stderr). */
function memoryAfterGc(transport) {
  return new Promise((resolve) => {
    let text = "";
    const onData = (chunk) => {
      text += chunk.toString();
      const line = /bench-memory (\{.*\})/.exec(text)?.[1];
      if (!line) return;
      transport.stderr.off("data", onData);
      resolve(JSON.parse(line));
    };
    transport.stderr.on("data", onData);
    process.kill(transport.pid, "SIGUSR2");
  });
}

/**
 * Sends the upstream requests a call made (as the sandbox recorded them) again, directly, one by one, to a
 * twin sandbox: the emulator caches list results per query, so the twin answers them as fresh as the
 * server's own were.
 */
async function replay(sandbox, recorded) {
  const t0 = performance.now();
  for (const r of recorded) {
    const res = await request(`${sandbox.url}${r.path}${r.query ? `?${r.query}` : ""}`, {
      method: r.method,
      headers: { authorization: `SSWS ${TOKEN}`, accept: "application/json" },
    });
    await res.body.text();
    if (res.statusCode !== r.status)
      throw new Error(`replayed ${r.method} ${r.path}: ${res.statusCode}, not ${r.status}`);
  }
  return performance.now() - t0;
}

export async function benchScale() {
  const n = QUICK ? 10_000 : 50_000;
  const sandbox = await startSandbox({ scale: n, rateLimit: { limit: 1_000_000 } });
  const twin = await startSandbox({ scale: n, rateLimit: { limit: 1_000_000 } });
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: ["--expose-gc", GC_HOST, "--audit-log", join(work, "audit.jsonl")],
    env: { PATH: process.env.PATH ?? "", HOME: work, OKTA_ORG_URL: sandbox.url, OKTA_API_TOKEN: TOKEN },
    stderr: "pipe",
  });
  const client = new Client({ name: "bench-scale", version: "1.0.0" });
  await client.connect(transport);
  const idle = await memoryAfterGc(transport);
  const idleRssKb = rssKb(transport.pid, "VmRSS");
  // A different name each time: every search asks the upstream again.
  let searches = 0;
  const search = async () => {
    searches += 1;
    const q = `Entitlement ${String((searches * 7919) % n).padStart(6, "0")}`;
    const before = sandbox.requests.length;
    const t0 = performance.now();
    const r = await client.callTool({ name: "search_entitlements", arguments: { q } });
    const ms = performance.now() - t0;
    if (r.isError || r.structuredContent.errors) throw new Error(JSON.stringify(r.content));
    return { ms, recorded: sandbox.requests.slice(before) };
  };
  // The scale app's catalog, page after page (20 entitlements and their values each), from the start again
  // at its end: every page is a different resource.
  let cursor;
  let reads = 0;
  const read = async () => {
    reads += 1;
    const uri = `entitlements://okta/apps/${SCALE_APP}/entitlements${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ""}`;
    const before = sandbox.requests.length;
    const t0 = performance.now();
    const res = await client.readResource({ uri });
    const ms = performance.now() - t0;
    const body = JSON.parse(res.contents[0].text);
    if (body.items.length !== 20) throw new Error(`a catalog page held ${body.items.length} entitlements`);
    cursor = body.nextCursor;
    return { ms, recorded: sandbox.requests.slice(before) };
  };
  // Latency: each call against the same upstream requests sent directly, in turn.
  const latency = async (call, count) => {
    const mine = [];
    const direct = [];
    for (let i = 0; i < count; i += 1) {
      const { ms, recorded } = await call();
      mine.push(ms);
      direct.push(await replay(twin, recorded));
    }
    return { mine, direct };
  };
  // The first calls build both emulators' lazy catalogs: neither side pays for that.
  await replay(twin, (await search()).recorded);
  await replay(twin, (await read()).recorded);
  const searched = await latency(search, QUICK ? 10 : 30);
  const readPages = await latency(read, QUICK ? 50 : 200);
  // Memory over many calls: reads, with a search every 100th call (a search costs the emulator about a
  // second at this scale; the server's share of it is small).
  const mixed = async (count) => {
    for (let i = 0; i < count; i += 1) {
      if (i % 100 === 99) await search();
      else await read();
    }
  };
  const callsSoFar = () => searches + reads;
  await mixed(1_000 - callsSoFar());
  const after1k = await memoryAfterGc(transport);
  const rss1kKb = rssKb(transport.pid, "VmRSS");
  await mixed((QUICK ? 2_000 : 10_000) - callsSoFar());
  const after10k = await memoryAfterGc(transport);
  const rss10kKb = rssKb(transport.pid, "VmRSS");
  const peakKb = rssKb(transport.pid, "VmHWM");
  const total = callsSoFar();
  await client.close();
  await sandbox.close();
  await twin.close();
  const org = `${n / 1000}k-entitlement org`;
  const direct = "the same upstream requests, direct";
  record(
    `search_entitlements over a ${org}, p50`,
    median(searched.mine),
    "ms",
    median(searched.direct),
    direct,
  );
  record(
    `catalog resources/read over a ${org}, p50`,
    median(readPages.mine),
    "ms",
    median(readPages.direct),
    direct,
  );
  record(
    `${org}: server peak RSS`,
    peakKb / 1024,
    "MB",
    idleRssKb / 1024,
    "the same server idle",
    "<= 150 MB",
  );
  record(
    `${org}: heap after GC, after ${total} calls`,
    after10k.heapUsed / 1024 / 1024,
    "MB",
    after1k.heapUsed / 1024 / 1024,
    "after 1000 calls",
    "<= 1.1x",
  );
  record(
    `${org}: RSS after ${total} calls`,
    rss10kKb / 1024,
    "MB",
    rss1kKb / 1024,
    "after 1000 calls",
    "<= 1.1x",
  );
  results.push({
    name: `${org}: heap after GC, idle`,
    value: round(idle.heapUsed / 1024 / 1024),
    unit: "MB",
  });
}
