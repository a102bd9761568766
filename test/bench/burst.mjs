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
    ["window opening", atStart],
    ["45 s into the window", later],
  ]) {
    const of = (kind) => outcomes.filter((o) => o.kind === kind);
    const seconds = (list) => list.map((o) => o.ms / 1000);
    const p99 = (list) => (list.length ? quantile(seconds(list), 0.99) : 0);
    const name = `burst 200 at 50/min, ${label}`;
    const answered = of("answered");
    const failedFast = of("failedFast");
    record(`${name}: answered`, answered.length, "calls", 200, "calls sent", "what the window holds");
    record(`${name}: answered, p99 time`, p99(answered), "s", undefined, undefined, "<= 20 s (the bound)");
    record(
      `${name}: failed fast, naming the next slot`,
      failedFast.length,
      "calls",
      200,
      "calls sent",
      "the rest",
    );
    record(`${name}: failed fast, p99 time`, p99(failedFast), "s", undefined, undefined, "well under 1 s");
    const other = of("other");
    if (other.length > 0) {
      results.push({
        name: `${name}: failed otherwise`,
        value: other.length,
        unit: "calls",
        note: other[0].text,
      });
    }
    record(`${name}: upstream 429s`, limited, "responses", undefined, undefined, "0");
  }
}
