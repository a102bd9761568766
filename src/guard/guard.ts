/**
 * The guard (DESIGN §2.4): a write never reaches the upstream until its effect is known, and a change that
 * alters somebody's access never reaches it until a human has confirmed this exact change.
 * Preview (effects computed from the current state) -> decide -> ask through the client's strongest
 * channel (a dialog, an approval card, an approval page, or a token) -> re-check. Every path that is not an
 * explicit confirmation ends in a refusal: the guard fails closed.
 */
import { createHash } from "node:crypto";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { redactSecrets, StoreUnavailable, UpstreamError } from "../core/errors.js";
import {
  type AnyOperation,
  type Effect,
  type GuardPolicy,
  type GuardReadParams,
  mayNeedConfirmation,
  needsConfirmation,
  type Preview,
} from "../core/operation.js";
import { oneLine } from "../core/sanitize.js";
import type { UpstreamClient } from "../upstream/client.js";
import type { AuditEntry, AuditOutcome, AuditSink } from "./audit.js";
import { CHANNEL_NAMES, type ChannelKind, channelAllowed } from "./channels.js";
import { type ConfirmationTokens, canonicalJson } from "./confirm-token.js";
import type { PendingChange, PendingChanges } from "./pending.js";
import {
  approvalPending,
  cancelled,
  confirmationRequired,
  notConfirmed,
  refusal,
  requireChannel,
  storeUnavailable,
  tokenProblem,
  type Via,
} from "./results.js";

export { previewText } from "./preview-view.js";

/** A preview line, and the name a person types, are bounded so no upstream string can push the rest away. */
const MAX_LINE = 300;
const MAX_CONFIRM_NAME = 80;

/** What a human answered, as far as the server can tell. */
export type Answer =
  | { outcome: "accepted" | "declined" | "cancelled" }
  | { outcome: "timed_out" | "failed"; reason: string };

/** The change being confirmed, for a channel that keeps it server-side while the person decides. */
export interface ChangeToConfirm {
  args: Record<string, unknown>;
  version: string;
  caller: string;
}

/**
 * The strongest way this client can confirm (channels.ts). A dialog and a page ask during the call
 * (`ask`); a card is answered later, through the app-only tool; a token comes back with a second call.
 * Elicitation (2025-11-25) implements the asking today; an input-required result (2026-07-28 MRTR) can
 * later, without touching the guard.
 */
export interface ConfirmationChannel {
  readonly kind: ChannelKind;
  ask?(preview: Preview, tool: string, change: ChangeToConfirm): Promise<Answer>;
}

/** A client that can confirm only by relaying a token. */
export const TOKEN_CHANNEL: ConfirmationChannel = { kind: "token" };

export interface GuardCallContext {
  caller: string;
  channel: ConfirmationChannel;
  signal?: AbortSignal;
}

export type ConfirmedOutcome =
  | "not_required"
  | "confirmed_by_token"
  | "confirmed_by_elicitation"
  | "confirmed_by_app"
  | "confirmed_by_page";

export type GuardDecision =
  | { proceed: true; preview: Preview; outcome: ConfirmedOutcome }
  | { proceed: false; result: CallToolResult };

export interface GuardOptions {
  /** `--confirm-creates`: a create needs confirmation too. */
  confirmCreates: boolean;
  /** `--confirm-channel`: the weakest channel that may confirm (default: token, every channel). */
  weakestChannel: ChannelKind;
  /** `--require-elicitation`: the same as `weakestChannel: "form"`. */
  requireElicitation: boolean;
}

export interface GuardDeps {
  upstream: UpstreamClient;
  tokens: ConfirmationTokens;
  audit: AuditSink;
  /** Where approval cards' and pages' changes wait; without it neither channel is offered. */
  pending?: PendingChanges;
  options?: Partial<GuardOptions>;
}

