/**
 * The Okta sandbox's reads against the spec, across the demo org: every list of every app (entitlements,
 * all values, grants with each `include`), every entitlement with its values, every bundle, every grant,
 * every user's entitlements, access and history in every app, and every app's entitlement settings,
 * each answer validated against the spec's response schema.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Route } from "../../../../src/core/operation.js";
import { type Sandbox, startSandbox } from "../../../../src/sandbox/index.js";
import { OKTA_DEMO } from "../../../../src/sandbox/okta/data.js";
import { get } from "../../../helpers/okta-sandbox.js";
import { loadSpec, type Spec, specsMissing } from "../../../helpers/spec.js";
import { answer, type Checked, pathOf, servedOperations } from "./answers.js";
import { readRequestsOrg } from "./requests-answers.js";

type Json = Record<string, unknown>;
const missing = specsMissing();
const q = (filter: string) => `filter=${encodeURIComponent(filter)}`;
const app = (prefix: string, id: string) =>
  `${prefix}.externalId eq "${id}" AND ${prefix}.type eq "APPLICATION"`;
const user = (prefix: string, id: string) =>
  `${prefix}.externalId eq "${id}" AND ${prefix}.type eq "OKTA_USER"`;

describe.skipIf(missing !== undefined)(
  `the Okta sandbox's reads against the spec, across the demo org${missing ? ` (skipped: ${missing})` : ""}`,
  () => {
    const spec = missing ? (undefined as unknown as Spec) : loadSpec("okta");
    const checked: Checked = new Map();
    let sandbox: Sandbox;
    let apps: Json[] = [];
    const read = async (route: Route, path: string) => {
      const res = await answer(spec, checked, route, { path, sandbox });
      expect(res.status, path).toBe(200);
      return res.body as Json;
    };

    beforeAll(async () => {
      sandbox = await startSandbox();
      apps = (await get(sandbox, "/api/v1/apps?limit=200")).body as Json[];
    });
    afterAll(() => sandbox?.close());

    it("reads every app's entitlements, each with its values, and every value", async () => {
      let values = 0;
      for (const a of apps) {
        const list = await read(
          "GET /governance/api/v1/entitlements",
          `/governance/api/v1/entitlements?${q(app("parent", String(a.id)))}&limit=200`,
        );
        await read(
          "GET /governance/api/v1/entitlements/values",
          `/governance/api/v1/entitlements/values?${q(app("parent", String(a.id)))}&limit=200`,
        );
        for (const e of list.data as Json[]) {
          await read(
            "GET /governance/api/v1/entitlements/{entitlementId}",
            `/governance/api/v1/entitlements/${e.id}`,
          );
          const page = await read(
            "GET /governance/api/v1/entitlements/{entitlementId}/values",
            `/governance/api/v1/entitlements/${e.id}/values?limit=200`,
          );
          for (const v of page.data as Json[]) {
            values += 1;
            await read(
              "GET /governance/api/v1/entitlements/{entitlementId}/values/{valueId}",
              `/governance/api/v1/entitlements/${e.id}/values/${v.id}`,
            );
          }
        }
      }
      expect(values).toBeGreaterThan(50);
    });

    it("reads every bundle, listed and one by one, with and without full entitlements", async () => {
      for (const include of ["", "&include=full_entitlements"]) {
        await read(
          "GET /governance/api/v1/entitlement-bundles",
          `/governance/api/v1/entitlement-bundles?limit=200${include}`,
        );
      }
      for (const b of OKTA_DEMO.bundles) {
        for (const include of ["", "?include=full_entitlements"]) {
          await read(
            "GET /governance/api/v1/entitlement-bundles/{entitlementBundleId}",
            `/governance/api/v1/entitlement-bundles/${b.id}${include}`,
          );
        }
      }
    });

    it("reads every app's grants and every grant, with each include", async () => {
      const includes = [
        "",
        "&include=full_entitlements",
        "&include=metadata",
        "&include=full_entitlements,metadata",
      ];
      for (const a of apps) {
        for (const include of includes) {
          await read(
            "GET /governance/api/v1/grants",
            `/governance/api/v1/grants?${q(app("target", String(a.id)))}&limit=200${include}`,
          );
        }
      }
      for (const g of OKTA_DEMO.grants) {
        for (const include of includes) {
          await read(
            "GET /governance/api/v1/grants/{grantId}",
            `/governance/api/v1/grants/${g.id}${include.replace("&", "?")}`,
          );
        }
      }
    });

    it("reads every user's entitlements, access and history in every app", async () => {
      let periods = 0;
      for (const a of apps) {
        for (const u of OKTA_DEMO.users) {
          const pins = `${app("parent", String(a.id))} AND ${user("targetPrincipal", u.id)}`;
          await read(
            "GET /governance/api/v1/principal-entitlements",
            `/governance/api/v1/principal-entitlements?${q(pins)}`,
          );
          await read(
            "GET /governance/api/v1/principal-access",
            `/governance/api/v1/principal-access?${q(pins)}`,
          );
          const history = await read(
            "GET /governance/api/v1/principal-entitlements/history",
            `/governance/api/v1/principal-entitlements/history?${q(`${app("resource", String(a.id))} AND ${user("principal", u.id)}`)}&include=counts`,
          );
          periods += (history.entitlementHistory as unknown[]).length;
        }
      }
      expect(periods).toBeGreaterThan(10);
    });

    it("reads every app's entitlement settings", async () => {
      const route = "GET /governance/api/v2/resources/{resourceOrn}/entitlement-settings" as const;
      const statuses = [];
      for (const a of apps) {
        statuses.push((await read(route, pathOf(route, { resourceOrn: String(a.orn) }))).status);
      }
      expect(new Set(statuses)).toEqual(new Set(["OPTED_IN", "OPTED_OUT"]));
    });

    it("reads every campaign and every review, listed by each filter property and order, and one by one", async () => {
      const campaigns = await read(
        "GET /governance/api/v1/campaigns",
        "/governance/api/v1/campaigns?limit=200",
      );
      const filters = [
        'status eq "ACTIVE"',
        'name sw "Sales"',
        'scheduleType eq "ONE_OFF"',
        'reviewerType eq "USER"',
        'startDate gt "2026-01-01T00:00:00Z"',
        'endDate lt "2026-01-01T00:00:00Z"',
      ];
      for (const filter of filters)
        await read("GET /governance/api/v1/campaigns", `/governance/api/v1/campaigns?${q(filter)}`);
      for (const order of ["name desc", "startDate asc", "endDate desc", "status asc", "created desc"]) {
        await read(
          "GET /governance/api/v1/campaigns",
          `/governance/api/v1/campaigns?orderBy=${encodeURIComponent(order)}&limit=1`,
        );
      }
      let reviews = 0;
      for (const c of campaigns.data as Json[]) {
        await read("GET /governance/api/v1/campaigns/{campaignId}", `/governance/api/v1/campaigns/${c.id}`);
        const page = await read(
          "GET /governance/api/v1/reviews",
          `/governance/api/v1/reviews?${q(`campaignId eq "${c.id}"`)}&limit=200`,
        );
        for (const r of page.data as Json[]) {
          reviews += 1;
          await read("GET /governance/api/v1/reviews/{reviewId}", `/governance/api/v1/reviews/${r.id}`);
          const profile = (key: string) => String((r[key] as Json).id);
          const item = (r.entitlementValue ?? r.entitlementBundle) as Json;
          const by = [
            `principalId eq "${profile("principalProfile")}"`,
            `reviewerId eq "${profile("reviewerProfile")}"`,
            `decision eq "${r.decision}"`,
            `resourceId eq "${r.resourceId}"`,
            `${r.entitlementValue ? "entitlementValueId" : "entitlementBundleId"} eq "${item.id}"`,
          ];
          for (const filter of by) {
            const found = await read(
              "GET /governance/api/v1/reviews",
              `/governance/api/v1/reviews?${q(`campaignId eq "${c.id}" AND ${filter}`)}`,
            );
            expect(
              (found.data as Json[]).map((x) => x.id),
              filter,
            ).toContain(r.id);
          }
        }
      }
      expect(reviews).toBeGreaterThanOrEqual(10);
      for (const order of ["decided desc", "decision asc", "remediationStatus desc", "created asc"]) {
        await read(
          "GET /governance/api/v1/reviews",
          `/governance/api/v1/reviews?orderBy=${encodeURIComponent(order)}&limit=2`,
        );
      }
      await read(
        "GET /governance/api/v1/reviews",
        `/governance/api/v1/reviews?${q('reviewerType eq "USER" AND reviewerLevel eq "FIRST"')}`,
      );
    });

    it("reads the access request catalog, every request, condition and sequence, and the risk rules", async () => {
      await readRequestsOrg(read);
    });

    it("read every GET the sandbox serves that the spec has", () => {
      const reads = servedOperations(spec, sandbox).filter((r) => r.startsWith("GET "));
      expect(reads.filter((r) => !checked.get(r)?.has(200))).toEqual([]);
    });
  },
);
