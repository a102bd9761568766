/**
 * The rate-limit economy of the upstream client: per provider and bucket it remembers what the upstream
 * said (`X-Rate-Limit-Limit/Remaining/Reset`, upstream-apis §1.8) and holds requests back before a 429
 * would happen; it caps concurrency per provider; and it decides whether and how long to wait before a
 * retry. Time is injectable so tests run on a fake clock.
 */
import type { UpstreamProfile } from "./profile.js";
import { type Headers, header } from "./read.js";

export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason ?? new Error("aborted"));
      const timer = setTimeout(() => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal?.reason ?? new Error("aborted"));
      };
      signal?.addEventListener("abort", onAbort, { once: true });
    }),
};

/**
 * The bucket a request counts against: the provider's own (some limit per endpoint family), or else the
 * whole provider is one bucket.
 */
export function bucketOf(profile: UpstreamProfile, path: string): string {
  return profile.bucketOf?.(path) ?? profile.name;
}

interface BucketState {
  limit?: number;
  /** Unknown until an answer has told it. */
  remaining?: number;
  /** Local time at which the window resets; cleared when the window rolls over. */
  resetAt?: number;
  /** The upstream's name for the window (its reset), to tell answers of this window from the next one's. */
  window?: number;
  /** Requests sent since the window rolled over (or since the first): not all counted upstream yet. */
  taken: number;
  /** When the window last rolled over here, before any answer of the new one. */
  rolledAt?: number;
  /** While nothing is heard: when the one request that learns the budget went. */
  probeAt?: number;
  /** The upstream answered without rate-limit headers: there is nothing to pace by. */
  silent?: boolean;
  /** The longest time to a reset an answer told: about the window's length. */
  windowMs?: number;
}

/**
 * Before the first answer of a bucket, one request goes alone and the others ask again this often: a burst
 * against a bucket the server knows nothing of must not overrun a limit it has not heard yet.
 */
export const PROBE_POLL_MS = 20;
/** A probe unanswered this long (a dropped connection) lets the next request go and learn instead. */
export const PROBE_EXPIRY_MS = 2_000;

export interface WaitReport {
  ms: number;
  reason: string;
}

/** What one response says of its bucket's window, in local time. */
export interface Observation {
  limit?: number;
  remaining: number;
  /** The window, as the upstream names it (its reset, in epoch seconds): equal for answers of one window. */
  window: number;
  /** Local time at which the window resets (with a quarter second to spare). */
  resetAt: number;
}

/** Reads `X-Rate-Limit-*` (upstream-apis §1.8) from a response, or undefined when it carries none. */
export function observe(headers: Headers, now: number): Observation | undefined {
  const limit = Number(header(headers, "x-rate-limit-limit"));
  const remaining = Number(header(headers, "x-rate-limit-remaining"));
  const reset = Number(header(headers, "x-rate-limit-reset"));
  if (!Number.isFinite(remaining) || !Number.isFinite(reset)) return undefined;
  const serverNow = Date.parse(header(headers, "date") ?? "");
  // Reset is the upstream's epoch seconds: measure it against the upstream's own Date to avoid skew.
  const resetIn = Number.isNaN(serverNow) ? reset * 1000 - now : reset * 1000 - serverNow;
  return {
    limit: Number.isFinite(limit) ? limit : undefined,
    remaining,
    window: reset,
    resetAt: now + Math.max(0, resetIn) + 250,
  };
}

/**
 * The upstream's rate budget per bucket: how long to hold a request back, and what responses say of it.
 * This process's own (`RateLimiter`), or one that replicas share (src/replicas/).
 */
export interface RateBudget {
  /** Milliseconds to hold a request for `bucket`; reserves one request of the budget when it may go now. */
  delayFor(bucket: string): number | Promise<number>;
  /** Learns the bucket's state from a response (success or error). Never throws. */
  update(bucket: string, headers: Headers): void | Promise<void>;
  /** What is known of the bucket's window: its limit and length (as the longest reset yet seen). */
  shape?(bucket: string): BucketShape;
}

export interface BucketShape {
  limit?: number;
  windowMs?: number;
}

