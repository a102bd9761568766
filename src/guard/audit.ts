/**
 * The audit trail: one JSON line per guarded attempt and per outcome (DESIGN §2.4 step 5).
 * Appends are serialised so lines never interleave; arguments are redacted before they are written.
 */
import { appendFile, mkdir } from "node:fs/promises";
import { dirname } from "node:path";

export type AuditOutcome =
  | "confirmation_required"
  | "confirmed_by_elicitation"
  | "confirmed_by_token"
  | "confirmed_by_app"
  | "confirmed_by_page"
  | "not_required"
  | "declined"
  | "cancelled"
  | "timed_out"
  | "rejected_token"
  | "rejected_approval"
  | "stale_target"
  | "not_confirmed"
  | "preview_failed"
  | "executing"
  | "executed"
  | "failed";

export interface AuditEntry {
  tool: string;
  provider: string;
  outcome: AuditOutcome;
  targetIds?: string[];
  /** The change's access effects as the guard computed them, e.g. `provisioning(held)`, `grant`. */
  effects?: string[];
  args?: Record<string, unknown>;
  caller?: string;
  detail?: string;
  upstreamStatus?: number;
  requestId?: string;
}

export interface AuditSink {
  write(entry: AuditEntry): Promise<void>;
}

/** Keys whose values are never written, whatever tool they belong to. */
const SECRET_KEYS = /token|secret|password|apikey|api_key|authorization|assertion/i;
const MAX_STRING = 500;

/** A copy of the arguments that is safe to log: secrets dropped, long strings cut. */
export function redactArgs(
  args: Record<string, unknown>,
  secrets: readonly string[] = [],
): Record<string, unknown> {
  const walk = (value: unknown, depth: number): unknown => {
    if (typeof value === "string") {
      let text = value;
      for (const secret of secrets) if (secret) text = text.split(secret).join("[REDACTED]");
      return text.length > MAX_STRING ? `${text.slice(0, MAX_STRING)}…(${text.length} chars)` : text;
    }
    if (depth > 6 || value === null || typeof value !== "object") return value;
    if (Array.isArray(value)) return value.slice(0, 100).map((v) => walk(v, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      out[key] = SECRET_KEYS.test(key) ? "[REDACTED]" : walk(v, depth + 1);
    }
    return out;
  };
  return walk(args, 0) as Record<string, unknown>;
}

/**
 * JSON that stays on one line for any reader: JSON.stringify escapes C0 controls but leaves U+2028,
 * U+2029 and U+0085 raw, which many line readers split on (and DEL and C1 controls, which terminals
 * interpret). Inside JSON they can only occur in strings, where `\uXXXX` is the same character.
 */
export function auditLine(value: unknown): string {
  return JSON.stringify(value).replace(
    /[\u007F-\u009F\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** Appends JSON lines to a file, creating its directory on first use. */
export class FileAuditLog implements AuditSink {
  private chain: Promise<void> = Promise.resolve();
  private ready: Promise<void> | undefined;

  constructor(
    readonly path: string,
    private readonly secrets: readonly string[] = [],
    private readonly onError: (err: unknown) => void = () => {},
  ) {}

  write(entry: AuditEntry): Promise<void> {
    const line = `${auditLine({
      time: new Date().toISOString(),
      ...entry,
      args: entry.args ? redactArgs(entry.args, this.secrets) : undefined,
      detail:
        entry.detail === undefined ? undefined : redactArgs({ detail: entry.detail }, this.secrets).detail,
    })}\n`;
    this.ready ??= mkdir(dirname(this.path), { recursive: true, mode: 0o700 }).then(() => undefined);
    const next = this.chain.then(async () => {
      await this.ready;
      await appendFile(this.path, line, { mode: 0o600 });
    });
    // A failing disk must not break the chain for later entries, but the caller still learns of it.
    this.chain = next.catch((err) => this.onError(err));
    return next;
  }

  /** Resolves when every line written so far is on disk. */
  flush(): Promise<void> {
    return this.chain;
  }
}
