/**
 * The approval page's HTTP routes: `GET /approve/<id>.<secret>` shows a pending change, `POST` to the same
 * path decides it. The person's browser opens it and carries no MCP bearer token, so the page's own URL is
 * the credential: 128 bits of id and 256 of secret, made for one change of one caller, usable once, and
 * expiring with the change. The POST is held to its page three ways: a per-page token in a hidden field
 * that must match a SameSite=Strict, HttpOnly cookie set with the page (double submit, the token an HMAC of
 * the cookie), and an Origin (and Sec-Fetch-Site, when sent) that must be this server's. Every answer is a
 * page that says what happened; every refusal says "Nothing was changed."
 */
import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { StoreUnavailable } from "../core/errors.js";
import type { PendingChange, PendingChanges, PendingRejection } from "../guard/pending.js";
import { previewView } from "../guard/preview-view.js";
import { approvalFormPage, outcomePage, PAGE_CSP } from "../mcp/approval-html.js";

export const APPROVE_PREFIX = "/approve/";
const PATH = /^\/approve\/([A-Za-z0-9_-]{1,64})\.([A-Za-z0-9_-]{1,128})$/;
const COOKIE = "approval";
const MAX_FORM_BYTES = 16 * 1024;
const NOTHING_CHANGED = "Nothing was changed.";

export interface ApprovalRoutesOptions {
  pending: PendingChanges;
  /** The server's secret: the key of the per-page tokens is derived from it. */
  secret: Buffer;
  /** True when `origin` is this server's own (a form posted from its page). */
  originAllowed: (origin: string) => boolean;
  /** How long an approval waits for its call to end, to show the outcome (default 20 s). */
  outcomeWaitMs?: number;
}

/** The page path of a pending change. */
export const approvalPath = (id: string, secret: string) => `${APPROVE_PREFIX}${id}.${secret}`;