/**
 * The rate budget this process has seen. The same rule runs in Redis for replicas (src/replicas/redis.ts,
 * TAKE_BUDGET and OBSERVE_BUDGET): every request is counted before it goes, and an answer only ever shrinks
 * the budget, since answers arrive out of order and what is in flight is not yet counted upstream.
 */
export class RateLimiter implements RateBudget {
  private readonly buckets = new Map<string, BucketState>();

  constructor(private readonly clock: Clock = realClock) {}

  delayFor(bucket: string): number {
    const now = this.clock.now();
    const state = this.buckets.get(bucket) ?? { taken: 0 };
    this.buckets.set(bucket, state);
    if (state.remaining === undefined) {
      if (state.silent) return 0;
      // Nothing heard yet: one request goes and learns the budget (counted, so its answer is not taken at
      // its word); the others wait for that answer.
      if (state.probeAt !== undefined && now - state.probeAt < PROBE_EXPIRY_MS) return PROBE_POLL_MS;
      state.probeAt = now;
      state.taken += 1;
      return 0;
    }
    if (state.resetAt !== undefined && now >= state.resetAt) {
      if (state.limit === undefined) {
        this.buckets.delete(bucket);
        return 0;
      }
      state.remaining = state.limit;
      state.resetAt = undefined;
      state.taken = 0;
      state.rolledAt = now;
    }
    if (state.remaining > 0) {
      state.remaining -= 1;
      state.taken += 1;
      return 0;
    }
    if (state.resetAt !== undefined) return Math.max(0, state.resetAt - now);
    // The new window's budget is spent before any of its answers told when it ends: they are on their way.
    if (now - (state.rolledAt ?? 0) < PROBE_EXPIRY_MS) return PROBE_POLL_MS;
    // None came (dropped connections): learn the bucket again.
    this.buckets.delete(bucket);
    return this.delayFor(bucket);
  }

  update(bucket: string, headers: Headers): void {
    const seen = observe(headers, this.clock.now());
    const state = this.buckets.get(bucket) ?? { taken: 0 };
    if (!seen) {
      // An upstream that never states its budget is not paced (a 429 still is waited out).
      if (state.remaining === undefined) this.buckets.set(bucket, { ...state, silent: true });
      return;
    }
    // A late answer of a window this budget already rolled past says nothing of the new one.
    if (state.resetAt === undefined && state.window !== undefined && seen.window <= state.window) return;
    const limit = seen.limit ?? state.limit;
    let { remaining, resetAt } = seen;
    if (state.remaining !== undefined && state.resetAt !== undefined && seen.window === state.window) {
      // The window it knows: the lower count wins, the earlier estimate of its end (both are late, not early).
      remaining = Math.min(state.remaining, remaining);
      resetAt = Math.min(state.resetAt, resetAt);
    } else if (state.resetAt === undefined && limit !== undefined) {
      // The first answer of a window: what was sent since it began counts, whether counted upstream yet or not.
      remaining = Math.min(remaining, state.remaining ?? remaining, limit - state.taken);
    }
    this.buckets.set(bucket, {
      limit,
      remaining: Math.max(0, remaining),
      resetAt,
      window: seen.window,
      taken: state.taken,
      windowMs: Math.max(state.windowMs ?? 0, seen.resetAt - this.clock.now()),
    });
  }

  shape(bucket: string): BucketShape {
    const state = this.buckets.get(bucket);
    return { limit: state?.limit, windowMs: state?.windowMs };
  }
}

/** A counting semaphore: at most `size` requests in flight per provider. */
export class Semaphore {
  private active = 0;
  private readonly queue: (() => void)[] = [];

  constructor(private readonly size: number) {}

  async acquire(): Promise<() => void> {
    if (this.active >= this.size) await new Promise<void>((resolve) => this.queue.push(resolve));
    this.active += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active -= 1;
      this.queue.shift()?.();
    };
  }
}

/** Capped exponential backoff with up to 25% jitter taken off: 500 ms, 1 s, 2 s … at most 8 s. */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(8000, 500 * 2 ** attempt);
  return Math.round(base * (1 - random() * 0.25));
}
