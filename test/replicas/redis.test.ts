/**
 * The stores replicas share, against a real redis-server: a token is spent once across connections (also
 * when they race), budgets are one across replicas, keys carry the prefix, and with Redis gone tokens fail
 * closed while the budgets fall back to local pacing; it recovers when Redis is back.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { StoreUnavailable } from "../../src/core/errors.js";
import { SubjectLimiter } from "../../src/core/subject-limit.js";
import { connectSharedState, type SharedState } from "../../src/replicas/redis.js";
import { PROBE_POLL_MS, RateLimiter } from "../../src/upstream/rate-limit.js";
import { type RedisServer, redisMissing, startRedis } from "../helpers/redis.js";

const missing = redisMissing();

async function until(check: () => boolean, ms = 10_000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > ms) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe.skipIf(missing !== undefined)(
  `shared state in Redis${missing ? ` (skipped: ${missing})` : ""}`,
  () => {
    let redis: RedisServer;
    const opened: SharedState[] = [];
    const lines: string[] = [];
    const open = async (prefix = "test:") => {
      const state = connectSharedState({ url: redis.url, prefix, log: (line) => lines.push(line) });
      opened.push(state);
      await until(() => state.health().ok);
      return state;
    };

    beforeAll(async () => {
      redis = await startRedis();
    });

    afterAll(async () => {
      for (const state of opened) await state.close();
      await redis.stop();
    });

    it("spends a token once across replicas, also when they race for it", async () => {
      const [a, b, c] = [await open(), await open(), await open()];
      const expires = Date.now() + 60_000;
      expect(await a.spentTokens.spend("nonce-1", expires)).toBe(true);
      expect(await b.spentTokens.spend("nonce-1", expires)).toBe(false);
      const raced = await Promise.all([a, b, c, a, b, c].map((s) => s.spentTokens.spend("nonce-2", expires)));
      expect(raced.filter(Boolean)).toHaveLength(1);
    });

    it("keeps deployments apart by the key prefix", async () => {
      const prod = await open("prod:");
      const staging = await open("staging:");
      const expires = Date.now() + 60_000;
      expect(await prod.spentTokens.spend("same", expires)).toBe(true);
      expect(await staging.spentTokens.spend("same", expires)).toBe(true);
    });

    it("shares one upstream budget: what one replica learns holds the others back", async () => {
      const [a, b] = [await open("budget:"), await open("budget:")];
      const now = Date.now();
      const budgetA = a.rateBudget(new RateLimiter());
      const budgetB = b.rateBudget(new RateLimiter());
      const date = new Date(now).toUTCString();
      const reset = String(Math.ceil(now / 1000) + 30);
      // Replica A sees two requests left in this window; together the replicas may send two, then wait.
      await budgetA.update("okta:grants", {
        "x-rate-limit-limit": "50",
        "x-rate-limit-remaining": "2",
        "x-rate-limit-reset": reset,
        date,
      });
      expect(await budgetB.delayFor("okta:grants")).toBe(0);
      expect(await budgetA.delayFor("okta:grants")).toBe(0);
      const wait = await budgetB.delayFor("okta:grants");
      expect(wait).toBeGreaterThan(25_000);
      // A late answer that says more is left does not undo what was reserved in the same window.
      await budgetB.update("okta:grants", {
        "x-rate-limit-limit": "50",
        "x-rate-limit-remaining": "9",
        "x-rate-limit-reset": reset,
        date,
      });
      expect(await budgetA.delayFor("okta:grants")).toBeGreaterThan(25_000);
    });

    it("lets one request learn a bucket nothing was heard of, across replicas; a silent upstream is not paced", async () => {
      const [a, b] = [await open("probe:"), await open("probe:")];
      const budgetA = a.rateBudget(new RateLimiter());
      const budgetB = b.rateBudget(new RateLimiter());
      expect(await budgetA.delayFor("okta:users")).toBe(0);
      // The other replica waits for the probe's answer instead of sending into an unknown limit.
      expect(await budgetB.delayFor("okta:users")).toBe(PROBE_POLL_MS);
      await budgetA.update("okta:users", { date: new Date().toUTCString() });
      expect(await budgetB.delayFor("okta:users")).toBe(0);
      expect(await budgetA.delayFor("okta:users")).toBe(0);
    });

    it("shares one per-subject message budget", async () => {
      const [a, b] = [await open("subject:"), await open("subject:")];
      const limitA = a.subjectLimit(new SubjectLimiter(10), 10);
      const limitB = b.subjectLimit(new SubjectLimiter(10), 10);
      expect(await limitA.take("alice", 6)).toBe(0);
      expect(await limitB.wait("alice", 4)).toBe(0);
      expect(await limitB.take("alice", 5)).toBeGreaterThan(0);
      expect(await limitB.take("bob", 10)).toBe(0);
    });

    it("fails closed on tokens while Redis is away, paces locally, says degraded, and recovers", async () => {
      const state = await open("outage:");
      const local = new RateLimiter();
      const budget = state.rateBudget(local);
      await redis.stop();
      await until(() => !state.health().ok);
      expect(state.health()).toEqual({ ok: false, detail: "the shared Redis is unavailable" });
      expect(state.spentTokens.ready()).toBe(false);
      await expect(state.spentTokens.spend("during-outage", Date.now() + 60_000)).rejects.toBeInstanceOf(
        StoreUnavailable,
      );
      expect(await budget.delayFor("okta:entitlements")).toBe(0);
      expect(lines.some((l) => /redis: unavailable/.test(l))).toBe(true);
      await redis.start();
      await until(() => state.health().ok, 15_000);
      expect(await state.spentTokens.spend("after-outage", Date.now() + 60_000)).toBe(true);
      expect(lines.some((l) => /redis: connected again/.test(l))).toBe(true);
    });
  },
);
