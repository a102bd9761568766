/**
 * The cold-start and tools/list rows of `npm run bench`: spawn to tools/list with a raw JSON-RPC client and
 * with a fresh TypeScript SDK client (which compiles output validators), against server-filesystem in
 * interleaved rounds; and the tools/list's size, whole and model-visible.
 */
import { join } from "node:path";
import { rawColdStart, sdkClientColdStart } from "./cold-start.mjs";
import { BIN, FS_SERVER, median, QUICK, record, spreadOf, stdioClient, TOKEN, work } from "./kit.mjs";

/**
 * Rounds of `measures` (name -> () => ms), each round running every measure once, the first one rotating,
 * so drift on a shared machine hits every measure alike. A row's ratio is the median of its per-round
 * ratios to `baseline`, and their min-max is its spread.
 */
async function interleavedMany(rounds, measures, baseline) {
  const names = Object.keys(measures);
  const times = Object.fromEntries(names.map((name) => [name, []]));
  for (let i = 0; i < rounds; i += 1) {
    for (let k = 0; k < names.length; k += 1) {
      const name = names[(i + k) % names.length];
      times[name].push(await measures[name]());
    }
  }
  const extra = (name) => {
    const ratios = times[name].map((ms, i) => ms / times[baseline][i]);
    return { ratio: median(ratios), spread: spreadOf(ratios) };
  };
  return { times, extra };
}

export async function benchColdStart(sandbox) {
  const rounds = QUICK ? 5 : 11;
  const audit = join(work, "audit.jsonl");
  // As deployed: a configured Okta org (here the bench's sandbox, which answers no request at start).
  const okta = { OKTA_ORG_URL: sandbox.url, OKTA_API_TOKEN: TOKEN };
  const { times, extra } = await interleavedMany(
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
    "server-filesystem",
    "<= 0.45x",
    extra("sandbox"),
  );
  record(
    "cold start: spawn to tools/list, raw JSON-RPC client, a configured Okta org (median)",
    median(times.configured),
    "ms",
    median(times.theirs),
    "server-filesystem",
    "<= 0.45x",
    extra("configured"),
  );
}

/** What a user waits for in a host built on the TypeScript SDK: a fresh client process, validators compiled. */
export async function benchClientColdStart(sandbox) {
  const rounds = QUICK ? 5 : 11;
  const audit = join(work, "audit.jsonl");
  const okta = { OKTA_ORG_URL: sandbox.url, OKTA_API_TOKEN: TOKEN };
  const { times, extra } = await interleavedMany(
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
    "server-filesystem, the same client",
    "<= 0.6x",
    extra("configured"),
  );
  record(
    "client spawn to listTools() with a TypeScript SDK Client, --sandbox (median)",
    median(times.sandbox),
    "ms",
    median(times.theirs),
    "server-filesystem, the same client",
    undefined,
    extra("sandbox"),
  );
}

export async function benchToolsList() {
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
