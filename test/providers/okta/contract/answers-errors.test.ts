/**
 * The Okta sandbox's error answers against the spec: for every operation it serves that the spec has,
 * 401 (no or a wrong token), 403 (an OAuth token without the operation's scope) and 429 (over the rate
 * limit), and the 400, 404 and 409 answers the spec documents, each validated against the spec's error
 * schema. A documented status the sandbox never gives is listed with the reason.
 */
import { exportJWK, exportPKCS8, generateKeyPair } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Route } from "../../../../src/core/operation.js";
import { oktaOAuth } from "../../../../src/providers/okta-oauth.js";
import { type Sandbox, startSandbox } from "../../../../src/sandbox/index.js";
import { OKTA_DEMO } from "../../../../src/sandbox/okta/data.js";
import {
  DANA,
  GITHUB_ADMIN_BUNDLE,
  PRIYA,
  PROFILE,
  SALESFORCE,
  SALESFORCE_ORN,
  WIKI,
} from "../../../fixtures/okta.js";
import { SALES_REVIEW, SAMUEL_REVIEW, SLACK_REVIEW } from "../../../fixtures/okta-certifications.js";
import { responseSchema } from "../../../helpers/contract-cases.js";
import { send } from "../../../helpers/okta-sandbox.js";
import { loadSpec, type Spec, specsMissing } from "../../../helpers/spec.js";
import { answer, type Checked, pathOf, SAMPLE_REQUESTS, samplePath, servedOperations } from "./answers.js";
import { REQUEST_BAD, REQUEST_MISSING, REQUEST_NOT_GIVEN, REQUEST_UNDOCUMENTED } from "./requests-answers.js";

const missing = specsMissing();
const DELETED_BUNDLE = OKTA_DEMO.bundles.find((b) => b.status === "DELETED")?.id as string;
const CLIENT_ID = "0oaNoGovernanceScope";
const UNKNOWN = "espNOTHEREaaaaaaaaaa";
const PATCH_SETTINGS = "PATCH /governance/api/v2/resources/{resourceOrn}/entitlement-settings";

/** An error status the spec documents for an operation that the sandbox never answers, with the reason. */
const NOT_GIVEN: Record<string, string> = {
  "GET /governance/api/v1/entitlements 404":
    'a filter naming an unknown app is a 400 E0000029 ("Invalid externalId request."), as upstream-apis records Okta\'s answer',
  "GET /governance/api/v1/entitlements/values 404":
    "a filter naming an unknown app is a 400 E0000029, as for the entitlements list",
  "GET /governance/api/v1/entitlement-bundles 404":
    "the bundle list is not scoped to an app: nothing to be missing",
  "GET /governance/api/v1/principal-entitlements 404":
    "an unknown app or user in the filter is a 400 E0000029, as in every list pinned to an app",
  "GET /governance/api/v1/principal-access 404": "an unknown app or user in the filter is a 400 E0000029",
  "GET /governance/api/v1/principal-entitlements/history 404":
    "an unknown app or user in the filter is a 400 E0000029",
  ...REQUEST_NOT_GIVEN,
};

/**
 * Statuses Okta gives that the spec does not document for an operation, keyed "<route> <status>" with the
 * reason: sent and checked against the spec's error schema rather than the operation's own responses.
 */
const UNDOCUMENTED: Record<string, string> = {
  "GET /governance/api/v1/reviews 429":
    "listReviews documents 200, 400, 401, 403 and 500 only; Okta's rate limits cover every endpoint",
  "POST /governance/api/v1/campaigns/{campaignId}/reviews/reassign 429":
    "reassignReviews documents 200, 400, 401, 403, 409 and 500 only; Okta's rate limits cover every endpoint",
  ...REQUEST_UNDOCUMENTED,
};

