/**
 * The guard (DESIGN §2.4): a guarded call never reaches the upstream write until a human has confirmed
 * this exact change. Preview -> ask (elicitation) or token fallback -> re-check -> the registrar writes.
 * Every path that is not an explicit confirmation ends in a refusal: the guard fails closed.
 */
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { AuditEntry, AuditOutcome, AuditSink } from "./audit.js";
import type { ConfirmationTokens, TokenRejection } from "./confirm-token.js";
import { redactSecrets, UpstreamError } from "./errors.js";
import type { AnyOperation, GuardPolicy, GuardReadParams, Preview } from "./operation.js";
import { sanitizeText } from "./sanitize.js";
import type { UpstreamClient } from "./upstream.js";

const NOTHING_CHANGED = "Nothing was changed.";

/** What a human answered, as far as the server can tell. */
export type Answer = "accepted" | "declined" | "cancelled" | "timed_out" | "failed";

/**
 * A way to ask the human in the loop during the call. Elicitation (2025-11-25) implements it today;
 * an input-required result (2026-07-28 MRTR) can implement it later without touching the guard.
 */
export interface ConfirmationChannel {
  readonly available: boolean;
  ask(preview: Preview, tool: string): Promise<Answer>;
}

export const NO_CHANNEL: ConfirmationChannel = {
  available: false,
  ask: async () => "failed",
};

export interface GuardCallContext {
  caller: string;
  channel: ConfirmationChannel;
  signal?: AbortSignal;
}

export type GuardDecision =
  | {
      proceed: true;
      preview: Preview;
      outcome: "not_required" | "confirmed_by_token" | "confirmed_by_elicitation";
    }
  | { proceed: false; result: CallToolResult };

export interface GuardDeps {
  upstream: UpstreamClient;
  tokens: ConfirmationTokens;
  audit: AuditSink;
}

interface Snapshot {
  state: Record<string, unknown>;
  preview: Preview;
  version: string | undefined;
}

export class Guard {
  constructor(private readonly deps: GuardDeps) {}

  /**
   * Decides whether `op` may write with `input` now. `token` is the confirmationToken the call carried.
   * Upstream failures while reading the preview propagate (the registrar turns them into tool errors).
   */
  async check(
    op: AnyOperation,
    input: Record<string, unknown>,
    token: string | undefined,
    ctx: GuardCallContext,
  ): Promise<GuardDecision> {
    const policy = op.guard as GuardPolicy<Record<string, unknown>>;
    const base = { tool: op.name, provider: op.provider, args: input, caller: ctx.caller };
    // A token is checked (and spent) before anything is read, so a replay is refused as such even when
    // the target is gone; its version is compared with the fresh read below.
    const check =
      token === undefined
        ? undefined
        : this.deps.tokens.verifyAndSpend(token, { tool: op.name, args: input, caller: ctx.caller });
    if (check && !check.ok) {
      await this.audit({ ...base, outcome: "rejected_token", detail: check.reason });
      return { proceed: false, result: refusal(op.name, undefined, tokenProblem(check.reason), false) };
    }

    const snap = await this.snapshot(op, policy, input, ctx.signal);
    const { preview } = snap;
    const audited = { ...base, targetIds: preview.targetIds };

    if (!preview.required) {
      await this.audit({ ...audited, outcome: "not_required", detail: preview.summary });
      return { proceed: true, preview, outcome: "not_required" };
    }

    if (check?.ok) {
      if (check.version !== snap.version) {
        await this.audit({
          ...audited,
          outcome: "stale_target",
          detail: `${check.version} -> ${snap.version}`,
        });
        const why = "the target changed since the preview the token was issued for";
        return { proceed: false, result: refusal(op.name, preview, why, true) };
      }
      await this.audit({ ...audited, outcome: "confirmed_by_token", detail: preview.summary });
      return { proceed: true, preview, outcome: "confirmed_by_token" };
    }

    if (ctx.channel.available) {
      const answer = await ctx.channel.ask(preview, op.name);
      if (answer === "accepted") {
        // A person took time to answer: read the target again and refuse if it moved meanwhile.
        const fresh = await this.snapshot(op, policy, input, ctx.signal);
        if (fresh.version !== snap.version) {
          await this.audit({
            ...audited,
            outcome: "stale_target",
            detail: `${snap.version} -> ${fresh.version}`,
          });
          return {
            proceed: false,
            result: refusal(op.name, preview, "the target changed while the confirmation was open", true),
          };
        }
        await this.audit({ ...audited, outcome: "confirmed_by_elicitation", detail: preview.summary });
        return { proceed: true, preview, outcome: "confirmed_by_elicitation" };
      }
      if (answer === "declined" || answer === "cancelled") {
        await this.audit({ ...audited, outcome: answer, detail: preview.summary });
        return { proceed: false, result: cancelled(preview, answer) };
      }
      // No answer or a broken client: never execute; fall through to the token path instead.
      await this.audit({ ...audited, outcome: "timed_out", detail: answer });
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

  private async audit(entry: AuditEntry & { outcome: AuditOutcome }): Promise<void> {
    await this.deps.audit.write(entry);
  }

  /** Runs the policy's reads in order and composes the preview. */
  private async snapshot(
    op: AnyOperation,
    policy: GuardPolicy<Record<string, unknown>>,
    input: Record<string, unknown>,
    signal: AbortSignal | undefined,
  ): Promise<Snapshot> {
    const state: Record<string, unknown> = {};
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
            return undefined;
          }
          throw err;
        }
      };
      state[read.key] = Array.isArray(params)
        ? await Promise.all(params.map(fetchOne))
        : await fetchOne(params);
    }
    // Names in a preview come from upstreams: what a person reads and types must be clean text.
    const raw = policy.preview(input, state);
    const clean = (t: string) => redactSecrets(sanitizeText(t));
    const preview: Preview = {
      ...raw,
      summary: clean(raw.summary),
      details: raw.details.map(clean),
      confirmName: raw.confirmName === undefined ? undefined : clean(raw.confirmName),
    };
    const version = policy.version ? policy.version(state) : defaultVersion(policy, state);
    return { state, preview, version };
  }
}

