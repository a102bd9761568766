/**
 * The pending-change store: found only with its secret (and, for the card, by its caller), decided once,
 * expiring with its TTL, closed when its call ends, bounded per caller; and, with replicas, decided
 * through the shared spent-token store in a real redis-server, failing closed while Redis is away.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { StoreUnavailable } from "../../src/core/errors.js";
import type { Preview } from "../../src/core/operation.js";
import { PendingChanges } from "../../src/guard/pending.js";
import { connectSharedState, type SharedState } from "../../src/replicas/redis.js";
import { type RedisServer, redisMissing, startRedis } from "../helpers/redis.js";

const PREVIEW: Preview = {
  summary: "Delete bundle",
  details: [],
  effects: [{ kind: "remove" }],
  targetIds: ["b1"],
};
const change = (caller = "alice") => ({
  channel: "card" as const,
  tool: "okta_delete_bundle",
  args: { entitlementBundleId: "b1" },
  version: "v1",
  caller,
  preview: PREVIEW,
});

describe("PendingChanges", () => {
  it("finds a change only with its secret and its caller, and decides it once", async () => {
    const store = new PendingChanges(60_000);
    const { change: made, secret } = store.create(change());
    expect(store.find(made.id, `${secret.slice(0, -2)}AA`)).toEqual({ ok: false, reason: "unknown" });
    expect(store.find("no-such-id", secret)).toEqual({ ok: false, reason: "unknown" });
    expect(store.find(made.id, secret, "bob")).toEqual({ ok: false, reason: "other_caller" });
    expect(store.find(made.id, secret, "alice")).toMatchObject({ ok: true });
    const [first, second] = await Promise.all([
      store.decide(made.id, "approve"),
      store.decide(made.id, "approve"),
    ]);
    expect([first, second].filter((r) => r === undefined)).toHaveLength(1);
    expect(store.find(made.id, secret)).toEqual({ ok: false, reason: "used" });
  });

  it("expires with its TTL and tells whoever waits; a closed change cannot be decided", async () => {
    let now = 1_000_000;
    const store = new PendingChanges(60_000, () => now);
    const a = store.create(change());
    const waited = store.waitForDecision(a.change.id);
    now += 60_001;
    expect(store.find(a.change.id, a.secret)).toEqual({ ok: false, reason: "expired" });
    expect(await waited).toBe("expired");
    expect(await store.decide(a.change.id, "approve")).toBe("expired");

    const b = store.create(change());
    store.close(b.change.id);
    expect(store.find(b.change.id, b.secret)).toEqual({ ok: false, reason: "expired" });
    expect(await store.decide(b.change.id, "approve")).toBe("expired");
  });

  it("keeps at most its limit of open changes per caller, dropping the oldest", () => {
    const store = new PendingChanges(60_000, Date.now, undefined, { perCaller: 2, total: 10 });
    const [first, second, third] = [store.create(change()), store.create(change()), store.create(change())];
    store.create(change("bob"));
    expect(store.find(first.change.id, first.secret)).toEqual({ ok: false, reason: "unknown" });
    expect(store.find(second.change.id, second.secret)).toMatchObject({ ok: true });
    expect(store.find(third.change.id, third.secret)).toMatchObject({ ok: true });
    expect(store.open()).toBe(3);
  });
});

const missing = redisMissing();

describe.skipIf(missing !== undefined)(
  `decisions shared by replicas in Redis${missing ? ` (skipped: ${missing})` : ""}`,
  () => {
    let redis: RedisServer;
    let shared: SharedState;

    beforeAll(async () => {
      redis = await startRedis();
      shared = connectSharedState({ url: redis.url, prefix: "test:", log: () => {} });
    });
    afterAll(async () => {
      await shared?.close();
      await redis?.stop();
    });

    it("spends a decision in the shared store (one spend per change), and fails closed while Redis is away", async () => {
      await expect.poll(() => shared.health().ok, { timeout: 10_000 }).toBe(true);
      const store = new PendingChanges(60_000, Date.now, shared.spentTokens);
      const { change: made } = store.create(change());
      // The shared store has the decision's key already: the decision is refused as taken.
      expect(await shared.spentTokens.spend(`pending.${made.id}`, Date.now() + 60_000)).toBe(true);
      expect(await store.decide(made.id, "approve")).toBe("used");

      const other = store.create(change());
      await redis.stop();
      await expect.poll(() => store.ready(), { timeout: 10_000 }).toBe(false);
      await expect(store.decide(other.change.id, "approve")).rejects.toBeInstanceOf(StoreUnavailable);
      await redis.start();
      await expect.poll(() => store.ready(), { timeout: 15_000 }).toBe(true);
      expect(await store.decide(other.change.id, "approve")).toBeUndefined();
    });
  },
);