interface Snapshot {
  preview: Preview;
  /** Whether a person must confirm, by the effect rule. */
  required: boolean;
  /** A digest of everything the preview stated and the target's own version: what a confirmation binds. */
  version: string;
}

/** What each asking channel is called in refusals, and the outcome a yes is audited as. */
const ASKING: Record<"form" | "page", { noun: string; via: Via; confirmed: ConfirmedOutcome }> = {
  form: { noun: "the confirmation dialog", via: "dialog", confirmed: "confirmed_by_elicitation" },
  page: { noun: "the approval page", via: "page", confirmed: "confirmed_by_page" },
};

export class Guard {
  private readonly options: GuardOptions;
  /** The weakest channel allowed, `--require-elicitation` folded in (options only ever widen the guard). */
  readonly weakestChannel: ChannelKind;

  constructor(private readonly deps: GuardDeps) {
    this.options = {
      confirmCreates: false,
      requireElicitation: false,
      weakestChannel: "token",
      ...deps.options,
    };
    this.weakestChannel = this.options.requireElicitation ? "form" : this.options.weakestChannel;
  }

  /** True when a confirmation token may be the confirmation for a client that cannot do better. */
  get tokensAllowed(): boolean {
    return this.weakestChannel === "token";
  }

  /** True when the operator allows confirming through `kind`. */
  allows(kind: ChannelKind): boolean {
    return channelAllowed(kind, this.weakestChannel);
  }

  /** True when `op` can need a person's confirmation under this server's options. */
  mayConfirm(op: AnyOperation): boolean {
    return op.guard !== "none" && mayNeedConfirmation(op.guard, this.options);
  }