describe.skipIf(missing !== undefined)(
  `the Okta sandbox's error answers against the spec${missing ? ` (skipped: ${missing})` : ""}`,
  () => {
    const spec = missing ? (undefined as unknown as Spec) : loadSpec("okta");
    const checked: Checked = new Map();
    let sandbox: Sandbox;
    let limited: Sandbox;
    let scoped: Sandbox;
    let scopedAuth: (method: string, path: string) => Promise<string>;

    beforeAll(async () => {
      sandbox = await startSandbox();
      limited = await startSandbox({ rateLimit: { limit: 0 } });
      const pair = await generateKeyPair("RS256", { extractable: true });
      const jwk = { ...(await exportJWK(pair.publicKey)), kid: "k1", alg: "RS256" };
      scoped = await startSandbox({
        oktaOAuthClients: [{ clientId: CLIENT_ID, keys: [jwk], scopes: ["okta.apps.read"] }],
      });
      const auth = oktaOAuth({
        orgUrl: scoped.url,
        clientId: CLIENT_ID,
        privateKey: await exportPKCS8(pair.privateKey),
        keyId: "k1",
        scopes: ["okta.apps.read"],
      });
      scopedAuth = async (method, path) => {
        const headers = await auth({ method, url: `${scoped.url}${path}` });
        return String((headers as Record<string, string>).Authorization);
      };
    });
    afterAll(async () => {
      await Promise.all([sandbox?.close(), limited?.close(), scoped?.close()]);
    });

    const routes = () => servedOperations(spec, sandbox);
    const request = (route: Route) => ({ path: samplePath(route), body: SAMPLE_REQUESTS[route]?.body ?? {} });

    it("has a sample request for every operation the sandbox serves", () => {
      expect(routes().length).toBeGreaterThanOrEqual(25);
      for (const route of routes()) expect(SAMPLE_REQUESTS[route], route).toBeDefined();
    });

    it("answers every operation 401 without a token or with a wrong one", async () => {
      for (const route of routes()) {
        for (const auth of [null, "SSWS not-the-token"]) {
          const res = await answer(spec, checked, route, { ...request(route), auth, sandbox });
          expect(res.status, route).toBe(401);
          expect(res.body).toMatchObject({ errorCode: "E0000004", errorSummary: "Authentication failed." });
        }
      }
    });

    it("answers every operation 403 for an OAuth token without its scope", async () => {
      for (const route of routes()) {
        const { path, body } = request(route);
        const method = route.slice(0, route.indexOf(" "));
        const auth = await scopedAuth(method, path.split("?")[0] as string);
        const res = UNDOCUMENTED[`${route} 403`]
          ? await send(scoped, method, path, { body, auth })
          : await answer(spec, checked, route, { path, body, auth, sandbox: scoped });
        expect(res.status, route).toBe(403);
        expect(String(res.headers["www-authenticate"])).toContain("insufficient_scope");
      }
    });

    it("answers every operation 429 over the rate limit", async () => {
      for (const route of routes()) {
        if (!spec.find(route)?.responses["429"]) {
          // Okta limits every endpoint; where the spec documents no 429, the body is held to its error schema.
          expect(UNDOCUMENTED[`${route} 429`], `${route}: why the spec has no 429`).toBeDefined();
          const method = route.slice(0, route.indexOf(" "));
          const res = await send(limited, method, request(route).path, { body: request(route).body });
          expect(res.status, route).toBe(429);
          expect(res.body.errorCode).toBe("E0000047");
          expect(spec.validate(responseSchema(spec, route, 401) ?? {}, res.body), route).toEqual([]);
          continue;
        }
        const res = await answer(spec, checked, route, { ...request(route), sandbox: limited });
        expect(res.status, route).toBe(429);
        expect(res.body.errorCode).toBe("E0000047");
      }
    });

    it("answers 400 to the bad requests of each operation that documents 400", async () => {
      const bad: [Route, { path: string; body?: unknown }][] = [
        ["GET /governance/api/v1/entitlements", { path: "/governance/api/v1/entitlements" }],
        [
          "POST /governance/api/v1/entitlements",
          { path: "/governance/api/v1/entitlements", body: { name: "" } },
        ],
        [
          "PUT /governance/api/v1/entitlements/{entitlementId}",
          { path: `/governance/api/v1/entitlements/${PROFILE}`, body: { id: PROFILE, name: "Profile" } },
        ],
        [
          "PATCH /governance/api/v1/entitlements/{entitlementId}",
          {
            path: `/governance/api/v1/entitlements/${PROFILE}`,
            body: [{ op: "replace", path: "/name", value: "Profile", refType: "ENTITLEMENT" }],
          },
        ],
        [
          "GET /governance/api/v1/entitlement-bundles",
          { path: "/governance/api/v1/entitlement-bundles?include=bogus" },
        ],
        [
          "POST /governance/api/v1/entitlement-bundles",
          {
            path: "/governance/api/v1/entitlement-bundles",
            body: {
              name: "Empty values",
              target: { externalId: SALESFORCE, type: "APPLICATION" },
              entitlements: [{ id: PROFILE, values: [] }],
            },
          },
        ],
        [
          "PUT /governance/api/v1/entitlement-bundles/{entitlementBundleId}",
          {
            path: `/governance/api/v1/entitlement-bundles/${GITHUB_ADMIN_BUNDLE}`,
            body: { id: GITHUB_ADMIN_BUNDLE },
          },
        ],
        ["GET /governance/api/v1/grants", { path: "/governance/api/v1/grants?filter=bogus" }],
        [
          "POST /governance/api/v1/grants",
          {
            path: "/governance/api/v1/grants",
            body: {
              grantType: "ENTITLEMENT",
              target: { externalId: SALESFORCE, type: "APPLICATION" },
              targetPrincipal: { externalId: DANA, type: "OKTA_USER" },
            },
          },
        ],
        [
          "PUT /governance/api/v1/grants/{grantId}",
          { path: "/governance/api/v1/grants/0ggb0oNGTSWTBKOLGLNR", body: { id: "someone-else" } },
        ],
        [
          "PATCH /governance/api/v1/grants/{grantId}",
          { path: "/governance/api/v1/grants/0ggb0oNGTSWTBKOLGLNR", body: { id: "0ggb0oNGTSWTBKOLGLNR" } },
        ],
        [
          "GET /governance/api/v1/principal-entitlements",
          {
            path: `/governance/api/v1/principal-entitlements?filter=${encodeURIComponent(`parent.externalId eq "${SALESFORCE}"`)}`,
          },
        ],
        ["GET /governance/api/v1/principal-access", { path: "/governance/api/v1/principal-access" }],
        [
          "GET /governance/api/v1/principal-entitlements/history",
          {
            path: `/governance/api/v1/principal-entitlements/history?filter=${encodeURIComponent(`resourceId eq "${SALESFORCE}"`)}`,
          },
        ],
        [
          "POST /governance/api/v2/revoke-principal-access",
          {
            path: "/governance/api/v2/revoke-principal-access",
            body: { principalOrn: "nope", revokeOrns: [] },
          },
        ],
        [
          "GET /governance/api/v2/resources/{resourceOrn}/entitlement-settings",
          {
            path: pathOf("GET /governance/api/v2/resources/{resourceOrn}/entitlement-settings", {
              resourceOrn: `orn:okta:idp:00o11edPwGqbUrsDm0g4:apps:nope:${UNKNOWN}`,
            }),
          },
        ],
        [
          PATCH_SETTINGS,
          { path: pathOf(PATCH_SETTINGS, { resourceOrn: SALESFORCE_ORN }), body: { status: "opted_in" } },
        ],
        [
          PATCH_SETTINGS,
          {
            path: pathOf(PATCH_SETTINGS, {
              resourceOrn: `orn:okta:idp:00o11edPwGqbUrsDm0g4:apps:bookmark:${WIKI}`,
            }),
            body: { status: "OPTED_IN" },
          },
        ],
        ...REQUEST_BAD,
      ];
      for (const [route, req] of bad) {
        const res = await answer(spec, checked, route, { ...req, sandbox });
        expect(res.status, `${route} ${req.path}`).toBe(400);
      }
    });

    it("answers 404 for what is not there, and 409 for a bundle already DELETED", async () => {
      const cases: [Route, { path: string; body?: unknown }, number][] = [
        [
          "GET /governance/api/v1/entitlements/{entitlementId}",
          { path: `/governance/api/v1/entitlements/${UNKNOWN}` },
          404,
        ],
        [
          "POST /governance/api/v1/entitlements",
          {
            path: "/governance/api/v1/entitlements",
            body: {
              ...(SAMPLE_REQUESTS["POST /governance/api/v1/entitlements"]?.body as object),
              parent: { externalId: WIKI, type: "APPLICATION" },
            },
          },
          404,
        ],
        [
          "GET /governance/api/v1/entitlements/{entitlementId}/values",
          { path: `/governance/api/v1/entitlements/${UNKNOWN}/values` },
          404,
        ],
        [
          "GET /governance/api/v1/entitlements/{entitlementId}/values/{valueId}",
          { path: `/governance/api/v1/entitlements/${PROFILE}/values/${UNKNOWN}` },
          404,
        ],
        [
          "GET /governance/api/v1/entitlement-bundles/{entitlementBundleId}",
          { path: `/governance/api/v1/entitlement-bundles/${UNKNOWN}` },
          404,
        ],
        [
          "PUT /governance/api/v1/entitlement-bundles/{entitlementBundleId}",
          { path: `/governance/api/v1/entitlement-bundles/${UNKNOWN}`, body: {} },
          404,
        ],
        [
          "DELETE /governance/api/v1/entitlement-bundles/{entitlementBundleId}",
          { path: `/governance/api/v1/entitlement-bundles/${UNKNOWN}` },
          404,
        ],
        [
          "GET /governance/api/v1/grants",
          {
            path: `/governance/api/v1/grants?filter=${encodeURIComponent(`target.externalId eq "${SALESFORCE}" AND target.type eq "APPLICATION" AND entitlements.id eq "${UNKNOWN}"`)}`,
          },
          404,
        ],
        ["GET /governance/api/v1/grants/{grantId}", { path: `/governance/api/v1/grants/${UNKNOWN}` }, 404],
        [
          "DELETE /governance/api/v1/entitlement-bundles/{entitlementBundleId}",
          { path: `/governance/api/v1/entitlement-bundles/${DELETED_BUNDLE}` },
          409,
        ],
        ...REQUEST_MISSING,
      ];
      for (const [route, req, status] of cases) {
        const res = await answer(spec, checked, route, { ...req, sandbox });
        expect(res.status, `${route} ${req.path}`).toBe(status);
      }
    });

    it("answers 400, 404 and 409 to campaigns and reviews as the spec documents them", async () => {
      const reassign = "POST /governance/api/v1/campaigns/{campaignId}/reviews/reassign" as const;
      const cases: [Route, { path: string; body?: unknown }, number][] = [
        [
          "GET /governance/api/v1/campaigns",
          { path: `/governance/api/v1/campaigns?filter=${encodeURIComponent('owner eq "x"')}` },
          400,
        ],
        ["GET /governance/api/v1/reviews", { path: "/governance/api/v1/reviews?orderBy=name%20asc" }, 400],
        [
          reassign,
          {
            path: pathOf(reassign, { campaignId: SALES_REVIEW }),
            body: { reviewerId: PRIYA, reviewIds: [], note: "" },
          },
          400,
        ],
        [
          "GET /governance/api/v1/campaigns/{campaignId}",
          { path: `/governance/api/v1/campaigns/${UNKNOWN}` },
          404,
        ],
        [
          "POST /governance/api/v1/campaigns/{campaignId}/launch",
          { path: `/governance/api/v1/campaigns/${UNKNOWN}/launch` },
          404,
        ],
        [
          "POST /governance/api/v1/campaigns/{campaignId}/end",
          { path: `/governance/api/v1/campaigns/${UNKNOWN}/end`, body: {} },
          404,
        ],
        ["GET /governance/api/v1/reviews/{reviewId}", { path: `/governance/api/v1/reviews/${UNKNOWN}` }, 404],
        [
          "POST /governance/api/v1/campaigns/{campaignId}/launch",
          { path: `/governance/api/v1/campaigns/${SALES_REVIEW}/launch` },
          409,
        ],
        [
          "POST /governance/api/v1/campaigns/{campaignId}/end",
          { path: `/governance/api/v1/campaigns/${SLACK_REVIEW}/end`, body: {} },
          409,
        ],
        // Samuel Osei's review is Dana Whitfield's already.
        [
          reassign,
          {
            path: pathOf(reassign, { campaignId: SALES_REVIEW }),
            body: { reviewerId: DANA, reviewIds: [SAMUEL_REVIEW], note: "Back to Dana" },
          },
          409,
        ],
      ];
      for (const [route, req, status] of cases) {
        const res = await answer(spec, checked, route, { ...req, sandbox });
        expect(res.status, `${route} ${req.path}`).toBe(status);
      }
    });

    it("gave every error status the spec documents (400, 401, 403, 404, 409, 429), or says why not", () => {
      const gaps: string[] = [];
      for (const route of routes()) {
        const documented = Object.keys(spec.find(route)?.responses ?? {}).map(Number);
        for (const status of documented.filter((s) => [400, 401, 403, 404, 409, 429].includes(s))) {
          const key = `${route} ${status}`;
          if (!checked.get(route)?.has(status) && !NOT_GIVEN[key]) gaps.push(key);
          if (checked.get(route)?.has(status) && NOT_GIVEN[key])
            gaps.push(`${key} is given: drop its reason`);
        }
      }
      expect(gaps).toEqual([]);
    });
  },
);
