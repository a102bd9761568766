/**
 * The HTTP server's budget of JSON-RPC messages per subject (a batch of N costs N): this process's own
 * token buckets, or one that replicas share (src/replicas/). Pure, and on an injectable clock.
 */

/** The per-subject message budget: `wait` only looks, `take` takes `cost` when it may go. Milliseconds to wait. */
export interface SubjectLimit {
  wait(subject: string, cost: number): number | Promise<number>;
  take(subject: string, cost: number): number | Promise<number>;
}

/** Token buckets per subject: `perMinute` messages, refilled continuously. */
export class SubjectLimiter implements SubjectLimit {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  constructor(private readonly perMinute: number) {}

  /** Milliseconds until `cost` messages may go; 0 when they may go now. Takes nothing. */
  wait(subject: string, cost: number, now = Date.now()): number {
    const bucket = this.refill(subject, now);
    return bucket.tokens >= cost ? 0 : Math.ceil(((cost - bucket.tokens) * 60_000) / this.perMinute);
  }

  /** Like `wait`, and takes `cost` when they may go. */
  take(subject: string, cost: number, now = Date.now()): number {
    const wait = this.wait(subject, cost, now);
    if (wait === 0) this.refill(subject, now).tokens -= cost;
    return wait;
  }

  private refill(subject: string, now: number) {
    // A bucket idle for a minute is full again: forget it, so many subjects cannot grow the table forever.
    if (this.buckets.size > 10_000) {
      for (const [key, b] of this.buckets) if (now - b.at > 60_000) this.buckets.delete(key);
    }
    const bucket = this.buckets.get(subject) ?? { tokens: this.perMinute, at: now };
    bucket.tokens = Math.min(this.perMinute, bucket.tokens + ((now - bucket.at) * this.perMinute) / 60_000);
    bucket.at = now;
    this.buckets.set(subject, bucket);
    return bucket;
  }
}