  /**
   * Decides whether `op` may write with `input` now. `token` is the confirmationToken the call carried.
   * Upstream failures while reading the preview are audited and propagate (the registrar turns them into
   * tool errors); nothing is written then.
   */
  async check(
    op: AnyOperation,
    input: Record<string, unknown>,
    token: string | undefined,
    ctx: GuardCallContext,
  ): Promise<GuardDecision> {
    if (op.guard === "none") throw new Error(`${op.name} has no guard policy`);
    const policy = op.guard as GuardPolicy<Record<string, unknown>>;
    const base = { tool: op.name, provider: op.provider, args: input, caller: ctx.caller };
    const kind = ctx.channel.kind;

    // No downgrade: a client that can confirm through a stronger channel confirms only there; a token it
    // sends is ignored. Otherwise the token is checked (and spent) before anything is read, so a replay is
    // refused as such even when the target is gone; its version is compared with the fresh preview below.
    let check: Awaited<ReturnType<ConfirmationTokens["verifyAndSpend"]>> | undefined;
    const ignoredToken = token !== undefined && kind !== "token";
    if (token !== undefined && !ignoredToken) {
      if (!this.tokensAllowed) {
        await this.audit({ ...base, outcome: "rejected_token", detail: "tokens are disabled" });
        return { proceed: false, result: requireChannel(op.name, undefined, this.weakestChannel) };
      }
      try {
        check = await this.deps.tokens.verifyAndSpend(token, {
          tool: op.name,
          args: input,
          caller: ctx.caller,
        });
      } catch (err) {
        // Replicas share spent tokens; when that store cannot say, no token is honoured (fail closed).
        if (!(err instanceof StoreUnavailable)) throw err;
        await this.audit({
          ...base,
          outcome: "rejected_token",
          detail: `confirmation store unavailable: ${err.message}`,
        });
        return { proceed: false, result: storeUnavailable(op.name) };
      }
      if (!check.ok) {
        await this.audit({ ...base, outcome: "rejected_token", detail: check.reason });
        const why = tokenProblem(check.reason);
        return { proceed: false, result: refusal(op.name, undefined, why, false, "token") };
      }
    }

    const snap = await this.snapshotAudited(op, policy, input, ctx, base, check?.ok ? "token spent" : "");
    const { preview } = snap;
    const audited = { ...base, targetIds: preview.targetIds, effects: effectNames(preview.effects) };

    if (!snap.required) {
      await this.audit({ ...audited, outcome: "not_required", detail: preview.summary });
      return { proceed: true, preview, outcome: "not_required" };
    }
    if (!this.mayConfirm(op)) {
      // The tool was offered as one that never needs confirmation, yet the effect says otherwise.
      await this.audit({ ...audited, outcome: "not_confirmed", detail: "effect outside the declared ones" });
      return {
        proceed: false,
        result: notConfirmed(preview, "its effect on access could not be established"),
      };
    }
    if (!this.allows(kind)) {
      await this.audit({
        ...audited,
        outcome: "not_confirmed",
        detail: `the client can confirm only through ${CHANNEL_NAMES[kind]}, weaker than the operator allows`,
      });
      return { proceed: false, result: requireChannel(op.name, preview, this.weakestChannel) };
    }
    const note = ignoredToken
      ? ` (a confirmationToken was ignored: this client confirms through ${CHANNEL_NAMES[kind]})`
      : "";

    if (kind === "form" || kind === "page") {
      return this.ask(op, policy, input, ctx, snap, audited, kind, note);
    }

    if (kind === "card") {
      const pending = this.deps.pending;
      if (!pending?.ready()) {
        await this.audit({ ...audited, outcome: "not_confirmed", detail: "confirmation store unavailable" });
        return { proceed: false, result: storeUnavailable(op.name) };
      }
      const created = pending.create({
        channel: "card",
        tool: op.name,
        args: input,
        version: snap.version,
        caller: ctx.caller,
        preview,
      });
      await this.audit({
        ...audited,
        outcome: "confirmation_required",
        detail: `approval card: ${preview.summary}${note}`,
      });
      return { proceed: false, result: approvalPending(created.change, created.secret) };
    }

    if (check?.ok) {
      if (check.version !== snap.version) {
        await this.audit({ ...audited, outcome: "stale_target", detail: "changed since the preview" });
        const why = "what the preview showed changed since the token was issued";
        return { proceed: false, result: refusal(op.name, preview, why, true, "token") };
      }
      await this.audit({ ...audited, outcome: "confirmed_by_token", detail: preview.summary });
      return { proceed: true, preview, outcome: "confirmed_by_token" };
    }

    if (!this.deps.tokens.ready()) {
      // A token that could not be spent safely would be no confirmation: issue none.
      await this.audit({ ...audited, outcome: "not_confirmed", detail: "confirmation store unavailable" });
      return { proceed: false, result: storeUnavailable(op.name) };
    }
    const minted = this.deps.tokens.mint({
      tool: op.name,
      args: input,
      version: snap.version,
      caller: ctx.caller,
    });
    await this.audit({ ...audited, outcome: "confirmation_required", detail: preview.summary });
    return { proceed: false, result: confirmationRequired(op.name, preview, minted) };
  }

  /**
   * A pending change its approval card approved (the caller found and spent it): read again, refuse if
   * anything the preview stated moved, otherwise let it execute, audited `confirmed_by_app`.
   */
  async confirmPending(
    op: AnyOperation,
    change: PendingChange,
    ctx: Omit<GuardCallContext, "channel">,
  ): Promise<GuardDecision> {
    if (op.guard === "none" || op.name !== change.tool) throw new Error(`${op.name} is not ${change.tool}`);
    const policy = op.guard as GuardPolicy<Record<string, unknown>>;
    const base = { tool: op.name, provider: op.provider, args: change.args, caller: ctx.caller };
    const fresh = await this.snapshotAudited(op, policy, change.args, ctx, base, "after the approval card");
    const audited = {
      ...base,
      targetIds: fresh.preview.targetIds,
      effects: effectNames(fresh.preview.effects),
    };
    if (fresh.version !== change.version) {
      await this.audit({ ...audited, outcome: "stale_target", detail: "changed since the approval card" });
      const why = "what the approval card showed changed since it was shown";
      return { proceed: false, result: refusal(op.name, fresh.preview, why, true, "card") };
    }
    await this.audit({ ...audited, outcome: "confirmed_by_app", detail: change.preview.summary });
    return { proceed: true, preview: fresh.preview, outcome: "confirmed_by_app" };
  }

