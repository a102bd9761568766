/**
 * The sandbox's own control surface for reviews, outside the emulated API (its own path prefix, not in
 * Okta's spec, never a tool): reviewers decide in Okta's UI, which the Governance API does not offer, so
 * tests and demos decide here. `POST /_sandbox/okta/reviews/{reviewId}/decide` with
 * `{"decision": "APPROVE" | "REVOKE", "note"?: "…"}` records the decision as the review's reviewer; a
 * revoked item is remediated when the campaign ends. Loopback only, like the whole sandbox; no token.
 */
import type { RouteTable, SandboxRequest, SandboxResponse } from "../kit/http.js";
import { certificationsOf } from "./certifications.js";
import { E, OktaError } from "./errors.js";
import { renderReview, reviewOr404 } from "./routes/reviews.js";
import type { OktaStore } from "./store.js";
import { bodyObject, Causes } from "./validation.js";

function decide(store: OktaStore, req: SandboxRequest): SandboxResponse {
  const review = reviewOr404(store, req.params.reviewId as string);
  const body = bodyObject(req, "Decision");
  const c = new Causes("sandbox");
  const decision = c.oneOf(body, "decision", "", ["APPROVE", "REVOKE"] as const, true);
  const note = c.string(body, "note", "", { max: 300 });
  if (!c.ok || !decision) throw E.validation("Decision", c.list);
  const certs = certificationsOf(store);
  const campaign = certs.campaigns.get(review.campaignId);
  if (campaign?.status !== "ACTIVE") {
    throw new OktaError(409, "E0000169", "Object status conflicts with requested operation.", [
      {
        errorSummary: `Campaign ${review.campaignId} is ${campaign?.status}: reviews are decided while it is ACTIVE`,
      },
    ]);
  }
  certs.decide(review, decision, note);
  return { status: 200, body: renderReview(store, review, true) };
}

export const reviewControlRoutes: RouteTable<OktaStore> = {
  "POST /_sandbox/okta/reviews/{reviewId}/decide": decide,
};
