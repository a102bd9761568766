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
  remaining?: number;
  /** Local time at which the window resets. */
  resetAt?: number;
}

export interface WaitReport {
  ms: number;
  reason: string;
}

export class RateLimiter {
  private readonly buckets = new Map<string, BucketState>();

  constructor(private readonly clock: Clock = realClock) {}

  /**
   * How long to hold a request for `bucket` before sending it so it does not exhaust the window; reserves
   * one request of the remaining budget when it may go now.
   */
  delayFor(bucket: string): number {
    const state = this.buckets.get(bucket);
    if (!state || state.remaining === undefined) return 0;
    const now = this.clock.now();
    if (state.resetAt !== undefined && now >= state.resetAt) {
      state.remaining = state.limit;
      state.resetAt = undefined;
    }
    if (state.remaining === undefined || state.remaining > 0) {
      if (state.remaining !== undefined) state.remaining -= 1;
      return 0;
    }
    return state.resetAt === undefined ? 0 : Math.max(0, state.resetAt - now);
  }

  /** Learns the bucket's state from a response (success or error). */
  update(bucket: string, headers: Headers): void {
    const limit = Number(header(headers, "x-rate-limit-limit"));
    const remaining = Number(header(headers, "x-rate-limit-remaining"));
    const reset = Number(header(headers, "x-rate-limit-reset"));
    if (!Number.isFinite(remaining) || !Number.isFinite(reset)) return;
    const serverNow = Date.parse(header(headers, "date") ?? "");
    const now = this.clock.now();
    // Reset is the upstream's epoch seconds: measure it against the upstream's own Date to avoid skew.
    const resetIn = Number.isNaN(serverNow) ? reset * 1000 - now : reset * 1000 - serverNow;
    this.buckets.set(bucket, {
      limit: Number.isFinite(limit) ? limit : undefined,
      remaining,
      resetAt: now + Math.max(0, resetIn) + 250,
    });
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
