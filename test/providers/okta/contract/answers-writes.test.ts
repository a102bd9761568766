/**
 * The Okta sandbox's writes against the spec, each on a fresh sandbox: every example request of the spec
 * is accepted (those naming ids the demo org does not have are listed), the writes a person makes from what
 * they read go through, and every answer (201, 200, 202, 204) is validated against the spec's schema.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { Route } from "../../../../src/core/operation.js";
import { type Sandbox, startSandbox } from "../../../../src/sandbox/index.js";
import {
  DANA,
  GITHUB_ADMIN_BUNDLE,
  GRACE,
  PRIYA_GRANT,
  PROFILE,
  SALES_CLOUD_ADMIN,
  SALES_REP_BUNDLE,
  SALESFORCE,
} from "../../../fixtures/okta.js";
import { GITHUB_REVIEW } from "../../../fixtures/okta-certifications.js";
import { get } from "../../../helpers/okta-sandbox.js";
import { loadSpec, type Spec, specsMissing } from "../../../helpers/spec.js";
import { answer, type Checked, pathOf, SAMPLE_REQUESTS, servedOperations } from "./answers.js";
import { REQUEST_FOREIGN_EXAMPLES, REQUEST_OPERATIONS, writeRequests } from "./requests-answers.js";
import { PATH_SAMPLES } from "./tables.js";

type Json = Record<string, unknown>;
const missing = specsMissing();

/** Spec examples the demo org cannot run, with the reason (each is still refused, with a valid 400 or 404). */
const FOREIGN_EXAMPLES: Record<string, string> = {
  "POST /governance/api/v1/entitlement-bundles SingleValue":
    "names entitlement espo3v6xlwdtEX2il1d6, not in the demo org",
  "POST /governance/api/v1/entitlement-bundles MultiValue":
    "names entitlement espo3v6xlwdtEX2il1d6, not in the demo org",
  "PUT /governance/api/v1/entitlement-bundles/{entitlementBundleId} SingleValue":
    "replaces bundle enbogpaj3XUzcM62u1d6, not in the demo org",
  "PUT /governance/api/v1/entitlement-bundles/{entitlementBundleId} NameAndDescription":
    "replaces bundle enbogpaj3XUzcM62u1d6, not in the demo org",
  "POST /governance/api/v1/grants CustomMultipleValue":
    "names entitlement espo3v6xlwdtEX2il1d6, not in the demo org",
  "PUT /governance/api/v1/grants/{grantId} CustomSingleValue":
    "names entitlement espo3v6xlwdtEX2il1d6, not in the demo org",
  "POST /governance/api/v2/revoke-principal-access RevokeSingleApp":
    "revokes in org 00o11rndFqmZ5rNfs0g4, not the demo org",
  "POST /governance/api/v2/revoke-principal-access RevokeMultipleEntitlements":
    "revokes in org 00o11rndFqmZ5rNfs0g4, not the demo org",
  "POST /governance/api/v2/revoke-principal-access RevokeMultipleBundles":
    "revokes in org 00o11rndFqmZ5rNfs0g4, not the demo org",
  "POST /governance/api/v2/revoke-principal-access RevokeMixedEntitlementsAndBundles":
    "revokes in org 00o11rndFqmZ5rNfs0g4, not the demo org",
  "POST /governance/api/v1/campaigns/{campaignId}/reviews/reassign ReassignSuccess":
    "reassigns reviews icrhdk4Lwhd2bBRQe0g2 and others to user 00u31c7qMRUfrhdew0g4, none of them in the demo org",
  "POST /governance/api/v1/campaigns/{campaignId}/reviews/reassign ReassignSuccessMultilevelCampaign":
    "reassigns reviews icrhdk4Lwhd2bBRQe0g2 and others to user 00u31c7qMRUfrhdew0g4, none of them in the demo org",
  ...REQUEST_FOREIGN_EXAMPLES,
};

