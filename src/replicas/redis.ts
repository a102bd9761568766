/**
 * State that replicas share through Redis (or Valkey, or a managed Redis): spent confirmation tokens, the
 * upstream rate budget per provider bucket, and the per-subject HTTP message budget. Every update is one
 * atomic command or script, so replicas never read-then-write. Keys carry a prefix, so deployments can
 * share one Redis.
 *
 * Fail closed where it matters: while Redis cannot be reached, spending a token throws StoreUnavailable and
 * no token is issued (the guard refuses); the rate budgets fall back to this process's own pacing, so reads
 * go on; `health()` says degraded. The client reconnects with back-off and never crashes the process.
 */
import { createClient } from "@redis/client";
import { StoreUnavailable } from "../core/errors.js";
import type { SubjectLimit } from "../core/subject-limit.js";
import type { SpentTokens } from "../guard/confirm-token.js";
import {
  type Observation,
  observe,
  PROBE_EXPIRY_MS,
  PROBE_POLL_MS,
  type RateBudget,
} from "../upstream/rate-limit.js";
import type { Headers } from "../upstream/read.js";

/** A command to Redis gets this long before the store counts as unavailable for it. */
const COMMAND_TIMEOUT_MS = 1_000;

export interface SharedState {
  spentTokens: SpentTokens;
  /** The upstream budget all replicas draw from; `local` paces alone while Redis is away. */
  rateBudget(local: RateBudget, now?: () => number): RateBudget;
  /** The per-subject message budget all replicas draw from; `local` while Redis is away. */
  subjectLimit(local: SubjectLimit, perMinute: number, now?: () => number): SubjectLimit;
  health(): { ok: boolean; detail?: string };
  close(): Promise<void>;
}

/** Spends a nonce once across replicas: SET … NX PX (only the first SET of a key succeeds). */
const SPEND = "SET";

/**
 * The upstream budget of one bucket, reserved atomically (the local RateLimiter's rule, in Redis): KEYS[1]
 * the bucket; ARGV[1] now (ms), ARGV[2] the probe's poll and ARGV[3] its expiry (ms). Returns the milliseconds to wait, 0 when the request may go (one reserved).
 * `taken` counts what the replicas sent since the window rolled over, for OBSERVE_BUDGET.
 */
const TAKE_BUDGET = `
local state = redis.call('HMGET', KEYS[1], 'remaining', 'resetAt', 'limit', 'taken', 'silent', 'probeAt')
local now = tonumber(ARGV[1])
local remaining, resetAt, limit, taken = tonumber(state[1]), tonumber(state[2]), tonumber(state[3]), tonumber(state[4]) or 0
if remaining == nil then
  if state[5] == '1' then return 0 end
  -- Nothing heard of this bucket yet: one request goes and learns the budget (counted, so the first answer
  -- is not taken at its word); the others ask again shortly, as the local RateLimiter's probe.
  local probeAt = tonumber(state[6])
  if probeAt ~= nil and now - probeAt < tonumber(ARGV[3]) then return tonumber(ARGV[2]) end
  redis.call('HSET', KEYS[1], 'probeAt', now)
  redis.call('HINCRBY', KEYS[1], 'taken', 1)
  redis.call('PEXPIRE', KEYS[1], 120000)
  return 0
end
if resetAt ~= nil and now >= resetAt then
  if limit == nil then redis.call('DEL', KEYS[1]) return 0 end
  remaining = limit
  resetAt = nil
  taken = 0
  redis.call('HDEL', KEYS[1], 'resetAt')
  redis.call('HSET', KEYS[1], 'rolledAt', now)
end
if remaining > 0 then
  redis.call('HSET', KEYS[1], 'remaining', remaining - 1, 'taken', taken + 1)
  return 0
end
if resetAt ~= nil then return resetAt - now end
-- The new window's budget is spent before any of its answers told when it ends: they are on their way.
local rolledAt = tonumber(redis.call('HGET', KEYS[1], 'rolledAt')) or 0
if now - rolledAt < tonumber(ARGV[3]) then return tonumber(ARGV[2]) end
-- None came (dropped connections): learn the bucket again, this request first.
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'probeAt', now, 'taken', 1)
redis.call('PEXPIRE', KEYS[1], 120000)
return 0
`;

