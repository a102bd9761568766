/**
 * Okta's access certifications against the Governance API 3.2.0 spec, beyond what the shared suites
 * generate: the spec's query examples of listCampaigns and listReviews (filter, orderBy, after) through the
 * tools and the sandbox, and the sandbox's answers across a campaign's whole life (launched, reviewed,
 * reassigned, ended with remediation), each validated against the spec's schemas.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { Route } from "../../../../src/core/operation.js";
import { type Sandbox, startSandbox } from "../../../../src/sandbox/index.js";
import { allOperations } from "../../../../tools/index.js";
import { DANA } from "../../../fixtures/okta.js";
import { decidePath, GITHUB_REVIEW, SALES_REVIEW } from "../../../fixtures/okta-certifications.js";
import { parameterExamples } from "../../../helpers/contract-cases.js";
import { get, send } from "../../../helpers/okta-sandbox.js";
import { loadSpec, type Spec, specsMissing } from "../../../helpers/spec.js";
import { expectValid } from "./answers.js";

type Json = Record<string, unknown>;
const missing = specsMissing();

/**
 * Examples whose value writes a string unquoted (`reviewerType eq USER`) while their own description writes
 * it quoted (`?filter=reviewerType eq "USER"`). SCIM compares strings in double quotes (RFC 7644 §3.4.2.2):
 * the tools refuse the unquoted form naming `filter`, and take the described one.
 */
const UNQUOTED = /^(\w+) eq ([A-Z_]+)$/;

const LISTS: { tool: string; route: Route }[] = [
  { tool: "okta_list_campaigns", route: "GET /governance/api/v1/campaigns" },
  { tool: "okta_list_reviews", route: "GET /governance/api/v1/reviews" },
];

