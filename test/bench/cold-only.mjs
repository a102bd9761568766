/**
 * The cold-start rows of run.mjs alone (benchColdStart, benchClientColdStart's measures), for profiling
 * work: `node test/bench/cold-only.mjs [rounds]` after `npm run build`. Prints medians, ratios to
 * server-filesystem and the per-round spread.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
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
const { startSandbox, SANDBOX_CREDENTIALS } = await import(join(ROOT, "dist", "src", "sandbox", "index.js"));

const rounds = Number(process.argv[2] ?? 11);
const work = mkdtempSync(join(tmpdir(), "entitlement-mcp-cold-"));
const audit = join(work, "audit.jsonl");
const sandbox = await startSandbox({});
const okta = { OKTA_ORG_URL: sandbox.url, OKTA_API_TOKEN: SANDBOX_CREDENTIALS.okta.apiToken };
const measures = {
  "raw --sandbox": () => rawColdStart(work, [BIN, "--sandbox", "--audit-log", audit]),
  "raw configured Okta": () => rawColdStart(work, [BIN, "--audit-log", audit], okta),
  "raw server-filesystem": () => rawColdStart(work, [FS_SERVER, work]),
  "SDK client configured Okta": () => sdkClientColdStart(work, [BIN, "--audit-log", audit], okta),
  "SDK client --sandbox": () => sdkClientColdStart(work, [BIN, "--sandbox", "--audit-log", audit]),
  "SDK client server-filesystem": () => sdkClientColdStart(work, [FS_SERVER, work]),
};
const times = Object.fromEntries(Object.keys(measures).map((name) => [name, []]));
try {
  for (let i = 0; i < rounds; i += 1) {
    for (const [name, measure] of Object.entries(measures)) times[name].push(await measure());
  }
} finally {
  await sandbox.close();
  rmSync(work, { recursive: true, force: true });
}
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
for (const [name, ms] of Object.entries(times)) {
  const base = name.startsWith("raw") ? "raw server-filesystem" : "SDK client server-filesystem";
  const ratios = ms.map((m, i) => m / times[base][i]).sort((a, b) => a - b);
  process.stdout.write(
    `${name.padEnd(30)} ${median(ms).toFixed(0).padStart(5)} ms  ${(median(ms) / median(times[base])).toFixed(2)}x` +
      `  (per-round ${ratios[0].toFixed(2)}-${ratios.at(-1).toFixed(2)}x, ${rounds} rounds)\n`,
  );
}
