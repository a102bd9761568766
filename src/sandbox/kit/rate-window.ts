/**
 * Fixed rate windows, one per bucket: a bucket's window opens with its first request and holds `limit`
 * requests; the request after that is limited until the window ends. What each upstream calls a bucket
 * (Okta: one per path family; Atomicwork: one for everything) and how it answers a limited request are
 * the provider's.
 */
export interface RateTake {
  limit: number;
  /** Requests left in the window after this one. */
  remaining: number;
  /** When the window ends (ms, on the provider's clock). */
  resetsAt: number;
  /** True when this request is over the limit. */
  limited: boolean;
}

export class RateWindow {
  private readonly buckets = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** Counts a request in `bucket` at `now`. */
  take(bucket: string, now: number): RateTake {
    let b = this.buckets.get(bucket);
    if (!b || now >= b.start + this.windowMs) {
      b = { start: now, count: 0 };
      this.buckets.set(bucket, b);
    }
    b.count++;
    return {
      limit: this.limit,
      remaining: Math.max(0, this.limit - b.count),
      resetsAt: b.start + this.windowMs,
      limited: b.count > this.limit,
    };
  }
}
