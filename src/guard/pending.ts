/**
 * Pending changes: what an approval card or an approval page asks a person to approve, kept on the server
 * (never handed to the model): the preview, the version it binds, the tool and its canonical arguments,
 * the caller, and an expiry (the confirmation token's TTL). Each has an unguessable id and a secret that
 * only its card or page receives; the store keeps the secret's digest. A change is decided once: the
 * decision spends it through the same spent-token store the confirmation tokens use (shared by replicas
 * through Redis when one is configured), so of two clicks, on any replicas, exactly one counts.
 * The store knows no transport: the MCP layer delivers the secret, the CLI serves the page.
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { Preview } from "../core/operation.js";
import { LocalSpentTokens, type SpentTokens } from "./confirm-token.js";

export type Decision = "approve" | "decline";

export interface PendingChange {
  readonly id: string;
  readonly channel: "card" | "page";
  readonly tool: string;
  /** The canonical arguments the preview was made for: an approval executes exactly these. */
  readonly args: Record<string, unknown>;
  /** The guard's digest of everything the preview stated: re-checked before the write. */
  readonly version: string;
  readonly caller: string;
  readonly preview: Preview;
  readonly expiresAt: number;
}

/** Why a change cannot be decided. An unknown id and a wrong secret look alike, on purpose. */
export type PendingRejection = "unknown" | "expired" | "used" | "other_caller";

/** What became of an approved change, for the page that approved it to show. */
export interface PendingOutcome {
  ok: boolean;
  text: string;
}

/** How a person's wait for a decision ended. */
export type Awaited = Decision | "expired" | "aborted";

interface Entry {
  change: PendingChange;
  secretDigest: Buffer;
  decision?: Decision;
  /** Its call ended without a decision: nobody waits for one any more. */
  closed?: boolean;
  /** Told the decision, or "expired". */
  waiters: Set<(result: Awaited) => void>;
  outcome?: PendingOutcome;
  outcomeWaiters: Set<(outcome: PendingOutcome) => void>;
}

export interface PendingLimits {
  /** Open changes per caller; the oldest is dropped beyond it. */
  perCaller: number;
  /** Open changes in all. */
  total: number;
}

const digest = (text: string) => createHash("sha256").update(text).digest();

export class PendingChanges {
  private readonly entries = new Map<string, Entry>();

  constructor(
    readonly ttlMs: number,
    private readonly now: () => number = Date.now,
    private readonly spent: SpentTokens = new LocalSpentTokens(now),
    private readonly limits: PendingLimits = { perCaller: 20, total: 1000 },
  ) {}

  /** False while decisions cannot be spent safely (a shared store is away): no change is offered then. */
  ready(): boolean {
    return this.spent.ready();
  }

  /** Stores a change; returns it and its secret (shown to nobody but its card or page). */
  create(change: Omit<PendingChange, "id" | "expiresAt">): { change: PendingChange; secret: string } {
    this.prune();
    const id = randomBytes(16).toString("base64url");
    const secret = randomBytes(32).toString("base64url");
    const stored: PendingChange = { ...change, id, expiresAt: this.now() + this.ttlMs };
    this.entries.set(id, {
      change: stored,
      secretDigest: digest(secret),
      waiters: new Set(),
      outcomeWaiters: new Set(),
    });
    this.enforceLimits(change.caller);
    return { change: stored, secret };
  }

  /**
   * The change `id` if `secret` is its secret (compared in constant time) and, when given, `caller` is the
   * caller it was made for. Spends nothing: a refused attempt leaves the change to its rightful card.
   */
  find(
    id: string,
    secret: string,
    caller?: string,
  ): { ok: true; change: PendingChange } | { ok: false; reason: PendingRejection } {
    const entry = this.entries.get(id);
    const given = digest(secret);
    if (!entry || !timingSafeEqual(given, entry.secretDigest)) return { ok: false, reason: "unknown" };
    if (caller !== undefined && caller !== entry.change.caller) return { ok: false, reason: "other_caller" };
    if (entry.decision) return { ok: false, reason: "used" };
    if (entry.closed || entry.change.expiresAt <= this.now()) {
      this.wake(entry, "expired");
      return { ok: false, reason: "expired" };
    }
    return { ok: true, change: entry.change };
  }

