/**
 * What the benchmark's parts share: paths, the run's options, the results and how a row is recorded,
 * quantiles, interleaved rounds, and a stdio client of a server.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const BIN = join(ROOT, "dist", "entitlement-mcp.mjs");
export const FS_SERVER = join(
  ROOT,
  "node_modules",
  "@modelcontextprotocol",
  "server-filesystem",
  "dist",
  "index.js",
);
export const QUICK = process.argv.includes("--quick");
export const ONLY = process.argv
  .find((a) => a.startsWith("--only="))
  ?.slice("--only=".length)
  .split(",");
export const runs = (name) => !ONLY || ONLY.includes(name);
export const BARE_STDIO = join(ROOT, "test", "bench", "bare-stdio-server.mjs");
export const BARE_HTTP = join(ROOT, "test", "bench", "bare-http-server.mjs");
export const GC_HOST = join(ROOT, "test", "bench", "gc-host.mjs");
/** Rounds of every interleaved comparison. */
export const ROUNDS = QUICK ? 3 : 11;
export const { startSandbox, SANDBOX_CREDENTIALS } = await import(
  join(ROOT, "dist", "src", "sandbox", "index.js")
);

export const TOKEN = SANDBOX_CREDENTIALS.okta.apiToken;
export const SCALE_APP = "0oaZ0v6N5R43ZIG90ZtV";
export const work = mkdtempSync(join(tmpdir(), "entitlement-mcp-bench-"));
export const results = [];

export const median = (xs) => quantile(xs, 0.5);
export function quantile(xs, q) {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}
export const round = (x, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

/**
 * One row. `extra.ratio` replaces value/baseline (a median of per-round ratios); `extra.spread` is the
 * min-max over the rounds (of the ratio, or of the value when `unit` is given).
 */
export function record(name, value, unit, baseline, baselineName, target, extra = {}) {
  const ratio = extra.ratio ?? (baseline ? value / baseline : undefined);
  results.push({
    name,
    value: round(value),
    unit,
    baseline: baseline && round(baseline),
    baselineName,
    ratio: ratio && round(ratio, 3),
    target,
    ...(extra.spread ? { spread: extra.spread } : {}),
  });
}

/** The min-max of per-round figures, as a row's spread. */
export function spreadOf(xs, unit = "x") {
  return { min: round(Math.min(...xs), 3), max: round(Math.max(...xs), 3), unit, rounds: xs.length };
}

/** `rounds` rounds of two measurements, alternating which goes first; the per-round results of each. */
export async function interleaved(rounds, ours, theirs) {
  const mine = [];
  const bare = [];
  for (let r = 0; r < rounds; r += 1) {
    if (r % 2 === 0) {
      mine.push(await ours());
      bare.push(await theirs());
    } else {
      bare.push(await theirs());
      mine.push(await ours());
    }
  }
  return { mine, bare };
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export async function stdioClient(args, env = {}) {
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

/** A field of /proc/<pid>/status (VmRSS, VmHWM), in kB. */
export function rssKb(pid, field) {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
}