describe.skipIf(missing !== undefined)(
  `Okta access certifications against the spec${missing ? ` (skipped: ${missing})` : ""}`,
  () => {
    const spec = missing ? (undefined as unknown as Spec) : loadSpec("okta");
    const opened: Sandbox[] = [];
    const fresh = async () => {
      const sandbox = await startSandbox();
      opened.push(sandbox);
      return sandbox;
    };
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((s) => s.close()));
    });

    it("checks every governance route of the sandbox against the spec; its own control surface is outside Okta's API", async () => {
      const sandbox = await fresh();
      const path = (route: string) => route.slice(route.indexOf(" ") + 1);
      const governance = (sandbox.routes as Route[]).filter((r) => path(r).startsWith("/governance/"));
      expect(governance.filter((route) => !spec.find(route))).toEqual([]);
      // /_sandbox/okta/… stands for what reviewers do in Okta's UI: the sandbox's, not checked against the spec.
      const control = (sandbox.routes as Route[]).filter((r) => path(r).startsWith("/_sandbox/okta/"));
      expect(control).toContain("POST /_sandbox/okta/reviews/{reviewId}/decide");
      for (const route of control) expect(spec.find(route), route).toBeUndefined();
    });

    it.each(LISTS)(
      "$tool: every query example of the spec (percent-decoded, as a query carries it) is taken by the tool and answered by the sandbox",
      async ({ tool, route }) => {
        const op = allOperations.find((o) => o.name === tool);
        if (!op) throw new Error(`no ${tool}`);
        const sandbox = await fresh();
        const path = route.slice(route.indexOf(" ") + 1);
        const examples = parameterExamples(spec, op);
        let quotedForUs = 0;
        expect(examples.filter((e) => e.field === "filter").length, tool).toBeGreaterThanOrEqual(5);
        for (const { field, value } of examples) {
          const decoded = decodeURIComponent(String(value));
          const unquoted = field === "filter" ? UNQUOTED.exec(decoded) : null;
          const sent = unquoted ? `${unquoted[1]} eq "${unquoted[2]}"` : decoded;
          if (unquoted) {
            const refused = op.input.safeParse({ filter: decoded });
            expect(refused.success, decoded).toBe(false);
            expect(
              refused.error?.issues.map((i: { path: PropertyKey[] }) => i.path.join(".")),
              decoded,
            ).toEqual(["filter"]);
            quotedForUs += 1;
          }
          expect(op.input.safeParse({ [field]: sent }).error?.issues ?? [], `${field}=${sent}`).toEqual([]);
          const res = await send(sandbox, "GET", `${path}?${field}=${encodeURIComponent(sent)}`);
          expectValid(spec, route, res, `${field}=${sent}`);
          // `after` examples name a record of another org: Okta's 400 for a cursor it did not give.
          expect(res.status, `${field}=${sent}`).toBe(field === "after" ? 400 : 200);
        }
        expect(quotedForUs, "the spec's unquoted examples").toBeGreaterThan(0);
      },
    );

    it("answers as the spec says across a campaign's life: launched, decided, reassigned, ended with remediation", async () => {
      const sandbox = await fresh();
      const read = async (route: Route, path: string) => {
        const res = await get(sandbox, path);
        expectValid(spec, route, res, path);
        expect(res.status, path).toBe(200);
        return res.body as Json;
      };
      const reviewsOf = async (campaignId: string) =>
        (
          await read(
            "GET /governance/api/v1/reviews",
            `/governance/api/v1/reviews?filter=${encodeURIComponent(`campaignId eq "${campaignId}"`)}&limit=200`,
          )
        ).data as Json[];
      const everything = async () => {
        for (const campaignId of [SALES_REVIEW, GITHUB_REVIEW]) {
          await read(
            "GET /governance/api/v1/campaigns/{campaignId}",
            `/governance/api/v1/campaigns/${campaignId}`,
          );
          for (const r of await reviewsOf(campaignId)) {
            await read("GET /governance/api/v1/reviews/{reviewId}", `/governance/api/v1/reviews/${r.id}`);
          }
        }
      };

      const launched = await send(sandbox, "POST", `/governance/api/v1/campaigns/${GITHUB_REVIEW}/launch`);
      expectValid(spec, "POST /governance/api/v1/campaigns/{campaignId}/launch", launched, "launch");
      expect(launched.headers.location).toBe(`${sandbox.url}/governance/api/v1/campaigns/${GITHUB_REVIEW}`);
      const reviews = await reviewsOf(GITHUB_REVIEW);
      expect(reviews.length).toBeGreaterThan(5);
      expect(new Set(reviews.map((r) => r.decision))).toEqual(new Set(["UNREVIEWED"]));
      await everything();

      const [first, second, third] = reviews;
      for (const [r, decision] of [
        [first, "REVOKE"],
        [second, "APPROVE"],
      ] as const) {
        const decided = await send(sandbox, "POST", decidePath(String(r?.id)), {
          body: { decision, note: "Checked with the team lead" },
        });
        // The control surface is the sandbox's, but what it answers is a review as the spec has it.
        expectValid(spec, "GET /governance/api/v1/reviews/{reviewId}", decided, "decide");
      }
      const moved = await send(
        sandbox,
        "POST",
        `/governance/api/v1/campaigns/${GITHUB_REVIEW}/reviews/reassign`,
        {
          body: { reviewerId: DANA, reviewIds: [third?.id], note: "Dana owns this team now" },
        },
      );
      expectValid(spec, "POST /governance/api/v1/campaigns/{campaignId}/reviews/reassign", moved, "reassign");
      await everything();

      for (const campaignId of [GITHUB_REVIEW, SALES_REVIEW]) {
        const ended = await send(sandbox, "POST", `/governance/api/v1/campaigns/${campaignId}/end`, {
          body: {},
        });
        expectValid(spec, "POST /governance/api/v1/campaigns/{campaignId}/end", ended, "end");
        expect(ended.status).toBe(202);
      }
      await everything();
      const after = await reviewsOf(GITHUB_REVIEW);
      expect(after.find((r) => r.id === first?.id)?.remediationStatus).toBe("SUCCESS");
      expect(after.find((r) => r.id === second?.id)?.remediationStatus).toBe("NONE");
    });
  },
);