function defaultVersion(policy: GuardPolicy<Record<string, unknown>>, state: Record<string, unknown>) {
  const first = policy.reads[0] ? state[policy.reads[0].key] : undefined;
  if (first && typeof first === "object" && "lastUpdated" in first) {
    const value = (first as { lastUpdated?: unknown }).lastUpdated;
    return typeof value === "string" ? value : undefined;
  }
  return undefined;
}

/** The preview as text lines a person can read. */
export function previewText(preview: Preview): string {
  return [preview.summary, ...preview.details.map((d) => `- ${d}`)].join("\n");
}

function confirmationRequired(
  tool: string,
  preview: Preview,
  minted: { token: string; expiresAt: string },
): CallToolResult {
  const text = [
    `Confirmation required. ${previewText(preview)}`,
    "",
    "Show this preview to the user and ask whether to go ahead. Only if they agree, call " +
      `${tool} again with exactly the same arguments plus confirmationToken "${minted.token}" ` +
      `(single use, valid until ${minted.expiresAt}). ${NOTHING_CHANGED}`,
  ].join("\n");
  return {
    isError: true,
    content: [{ type: "text", text }],
    structuredContent: {
      status: "confirmation_required",
      preview: { summary: preview.summary, details: preview.details, targetIds: preview.targetIds },
      confirmationToken: minted.token,
      expiresAt: minted.expiresAt,
    },
  };
}

function cancelled(preview: Preview, answer: "declined" | "cancelled"): CallToolResult {
  const why = answer === "declined" ? "the user declined" : "the user dismissed the confirmation";
  return {
    isError: true,
    content: [{ type: "text", text: `Cancelled: ${why}. ${preview.summary} ${NOTHING_CHANGED}` }],
    structuredContent: { status: answer, preview: { summary: preview.summary, details: preview.details } },
  };
}

function tokenProblem(reason: TokenRejection): string {
  switch (reason) {
    case "malformed":
    case "forged":
      return "the confirmationToken is not one this server issued";
    case "expired":
      return "the confirmationToken has expired";
    case "reused":
      return "the confirmationToken was already used (tokens are single use)";
    case "other_tool":
      return "the confirmationToken was issued for another tool";
    case "other_args":
      return "the confirmationToken was issued for different arguments";
    case "other_caller":
      return "the confirmationToken was issued to another caller";
  }
}

function refusal(tool: string, preview: Preview | undefined, why: string, stale: boolean): CallToolResult {
  const text =
    `Refused: ${why}. ${preview ? `${preview.summary} ` : ""}` +
    `Call ${tool} again without confirmationToken to get a ${stale ? "fresh " : ""}preview and a new token. ` +
    NOTHING_CHANGED;
  return {
    isError: true,
    content: [{ type: "text", text }],
    structuredContent: { status: stale ? "stale_target" : "rejected_token", reason: why },
  };
}
