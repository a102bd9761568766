/**
 * Sealed, single-use confirmation tokens (DESIGN §2.4 step 3).
 * A token is `ct1.<payload>.<mac>`: the payload binds the tool, a digest of the canonical arguments, the
 * target's version, a digest of the caller and an expiry; the mac is HMAC-SHA256 under a key derived from
 * ENTITLEMENT_MCP_SECRET. Nothing in the payload is secret, but nothing in it can be changed either.
 */
import { createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from "node:crypto";

const PREFIX = "ct1";

export interface TokenClaims {
  tool: string;
  args: Record<string, unknown>;
  version: string | undefined;
  caller: string;
}

export type TokenRejection =
  | "malformed"
  | "forged"
  | "expired"
  | "reused"
  | "other_tool"
  | "other_args"
  | "other_caller";

/** On success, the target version the token was issued for: the caller compares it with a fresh read. */
export type TokenCheck = { ok: true; version: string | undefined } | { ok: false; reason: TokenRejection };

/** JSON with object keys sorted at every depth, so equal arguments always digest alike. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

function digest(text: string): string {
  return createHash("sha256").update(text).digest("base64url");
}

interface Payload {
  t: string;
  a: string;
  v: string | null;
  c: string;
  e: number;
  n: string;
}

/**
 * Where spent tokens are remembered, so a token is accepted once: in this process, or shared by replicas
 * (src/replicas/). `spend` answers true the first time a nonce is spent, false after; a store that cannot
 * tell throws StoreUnavailable (the guard then refuses: fail closed).
 */
export interface SpentTokens {
  spend(nonce: string, expiresAt: number): Promise<boolean>;
  /** False while the store cannot be reached: no token is issued then. */
  ready(): boolean;
}

/** Spent tokens remembered by this process (one replica, or stdio). */
export class LocalSpentTokens implements SpentTokens {
  /** nonce -> expiry. */
  private readonly used = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  async spend(nonce: string, expiresAt: number): Promise<boolean> {
    const now = this.now();
    for (const [n, expiry] of this.used) if (expiry <= now) this.used.delete(n);
    if (this.used.has(nonce)) return false;
    this.used.set(nonce, expiresAt);
    return true;
  }

  ready(): boolean {
    return true;
  }
}

export class ConfirmationTokens {
  private readonly key: Buffer;

  constructor(
    secret: Buffer,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
    private readonly spent: SpentTokens = new LocalSpentTokens(now),
  ) {
    this.key = Buffer.from(hkdfSync("sha256", secret, "entitlement-mcp", "confirmation-token/v1", 32));
  }

  /** False while tokens cannot be spent safely (a shared store is unreachable): issue none then. */
  ready(): boolean {
    return this.spent.ready();
  }

  mint(claims: TokenClaims): { token: string; expiresAt: string } {
    const expires = this.now() + this.ttlMs;
    const payload: Payload = {
      t: claims.tool,
      a: digest(canonicalJson(claims.args)),
      v: claims.version ?? null,
      c: digest(claims.caller),
      e: expires,
      n: randomBytes(12).toString("base64url"),
    };
    const body = Buffer.from(JSON.stringify(payload)).toString("base64url");
    return { token: `${PREFIX}.${body}.${this.mac(body)}`, expiresAt: new Date(expires).toISOString() };
  }

  /**
   * Verifies the token against the call being made. On success the token is spent: a second use of the
   * same token fails with "reused", whatever happens to the call afterwards (fail closed), on every replica
   * that shares the store. Throws StoreUnavailable when the store cannot say.
   */
  async verifyAndSpend(token: string, claims: Omit<TokenClaims, "version">): Promise<TokenCheck> {
    const parts = token.split(".");
    if (parts.length !== 3 || parts[0] !== PREFIX || !parts[1] || !parts[2])
      return { ok: false, reason: "malformed" };
    const [, body, mac] = parts as [string, string, string];
    const expected = Buffer.from(this.mac(body));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given))
      return { ok: false, reason: "forged" };
    let payload: Payload;
    try {
      payload = JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as Payload;
    } catch {
      return { ok: false, reason: "malformed" };
    }
    const now = this.now();
    if (typeof payload.e !== "number" || payload.e <= now) return { ok: false, reason: "expired" };
    if (payload.t !== claims.tool) return { ok: false, reason: "other_tool" };
    if (payload.a !== digest(canonicalJson(claims.args))) return { ok: false, reason: "other_args" };
    if (payload.c !== digest(claims.caller)) return { ok: false, reason: "other_caller" };
    // Spent last and atomically: of two calls with one token, on any replicas, exactly one gets through.
    if (!(await this.spent.spend(payload.n, payload.e))) return { ok: false, reason: "reused" };
    return { ok: true, version: payload.v ?? undefined };
  }

  private mac(body: string): string {
    return createHmac("sha256", this.key).update(`${PREFIX}.${body}`).digest("base64url");
  }
}
