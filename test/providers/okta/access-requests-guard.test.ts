/**
 * The guard matrix (test/helpers/guard-matrix.ts) for okta_create_access_request on an entry Okta approves
 * at once (its sequence names no approver): filing it gives access, so it needs a person's confirmation,
 * every way a confirmation can go, and the request reaches Okta exactly in the two confirmed cases.
 */
import type { Sandbox } from "../../../src/sandbox/index.js";
import { ENTRIES, KENJI, PLATFORM_BUNDLE } from "../../fixtures/okta-requests.js";
import { guardMatrix, sandboxSend } from "../../helpers/guard-matrix.js";
import { sandboxGet } from "../../helpers/harness.js";

const request = (userId: string) => ({
  requested: { type: "CATALOG_ENTRY", entryId: ENTRIES.platform },
  requestedFor: { type: "OKTA_USER", externalId: userId },
});

/** A change to the bundle the entry requests: what the preview stated moves. */
async function touchBundle(sandbox: Sandbox): Promise<void> {
  const { body } = await sandboxGet(sandbox, `/governance/api/v1/entitlement-bundles/${PLATFORM_BUNDLE}`);
  const b = body as Record<string, unknown> & { entitlements: { id: string; values?: { id: string }[] }[] };
  await sandboxSend(sandbox, "PUT", `/governance/api/v1/entitlement-bundles/${PLATFORM_BUNDLE}`, {
    ...b,
    description: `changed at ${Date.now()}`,
    entitlements: b.entitlements.map((e) => ({
      id: e.id,
      ...(e.values?.length ? { values: e.values.map((v) => ({ id: v.id })) } : {}),
    })),
  });
}

guardMatrix([
  {
    tool: "okta_create_access_request",
    args: request(KENJI),
    otherArgs: request("00uHwCHSBn6G1ldstZ2x"),
    write: { method: "POST", path: "/governance/api/v2/requests" },
    readBack: `/governance/api/v2/requests?filter=${encodeURIComponent(`requestedFor eq "${KENJI}"`)}`,
    changeTarget: touchBundle,
  },
]);