/** An answer without rate-limit headers, for a bucket nothing was heard of: KEYS[1]. Not paced from then on. */
const SILENT_BUDGET = `
if redis.call('HEXISTS', KEYS[1], 'remaining') == 0 then
  redis.call('HSET', KEYS[1], 'silent', '1')
  redis.call('PEXPIRE', KEYS[1], 120000)
end
return 0
`;

/**
 * What a response says of its bucket, merged atomically: KEYS[1] the bucket; ARGV: remaining, resetAt,
 * limit ('' when unknown), now, window (the upstream's reset, which names the window). Replicas' answers arrive out of order and what they reserved is not yet
 * counted upstream, so the budget only ever shrinks on what it hears: within the window it knows, the lower
 * remaining wins (and the earlier estimate of its end: every estimate is late, never early); for a window
 * it rolled over into, what is left after what it sent since. The local RateLimiter runs the same rule.
 */
const OBSERVE_BUDGET = `
local remaining, resetAt, now, window = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[4]), ARGV[5]
local limit = tonumber(ARGV[3])
local state = redis.call('HMGET', KEYS[1], 'remaining', 'resetAt', 'taken', 'limit', 'window')
local known, knownReset, taken = tonumber(state[1]), tonumber(state[2]), tonumber(state[3])
-- A late answer of a window the budget already rolled past says nothing of the new one.
if knownReset == nil and state[5] and tonumber(window) <= tonumber(state[5]) then return 0 end
limit = limit or tonumber(state[4])
taken = taken or 0
if known ~= nil and knownReset ~= nil and state[5] == window then
  remaining = math.min(known, remaining)
  resetAt = math.min(resetAt, knownReset)
elseif knownReset == nil and limit ~= nil then
  -- The first answer of a window: what was sent since it began counts, whether the upstream counted it yet.
  remaining = math.min(remaining, known or remaining, limit - taken)
end
redis.call('HSET', KEYS[1], 'remaining', math.max(0, remaining), 'resetAt', resetAt, 'taken', taken, 'window', window)
if limit ~= nil then redis.call('HSET', KEYS[1], 'limit', limit) end
redis.call('PEXPIRE', KEYS[1], math.max(1000, resetAt - now + 60000))
return 0
`;

/**
 * A token bucket per subject, atomically (the local SubjectLimiter's rule, in Redis): KEYS[1] the subject;
 * ARGV: perMinute, cost, now, take (1 or 0). Returns the milliseconds to wait, 0 when the messages may go.
 */
const TAKE_SUBJECT = `
local perMinute, cost, now, take = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4] == '1'
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens, at = tonumber(state[1]), tonumber(state[2])
if tokens == nil then tokens = perMinute at = now end
tokens = math.min(perMinute, tokens + (now - at) * perMinute / 60000)
if tokens < cost then return math.ceil((cost - tokens) * 60000 / perMinute) end
if take then
  redis.call('HSET', KEYS[1], 'tokens', tostring(tokens - cost), 'at', now)
  redis.call('PEXPIRE', KEYS[1], 120000)
end
return 0
`;

export interface SharedStateOptions {
  url: string;
  /** Before every key, e.g. "entitlement-mcp:prod:". */
  prefix: string;
  /** Told when the connection is lost or back (one line each), never with credentials. */
  log: (line: string) => void;
}