/** Answers a request under /approve/ (the caller has checked the Host header). */
export function approvalRoutes(
  options: ApprovalRoutesOptions,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const key = Buffer.from(hkdfSync("sha256", options.secret, "entitlement-mcp", "approval-page/v1", 32));
  const csrfOf = (id: string, nonce: string) =>
    createHmac("sha256", key).update(`${id}.${nonce}`).digest("base64url");

  return async (req, res) => {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    const match = PATH.exec(path);
    if (!match)
      return send(
        res,
        404,
        outcomePage("Not found", `This approval link is not valid. ${NOTHING_CHANGED}`, false),
      );
    const [, id, secret] = match as unknown as [string, string, string];

    if (req.method === "GET" || req.method === "HEAD") {
      const found = options.pending.find(id, secret);
      if (!found.ok) return sendRejection(res, found.reason);
      const nonce = randomBytes(16).toString("base64url");
      res.setHeader(
        "set-cookie",
        `${COOKIE}=${nonce}; Path=${path}; HttpOnly; SameSite=Strict; Max-Age=${Math.ceil(options.pending.ttlMs / 1000)}`,
      );
      return send(
        res,
        200,
        approvalFormPage(previewView(found.change.preview, found.change.tool), csrfOf(id, nonce)),
      );
    }
    if (req.method !== "POST") {
      res.setHeader("allow", "GET, POST");
      return send(
        res,
        405,
        outcomePage("Not allowed", `Open the approval link in a browser. ${NOTHING_CHANGED}`, false),
      );
    }

    // The form is read first (bounded): answering while a client still writes would cut it off.
    const form = await readForm(req);
    if (!form)
      return send(res, 413, outcomePage("Refused", `The form is too large. ${NOTHING_CHANGED}`, false));
    // A form posted from anywhere but this server's own page is refused before anything is looked up.
    const origin = req.headers.origin;
    const site = req.headers["sec-fetch-site"];
    if (
      typeof origin !== "string" ||
      !options.originAllowed(origin) ||
      (site !== undefined && site !== "same-origin")
    ) {
      return send(
        res,
        403,
        outcomePage(
          "Refused",
          `This decision was not sent from the approval page itself (its origin does not match). ${NOTHING_CHANGED}`,
          false,
        ),
      );
    }
    const found = options.pending.find(id, secret);
    if (!found.ok) return sendRejection(res, found.reason);
    const change = found.change;
    const view = previewView(change.preview, change.tool);

    const nonce = cookie(req, COOKIE);
    const expected = nonce ? Buffer.from(csrfOf(id, nonce)) : undefined;
    const given = Buffer.from(form.get("csrf") ?? "");
    if (!expected || expected.length !== given.length || !timingSafeEqual(expected, given)) {
      return send(
        res,
        403,
        outcomePage(
          "Refused",
          `The page's security token does not match this page (a forged form, or cookies are blocked). ${NOTHING_CHANGED} Reload the approval page to try again.`,
          false,
          view,
        ),
      );
    }
    const decision = form.get("decision");
    if (decision !== "approve" && decision !== "decline") {
      return send(res, 400, approvalFormPage(view, form.get("csrf") ?? "", "Choose Approve or Decline."));
    }
    if (decision === "approve" && change.preview.confirmName !== undefined) {
      if ((form.get("confirmName") ?? "").trim() !== change.preview.confirmName) {
        return send(
          res,
          422,
          approvalFormPage(
            view,
            form.get("csrf") ?? "",
            `Type "${change.preview.confirmName}" exactly to approve the delete. ${NOTHING_CHANGED}`,
          ),
        );
      }
    }
    let problem: PendingRejection | undefined;
    try {
      problem = await options.pending.decide(id, decision);
    } catch (err) {
      if (!(err instanceof StoreUnavailable)) throw err;
      return send(
        res,
        503,
        outcomePage(
          "Not recorded",
          `The confirmation store is unavailable, so the decision was not recorded. ${NOTHING_CHANGED} Try again shortly.`,
          false,
          view,
        ),
      );
    }
    if (problem) return sendRejection(res, problem);
    if (decision === "decline") {
      return send(
        res,
        200,
        outcomePage("Declined", `You declined this change. ${NOTHING_CHANGED}`, false, view),
      );
    }
    return send(res, 200, await approvedPage(options, change, view));
  };
}

async function approvedPage(
  options: ApprovalRoutesOptions,
  change: PendingChange,
  view: ReturnType<typeof previewView>,
): Promise<string> {
  const outcome = await options.pending.outcome(change.id, options.outcomeWaitMs ?? 20_000);
  if (!outcome) {
    return outcomePage(
      "Approved",
      "Your approval was recorded. The change runs now; its result appears in your assistant's conversation.",
      true,
      view,
    );
  }
  return outcome.ok
    ? outcomePage("Approved and done", outcome.text, true, view)
    : outcomePage("Approved, but not done", outcome.text, false, view);
}

function sendRejection(res: ServerResponse, reason: PendingRejection): void {
  const [status, heading, message]: [number, string, string] =
    reason === "expired"
      ? [
          410,
          "Expired",
          `This approval is no longer open: it expired, or the request that asked for it ended. ${NOTHING_CHANGED} Ask your assistant for the change again to get a new link.`,
        ]
      : reason === "used"
        ? [
            410,
            "Already decided",
            "This change was already approved or declined: each approval link works once. Nothing more was changed.",
          ]
        : [404, "Not found", `This approval link is not valid. ${NOTHING_CHANGED}`];
  send(res, status, outcomePage(heading, message, false));
}

function send(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, {
    "content-type": "text/html; charset=utf-8",
    "content-security-policy": PAGE_CSP,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
    "cache-control": "no-store",
    "cross-origin-opener-policy": "same-origin",
  });
  res.end(html);
}

function cookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) return v.join("=");
  }
  return undefined;
}

/** The urlencoded form, or undefined when it is larger than a form of this page can be. */
async function readForm(req: IncomingMessage): Promise<URLSearchParams | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_FORM_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}
