/**
 * The 50-a-minute burst, in real time (issue 14): what a client sees when 200 calls meet Okta's real budget
 * for an endpoint family.
 */
import { join } from "node:path";
import { BIN, quantile, record, results, sleep, startSandbox, stdioClient, TOKEN, work } from "./kit.mjs";

/** "Okta's rate limit: the next slot is in 38 s; try again then. Nothing was changed." */
const FAILED_FAST = /^Okta's rate limit: the next slot is in \d+ s; try again then\. Nothing was changed\.$/;

export async function benchBurst() {
  // Okta's real budget for these endpoints, in real time: 50 a minute. Two bursts of 200 calls each: one as
  // a window opens, one 45 s into it (its excess can wait 15 s for the next window, within the 20 s bound).
  const sandbox = await startSandbox({ rateLimit: { limit: 50, windowMs: 60_000 } });
  const { client } = await stdioClient([BIN, "--audit-log", join(work, "audit.jsonl")], {
    OKTA_ORG_URL: sandbox.url,
    OKTA_API_TOKEN: TOKEN,
  });
  const burst = async () => {
    const before = sandbox.requests.length;
    const outcomes = await Promise.all(
      Array.from({ length: 200 }, async () => {
        const t0 = performance.now();
        const r = await client
          .callTool({ name: "okta_get_entitlement", arguments: { entitlementId: "esp2lr1lavoGDYw5U8g6" } })
          .catch((err) => ({
            isError: true,
            content: [{ type: "text", text: `protocol error: ${err.message}` }],
          }));
        const text = r.content?.[0]?.text ?? "";
        const kind = !r.isError ? "answered" : FAILED_FAST.test(text) ? "failedFast" : "other";
        return { kind, ms: performance.now() - t0, text };
      }),
    );
    const requests = sandbox.requests.slice(before);
    return { outcomes, limited: requests.filter((r) => r.status === 429).length };
  };
  const t0 = performance.now();
  const atStart = await burst();
  await sleep(Math.max(0, 45_000 - (performance.now() - t0)));
  const later = await burst();
  await client.close();
  await sandbox.close();
  for (const [label, { outcomes, limited }] of [
    ["as a window opens", atStart],
    ["45 s into the window", later],
  ]) {
    const count = (kind) => outcomes.filter((o) => o.kind === kind).length;
    const name = `burst of 200 calls at 50/min (real time), ${label}`;
    record(`${name}: answered`, count("answered"), "calls", 200, "calls sent", "what the window holds");
    record(
      `${name}: failed fast, naming the next slot`,
      count("failedFast"),
      "calls",
      200,
      "calls sent",
      "the rest",
    );
    const other = outcomes.filter((o) => o.kind === "other");
    if (other.length > 0) {
      results.push({
        name: `${name}: failed otherwise`,
        value: other.length,
        unit: "calls",
        note: other[0].text,
      });
    }
    const times = outcomes.map((o) => o.ms);
    record(
      `${name}: p99 time to a result`,
      quantile(times, 0.99),
      "ms",
      undefined,
      undefined,
      "< 20 s (the bound)",
    );
    record(`${name}: upstream 429s`, limited, "responses", undefined, undefined, "0");
  }
}