  /** Asks during the call (a dialog, or a page), then re-reads before letting the write go. */
  private async ask(
    op: AnyOperation,
    policy: GuardPolicy<Record<string, unknown>>,
    input: Record<string, unknown>,
    ctx: GuardCallContext,
    snap: Snapshot,
    audited: Omit<AuditEntry, "outcome">,
    kind: "form" | "page",
    note: string,
  ): Promise<GuardDecision> {
    const { preview } = snap;
    const { noun, via, confirmed } = ASKING[kind];
    const answer = ctx.channel.ask
      ? await ctx.channel.ask(preview, op.name, { args: input, version: snap.version, caller: ctx.caller })
      : { outcome: "failed" as const, reason: "could not be shown" };
    if (answer.outcome === "accepted") {
      // A person took time to answer: read again and refuse if anything the preview stated moved.
      const fresh = await this.snapshotAudited(op, policy, input, ctx, audited, `after ${noun}`);
      if (fresh.version !== snap.version) {
        await this.audit({
          ...audited,
          outcome: "stale_target",
          detail: `changed while ${noun} was open${note}`,
        });
        const why = `what the preview showed changed while ${noun} was open`;
        return { proceed: false, result: refusal(op.name, fresh.preview, why, true, via) };
      }
      await this.audit({ ...audited, outcome: confirmed, detail: `${preview.summary}${note}` });
      return { proceed: true, preview, outcome: confirmed };
    }
    if (answer.outcome === "declined" || answer.outcome === "cancelled") {
      await this.audit({ ...audited, outcome: answer.outcome, detail: `${preview.summary}${note}` });
      return { proceed: false, result: cancelled(preview, answer.outcome, via) };
    }
    // No answer, or one the guard cannot read: never execute, and never fall back to a token.
    const outcome = answer.outcome === "timed_out" ? "timed_out" : "not_confirmed";
    const reason = "reason" in answer ? answer.reason : "failed";
    await this.audit({ ...audited, outcome, detail: `${reason}${note}` });
    return { proceed: false, result: notConfirmed(preview, `${noun} ${reason}`) };
  }

  private async audit(entry: AuditEntry & { outcome: AuditOutcome }): Promise<void> {
    await this.deps.audit.write(entry);
  }

  /** A snapshot; when its reads fail, the attempt is audited before the error propagates. */
  private async snapshotAudited(
    op: AnyOperation,
    policy: GuardPolicy<Record<string, unknown>>,
    input: Record<string, unknown>,
    ctx: { signal?: AbortSignal },
    base: Omit<AuditEntry, "outcome">,
    when: string,
  ): Promise<Snapshot> {
    try {
      return await this.snapshot(op, policy, input, ctx.signal);
    } catch (err) {
      const why = err instanceof Error ? err.message : "unknown error";
      const status = err instanceof UpstreamError ? err.status : undefined;
      await this.audit({
        ...base,
        outcome: "preview_failed",
        upstreamStatus: status,
        requestId: err instanceof UpstreamError ? err.requestId : undefined,
        detail: `${when ? `${when}: ` : ""}${why}`.slice(0, 300),
      });
      throw err;
    }
  }