describe.skipIf(missing !== undefined)(
  `the Okta sandbox's writes against the spec${missing ? ` (skipped: ${missing})` : ""}`,
  () => {
    const spec = missing ? (undefined as unknown as Spec) : loadSpec("okta");
    const checked: Checked = new Map();
    const opened: Sandbox[] = [];
    const fresh = async () => {
      const sandbox = await startSandbox();
      opened.push(sandbox);
      return sandbox;
    };
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((s) => s.close()));
    });
    const write = async (sandbox: Sandbox, route: Route, path: string, body: unknown, status: number) => {
      const res = await answer(spec, checked, route, { path, body, sandbox });
      expect(res.status, `${route}: ${JSON.stringify(res.body)}`).toBe(status);
      return res.body as Json;
    };
    const read = async (sandbox: Sandbox, path: string) => (await get(sandbox, path)).body as Json;

    it("accepts every example request of the spec that names ids of the demo org", async () => {
      let run = 0;
      for (const route of servedOperations(spec, await fresh())) {
        for (const example of spec.find(route)?.requestBody?.examples ?? []) {
          const sandbox = await fresh();
          const path = pathOf(route, PATH_SAMPLES[OPERATIONS[route] ?? ""] ?? {});
          const res = await answer(spec, checked, route, { path, body: example.value, sandbox });
          const foreign = FOREIGN_EXAMPLES[`${route} ${example.name}`];
          if (foreign) expect([400, 404], `${route} ${example.name}`).toContain(res.status);
          else expect(res.status, `${route} ${example.name}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
          run += 1;
        }
      }
      expect(run).toBeGreaterThanOrEqual(24);
    });

    it("creates, replaces, updates and deletes entitlements", async () => {
      const sandbox = await fresh();
      const created = await write(
        sandbox,
        "POST /governance/api/v1/entitlements",
        "/governance/api/v1/entitlements",
        SAMPLE_REQUESTS["POST /governance/api/v1/entitlements"]?.body,
        201,
      );
      const current = await read(sandbox, `/governance/api/v1/entitlements/${PROFILE}`);
      const values = (current.values as Json[]).map(({ id, name, externalValue, description }) => ({
        id,
        name,
        externalValue,
        ...(description ? { description } : {}),
      }));
      const { id, externalValue, parent, parentResourceOrn, multiValue, dataType } = current;
      const body = {
        id,
        name: "Salesforce profile",
        externalValue,
        parent,
        parentResourceOrn,
        multiValue,
        dataType,
        values,
      };
      await write(
        sandbox,
        "PUT /governance/api/v1/entitlements/{entitlementId}",
        `/governance/api/v1/entitlements/${PROFILE}`,
        body,
        200,
      );
      const patch = "PATCH /governance/api/v1/entitlements/{entitlementId}" as const;
      const patched = await write(
        sandbox,
        patch,
        `/governance/api/v1/entitlements/${PROFILE}`,
        [
          { op: "ADD", path: "/name", value: "Profile", refType: "ENTITLEMENT" },
          { op: "REPLACE", path: `/values/${values[0]?.id}`, value: {}, refType: "ENTITLEMENT-VALUE" },
        ],
        200,
      );
      expect(patched.name).toBe("Profile");
      await write(
        sandbox,
        "DELETE /governance/api/v1/entitlements/{entitlementId}",
        `/governance/api/v1/entitlements/${created.id}`,
        undefined,
        204,
      );
    });

    it("creates, renames (PUT without status) and deletes bundles", async () => {
      const sandbox = await fresh();
      await write(
        sandbox,
        "POST /governance/api/v1/entitlement-bundles",
        "/governance/api/v1/entitlement-bundles",
        {
          name: "Salesforce profile, whole",
          target: { externalId: SALESFORCE, type: "APPLICATION" },
          entitlements: [{ id: PROFILE }],
        },
        201,
      );
      const bundle = await read(sandbox, `/governance/api/v1/entitlement-bundles/${SALES_REP_BUNDLE}`);
      const { id, target, targetResourceOrn } = bundle;
      const refs = (bundle.entitlements as Json[]).map((e) => ({
        id: e.id,
        ...((e.values as Json[] | undefined)?.length
          ? { values: (e.values as Json[]).map((v) => ({ id: v.id })) }
          : {}),
      }));
      const replaced = await write(
        sandbox,
        "PUT /governance/api/v1/entitlement-bundles/{entitlementBundleId}",
        `/governance/api/v1/entitlement-bundles/${SALES_REP_BUNDLE}`,
        { id, name: "Salesforce Sales Representative", target, targetResourceOrn, entitlements: refs },
        200,
      );
      expect(replaced.name).toBe("Salesforce Sales Representative");
      await write(
        sandbox,
        "DELETE /governance/api/v1/entitlement-bundles/{entitlementBundleId}",
        `/governance/api/v1/entitlement-bundles/${GITHUB_ADMIN_BUNDLE}`,
        undefined,
        204,
      );
    });

    it("creates each creatable grant type, replaces a CUSTOM grant, and changes expiries", async () => {
      const sandbox = await fresh();
      const post = "POST /governance/api/v1/grants" as const;
      const app = { externalId: SALESFORCE, type: "APPLICATION" };
      const grace = { externalId: GRACE, type: "OKTA_USER" };
      await write(
        sandbox,
        post,
        "/governance/api/v1/grants",
        {
          grantType: "ENTITLEMENT-BUNDLE",
          entitlementBundleId: SALES_CLOUD_ADMIN,
          targetPrincipal: grace,
          scheduleSettings: {},
        },
        201,
      );
      await write(
        sandbox,
        post,
        "/governance/api/v1/grants",
        { grantType: "CUSTOM", target: app, targetPrincipal: grace, entitlements: [{ id: PROFILE }] },
        201,
      );
      await write(
        sandbox,
        post,
        "/governance/api/v1/grants",
        { grantType: "POLICY", target: app, targetPrincipal: { externalId: DANA, type: "OKTA_USER" } },
        201,
      );
      const grant = await read(sandbox, `/governance/api/v1/grants/${PRIYA_GRANT}`);
      await write(
        sandbox,
        "PUT /governance/api/v1/grants/{grantId}",
        `/governance/api/v1/grants/${PRIYA_GRANT}`,
        { ...grant, entitlements: [{ id: PROFILE }] },
        200,
      );
      const patch = "PATCH /governance/api/v1/grants/{grantId}" as const;
      await write(
        sandbox,
        patch,
        `/governance/api/v1/grants/${PRIYA_GRANT}`,
        { id: PRIYA_GRANT, scheduleSettings: { expirationDate: "2031-01-01T00:00:00Z" } },
        200,
      );
      const cleared = await write(
        sandbox,
        patch,
        `/governance/api/v1/grants/${PRIYA_GRANT}`,
        { id: PRIYA_GRANT, scheduleSettings: {} },
        200,
      );
      expect(cleared.scheduleSettings).toBeUndefined();
    });

    it("revokes a user's access and opts an app out and in", async () => {
      const sandbox = await fresh();
      await write(
        sandbox,
        "POST /governance/api/v2/revoke-principal-access",
        "/governance/api/v2/revoke-principal-access",
        SAMPLE_REQUESTS["POST /governance/api/v2/revoke-principal-access"]?.body,
        200,
      );
      const route = "PATCH /governance/api/v2/resources/{resourceOrn}/entitlement-settings" as const;
      const path = pathOf(route, SAMPLE_REQUESTS[route]?.ids ?? {});
      expect((await write(sandbox, route, path, { status: "OPTED_OUT" }, 202)).status).toBe("OPTED_OUT");
      expect((await write(sandbox, route, path, { status: "OPTED_IN" }, 202)).status).toBe("OPTED_IN");
    });

    it("launches a campaign, reassigns its reviews and ends it, with and without remediation", async () => {
      for (const skipRemediation of [false, true]) {
        const sandbox = await fresh();
        await write(
          sandbox,
          "POST /governance/api/v1/campaigns/{campaignId}/launch",
          `/governance/api/v1/campaigns/${GITHUB_REVIEW}/launch`,
          undefined,
          202,
        );
        const reviews = await read(
          sandbox,
          `/governance/api/v1/reviews?filter=${encodeURIComponent(`campaignId eq "${GITHUB_REVIEW}"`)}`,
        );
        const ids = (reviews.data as Json[]).slice(0, 2).map((r) => r.id);
        const moved = await write(
          sandbox,
          "POST /governance/api/v1/campaigns/{campaignId}/reviews/reassign",
          `/governance/api/v1/campaigns/${GITHUB_REVIEW}/reviews/reassign`,
          { reviewerId: DANA, reviewIds: ids, note: "Dana knows these teams" },
          200,
        );
        expect((moved.data as Json[]).map((r) => r.id)).toEqual(ids);
        await write(
          sandbox,
          "POST /governance/api/v1/campaigns/{campaignId}/end",
          `/governance/api/v1/campaigns/${GITHUB_REVIEW}/end`,
          { skipRemediation },
          202,
        );
        const ended = await read(sandbox, `/governance/api/v1/campaigns/${GITHUB_REVIEW}`);
        expect(ended.status).toBe("COMPLETED");
      }
    });

    it("files an access request, adds a message to it, and assesses risk", async () => {
      await writeRequests(await fresh(), write);
    });

    it("answered every write the sandbox serves that the spec has with success", async () => {
      const writes = servedOperations(spec, await fresh()).filter((r) => !r.startsWith("GET "));
      expect(writes.filter((r) => ![...(checked.get(r) ?? [])].some((s) => s < 300))).toEqual([]);
    });
  },
);

/** The tool of each write route, for its sample path ids. */
const OPERATIONS: Record<string, string> = {
  "PUT /governance/api/v1/entitlements/{entitlementId}": "okta_replace_entitlement",
  "PATCH /governance/api/v1/entitlements/{entitlementId}": "okta_update_entitlement",
  "PUT /governance/api/v1/entitlement-bundles/{entitlementBundleId}": "okta_replace_bundle",
  "PUT /governance/api/v1/grants/{grantId}": "okta_replace_grant",
  "PATCH /governance/api/v1/grants/{grantId}": "okta_update_grant",
  "PATCH /governance/api/v2/resources/{resourceOrn}/entitlement-settings": "okta_update_entitlement_settings",
  "POST /governance/api/v1/campaigns/{campaignId}/end": "okta_end_campaign",
  "POST /governance/api/v1/campaigns/{campaignId}/reviews/reassign": "okta_reassign_reviews",
  ...REQUEST_OPERATIONS,
};