/** Connects (in the background: a server starts even while Redis is still away) and returns the stores. */
export function connectSharedState(options: SharedStateOptions): SharedState {
  const { prefix, log } = options;
  let reported: "up" | "down" | undefined;
  let lastError = "not connected yet";
  const client = createClient({
    url: options.url,
    // Commands fail at once while disconnected instead of queueing: the stores then fail closed or fall back.
    disableOfflineQueue: true,
    socket: {
      connectTimeout: 2_000,
      // Back-off: 100 ms, 200 ms, … at most 5 s between attempts, forever.
      reconnectStrategy: (retries) => Math.min(100 * 2 ** Math.min(retries, 6), 5_000),
    },
  });
  client.on("error", (err: unknown) => {
    lastError = err instanceof Error ? err.message : String(err);
    if (reported !== "down") {
      reported = "down";
      log(
        `redis: unavailable (${lastError}); confirmation tokens are refused until it is back, upstream pacing is local`,
      );
    }
  });
  client.on("ready", () => {
    if (reported === "down") log("redis: connected again; replicas share tokens and budgets");
    reported = "up";
  });
  void client.connect().catch((err: unknown) => {
    lastError = err instanceof Error ? err.message : String(err);
  });

  const ready = () => client.isReady;
  const command = async <T>(args: string[]): Promise<T> => {
    if (!client.isReady) throw new StoreUnavailable(`redis: ${lastError}`);
    try {
      return (await client.sendCommand(args, { timeout: COMMAND_TIMEOUT_MS })) as T;
    } catch (err) {
      throw new StoreUnavailable(`redis: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  const script = (source: string, key: string, args: (string | number)[]) =>
    command<number>(["EVAL", source, "1", key, ...args.map(String)]);

  return {
    spentTokens: {
      ready,
      async spend(nonce, expiresAt) {
        const ttl = Math.max(1, expiresAt - Date.now());
        const set = await command<string | null>([
          SPEND,
          `${prefix}spent:${nonce}`,
          "1",
          "NX",
          "PX",
          String(ttl),
        ]);
        return set === "OK";
      },
    },

    rateBudget(local, now = Date.now) {
      return {
        async delayFor(bucket) {
          if (!ready()) return local.delayFor(bucket);
          try {
            return Number(
              await script(TAKE_BUDGET, `${prefix}rate:${bucket}`, [now(), PROBE_POLL_MS, PROBE_EXPIRY_MS]),
            );
          } catch {
            return local.delayFor(bucket);
          }
        },
        // Only this replica's own callers wait on it: what the local budget learnt is enough.
        shape: (bucket) => local.shape?.(bucket) ?? {},
        async update(bucket, headers: Headers) {
          // The local budget always learns too, so pacing stays sensible the moment Redis goes away.
          await local.update(bucket, headers);
          const seen: Observation | undefined = observe(headers, now());
          if (!ready()) return;
          if (!seen) {
            await script(SILENT_BUDGET, `${prefix}rate:${bucket}`, []).catch(() => {});
            return;
          }
          await script(OBSERVE_BUDGET, `${prefix}rate:${bucket}`, [
            seen.remaining,
            seen.resetAt,
            seen.limit ?? "",
            now(),
            seen.window,
          ]).catch(() => {});
        },
      };
    },

    subjectLimit(local, perMinute, now = Date.now) {
      const run = async (subject: string, cost: number, take: boolean) => {
        if (!ready()) return take ? local.take(subject, cost) : local.wait(subject, cost);
        try {
          return Number(
            await script(TAKE_SUBJECT, `${prefix}subject:${subject}`, [perMinute, cost, now(), take ? 1 : 0]),
          );
        } catch {
          return take ? local.take(subject, cost) : local.wait(subject, cost);
        }
      };
      return {
        wait: (subject, cost) => run(subject, cost, false),
        take: (subject, cost) => run(subject, cost, true),
      };
    },

    health: () => (ready() ? { ok: true } : { ok: false, detail: "the shared Redis is unavailable" }),

    async close() {
      await client.close().catch(() => client.destroy());
    },
  };
}