  /** Runs the policy's reads in order, composes the preview and decides from its effects. */
  private async snapshot(
    op: AnyOperation,
    policy: GuardPolicy<Record<string, unknown>>,
    input: Record<string, unknown>,
    signal: AbortSignal | undefined,
  ): Promise<Snapshot> {
    const state: Record<string, unknown> = {};
    const unread: string[] = [];
    for (const read of policy.reads) {
      const params = read.params(input, state);
      if (params === null) continue;
      const fetchOne = async (p: GuardReadParams): Promise<unknown> => {
        try {
          const res = await this.deps.upstream.request(
            op.provider,
            read.route,
            { path: p.path ?? {}, query: p.query ?? {}, body: p.body },
            { signal },
          );
          return res.body;
        } catch (err) {
          if (read.optional && err instanceof UpstreamError && (err.status === 404 || err.status === 400)) {
            unread.push(read.key);
            return undefined;
          }
          // A check the upstream does not offer here (no licence, no scope): the preview says so.
          if (
            read.check &&
            err instanceof UpstreamError &&
            ((err.status >= 400 && err.status < 500) || err.status === 501)
          ) {
            return {
              unavailable: `${err.status}${err.code ? ` ${err.code}` : ""}: ${err.summary}`.slice(0, 200),
            };
          }
          throw err;
        }
      };
      state[read.key] = Array.isArray(params)
        ? await Promise.all(params.map(fetchOne))
        : await fetchOne(params);
    }
    const preview = cleanPreview(policy.preview(input, state));
    // The effect rule, with two fail-closed corrections: an effect the policy does not declare, and a
    // state that could not be read completely, both count as unknown.
    const declared = new Set(policy.effects);
    const effects: Effect[] = preview.effects.map((e) =>
      declared.has(e.kind) ? e : { kind: "unknown", on: e.on },
    );
    if (unread.length > 0) {
      effects.push({ kind: "unknown", on: `unread: ${[...new Set(unread)].join(", ")}` });
      preview.details.push("Part of the current state could not be read, so a person must confirm.");
    }
    preview.effects = effects;
    const required = needsConfirmation(effects, this.options);
    const own = policy.version ? policy.version(state) : defaultVersion(policy, state);
    const stated = canonicalJson({
      own: own ?? null,
      summary: preview.summary,
      details: preview.details,
      effects: preview.effects,
      targetIds: preview.targetIds,
    });
    return { preview, required, version: createHash("sha256").update(stated).digest("base64url") };
  }
}

/**
 * The preview as a person may see it: every line is one bounded line of clean text (so no upstream name
 * can start a line of its own), secrets redacted; the name to type falls back to the id when the name is
 * empty or unwieldy once cleaned.
 */
function cleanPreview(raw: Preview): Preview {
  const clean = (t: string) => redactSecrets(oneLine(t, MAX_LINE));
  const typed = raw.confirmName === undefined ? undefined : redactSecrets(oneLine(raw.confirmName, 1000));
  const fallback = raw.targetIds[0];
  const confirmName =
    typed === undefined
      ? undefined
      : typed !== "" && typed.length <= MAX_CONFIRM_NAME
        ? typed
        : (fallback ?? typed.slice(0, MAX_CONFIRM_NAME));
  return {
    summary: clean(raw.summary),
    details: raw.details.map(clean),
    effects: raw.effects.map((e) => ({ ...e })),
    targetIds: [...raw.targetIds],
    confirmName,
  };
}

function defaultVersion(policy: GuardPolicy<Record<string, unknown>>, state: Record<string, unknown>) {
  const first = policy.reads[0] ? state[policy.reads[0].key] : undefined;
  if (first && typeof first === "object" && "lastUpdated" in first) {
    const value = (first as { lastUpdated?: unknown }).lastUpdated;
    return typeof value === "string" ? value : undefined;
  }
  return undefined;
}

/** `provisioning(held)`, `grant`, …: effects as the audit log records them. */
function effectNames(effects: readonly Effect[]): string[] {
  return [
    ...new Set(
      effects.map((e) =>
        e.held ? `${e.kind}(${e.held === "yes" ? "held" : e.held === "no" ? "unheld" : "held?"})` : e.kind,
      ),
    ),
  ];
}