  /**
   * Decides change `id` (found with `find`): spends it once, on every replica sharing the spent store, and
   * tells whoever waits for it. Returns why it could not (already decided, expired meanwhile), or undefined.
   * Throws StoreUnavailable when the shared store cannot say (the caller refuses: fail closed).
   */
  async decide(id: string, decision: Decision): Promise<PendingRejection | undefined> {
    const entry = this.entries.get(id);
    if (!entry) return "unknown";
    if (entry.decision) return "used";
    if (entry.closed || entry.change.expiresAt <= this.now()) {
      this.wake(entry, "expired");
      return "expired";
    }
    if (!(await this.spent.spend(`pending.${id}`, entry.change.expiresAt))) return "used";
    if (entry.decision) return "used";
    entry.decision = decision;
    this.wake(entry, decision);
    return undefined;
  }

  /** Waits for the decision on change `id`, until it expires or `signal` aborts. */
  waitForDecision(id: string, signal?: AbortSignal): Promise<Awaited> {
    const entry = this.entries.get(id);
    if (!entry) return Promise.resolve("expired");
    if (entry.decision) return Promise.resolve(entry.decision);
    if (entry.closed) return Promise.resolve("expired");
    return new Promise((resolve) => {
      const timer = setTimeout(
        () => this.wake(entry, "expired"),
        Math.max(0, entry.change.expiresAt - this.now()),
      );
      const onAbort = () => finish("aborted");
      const finish = (result: Awaited) => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        entry.waiters.delete(finish);
        resolve(result);
      };
      entry.waiters.add(finish);
      if (signal?.aborted) return finish("aborted");
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  /** Records what became of change `id` once its call ended (for the page that approved it). */
  settle(id: string, outcome: PendingOutcome): void {
    const entry = this.entries.get(id);
    if (!entry || entry.outcome) return;
    entry.outcome = outcome;
    for (const waiter of [...entry.outcomeWaiters]) waiter(outcome);
  }

  /** What became of change `id`, waiting at most `timeoutMs` for its call to end. */
  outcome(id: string, timeoutMs: number): Promise<PendingOutcome | undefined> {
    const entry = this.entries.get(id);
    if (!entry) return Promise.resolve(undefined);
    if (entry.outcome) return Promise.resolve(entry.outcome);
    return new Promise((resolve) => {
      const timer = setTimeout(() => finish(undefined), timeoutMs);
      const finish = (outcome: PendingOutcome | undefined) => {
        clearTimeout(timer);
        entry.outcomeWaiters.delete(finish);
        resolve(outcome);
      };
      entry.outcomeWaiters.add(finish);
    });
  }

  /** The call that waited for change `id` ended: an undecided change can no longer be decided. */
  close(id: string): void {
    const entry = this.entries.get(id);
    if (!entry || entry.decision) return;
    entry.closed = true;
    this.wake(entry, "expired");
  }

  /** How many changes are still open (undecided and unexpired). */
  open(): number {
    const now = this.now();
    return [...this.entries.values()].filter((e) => !e.decision && !e.closed && e.change.expiresAt > now)
      .length;
  }

  private wake(entry: Entry, result: Awaited): void {
    for (const waiter of [...entry.waiters]) waiter(result);
  }

  /** Forgets changes long past their expiry (kept a while, so a late click hears "expired" or "used"). */
  private prune(): void {
    const forgetBefore = this.now() - this.ttlMs;
    for (const [id, entry] of this.entries) {
      if (entry.change.expiresAt <= forgetBefore) this.entries.delete(id);
    }
  }

  /** Drops the oldest open changes of a caller, and of all callers, beyond the limits. */
  private enforceLimits(caller: string): void {
    const open = () => [...this.entries.values()].filter((e) => !e.decision);
    const ofCaller = open().filter((e) => e.change.caller === caller);
    for (const entry of ofCaller.slice(0, Math.max(0, ofCaller.length - this.limits.perCaller))) {
      this.drop(entry);
    }
    const all = open();
    for (const entry of all.slice(0, Math.max(0, all.length - this.limits.total))) this.drop(entry);
  }

  private drop(entry: Entry): void {
    this.entries.delete(entry.change.id);
    this.wake(entry, "expired");
  }
}
