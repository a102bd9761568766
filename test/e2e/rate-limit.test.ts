/**
 * Rate limits, honestly (issue 14): against the sandbox's real per-window limit, through a real SDK client,
 * a burst gets answers for what fits and fast failures naming the next slot for the rest; the server's own
 * pacing causes no 429; nothing waits beyond the bound; and a confirmed write that cannot get a slot fails
 * before it is sent and is audited as failed, not executed.
 */
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterEach, describe, expect, it } from "vitest";
import { sandboxEndpoints } from "../../src/providers/index.js";
import type { Sandbox } from "../../src/sandbox/index.js";
import { UpstreamClient } from "../../src/upstream/client.js";
import { GITHUB_ADMIN_BUNDLE, LICENSE_ENTITLEMENT } from "../fixtures/okta.js";
import {
  call,
  type ElicitParams,
  inProcessClient,
  readAudit,
  tempDir,
  text,
  withSandbox,
} from "../helpers/harness.js";

const FAIL_FAST = /^Okta's rate limit: the next slot is in (\d+) s; try again then\. Nothing was changed\.$/;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function serverOver(sandbox: Sandbox, maxRateWaitMs: number) {
  const upstream = new UpstreamClient({ providers: sandboxEndpoints(sandbox.url), maxRateWaitMs });
  const session = await inProcessClient({ upstream });
  cleanups.push(async () => {
    await session.close();
    await upstream.close();
  });
  return { ...session, upstream };
}

/** The dialog as a person answers it: confirm, typing the name it asks for. */
function acceptByName(params: ElicitParams) {
  const name = params.requestedSchema.properties.name?.description?.match(/Type "(.*)" exactly/)?.[1];
  return { action: "accept" as const, content: { confirm: true, ...(name ? { name } : {}) } };
}

const limited = (sandbox: Sandbox) => sandbox.requests.filter((r) => r.status === 429).length;
const entitlementReads = (sandbox: Sandbox) =>
  sandbox.requests.filter((r) => r.path.startsWith("/governance/api/v1/entitlements")).length;

describe("a burst against the upstream's rate limit", () => {
  it("answers what fits in the window and fails the rest fast, naming the next slot; no 429 of its own", async () => {
    // 5 requests per 3 s window; the server waits at most 1 s for a slot.
    const sandbox = await withSandbox({ rateLimit: { limit: 5, windowMs: 3_000 } });
    cleanups.push(() => sandbox.close());
    const { client } = await serverOver(sandbox, 1_000);
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        call(client, "okta_get_entitlement", { entitlementId: LICENSE_ENTITLEMENT }),
      ),
    );
    const answered = results.filter((r) => !r.isError);
    const failed = results.filter((r) => r.isError);
    expect(answered).toHaveLength(5);
    expect(failed).toHaveLength(15);
    for (const result of failed) {
      const seconds = Number(FAIL_FAST.exec(text(result))?.[1]);
      // The window's end as the upstream's whole-second reset tells it: within the 3 s window, plus rounding.
      expect(seconds, text(result)).toBeGreaterThanOrEqual(1);
      expect(seconds, text(result)).toBeLessThanOrEqual(5);
    }
    expect(entitlementReads(sandbox)).toBe(5);
    expect(limited(sandbox)).toBe(0);
  });

  it("waits for the next window when it opens within the bound: every call answered, no 429", async () => {
    // 4 requests per 1 s window; the server waits up to 10 s: 10 calls need three windows.
    const sandbox = await withSandbox({ rateLimit: { limit: 4, windowMs: 1_000 } });
    cleanups.push(() => sandbox.close());
    const { client } = await serverOver(sandbox, 10_000);
    const results: CallToolResult[] = await Promise.all(
      Array.from({ length: 10 }, () =>
        call(client, "okta_get_entitlement", { entitlementId: LICENSE_ENTITLEMENT }),
      ),
    );
    expect(results.filter((r) => r.isError).map(text)).toEqual([]);
    expect(entitlementReads(sandbox)).toBe(10);
    expect(limited(sandbox)).toBe(0);
  });
});

describe("a confirmed write under the rate limit", () => {
  it("fails fast before the write is sent, says to ask again, and is audited as failed (not sent)", async () => {
    const dir = await tempDir();
    cleanups.push(dir.cleanup);
    const auditLog = `${dir.path}/audit.jsonl`;
    // 10 requests per bundle-bucket window of a minute: the write must not find a slot within the bound.
    const sandbox = await withSandbox({ rateLimit: { limit: 10, windowMs: 60_000 } });
    cleanups.push(() => sandbox.close());
    const bundleRequests = () =>
      sandbox.requests.filter((r) => r.path.startsWith("/governance/api/v1/entitlement-bundles"));
    const upstream = new UpstreamClient({ providers: sandboxEndpoints(sandbox.url), maxRateWaitMs: 2_000 });
    cleanups.push(() => upstream.close());
    const session = await inProcessClient(
      { upstream },
      {
        auditLog,
        elicit: async (params) => {
          // While the person reads the dialog, other calls use up the bundle bucket's window, all but the
          // reads the guard makes again before the write (the same ones it made for the preview).
          const previewReads = bundleRequests().length;
          while (bundleRequests().length < 10 - previewReads) {
            await upstream.request(
              "okta",
              "GET /governance/api/v1/entitlement-bundles/{entitlementBundleId}",
              { path: { entitlementBundleId: GITHUB_ADMIN_BUNDLE }, query: {} },
            );
          }
          return acceptByName(params);
        },
      },
    );
    cleanups.push(session.close);
    const result = await call(session.client, "okta_delete_bundle", {
      entitlementBundleId: GITHUB_ADMIN_BUNDLE,
    });
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(
      /^Okta's rate limit: the next slot is in \d+ s; call okta_delete_bundle again then, without a confirmationToken \(the confirmation given was used up and is asked for again\)\. Nothing was changed\.$/,
    );
    expect(sandbox.requests.filter((r) => r.method === "DELETE")).toEqual([]);
    expect(limited(sandbox)).toBe(0);
    const outcomes = (await readAudit(auditLog))
      .filter((l) => l.tool === "okta_delete_bundle")
      .map((l) => [l.outcome, l.detail?.startsWith("not sent: Okta's rate limit") ?? false]);
    expect(outcomes).toEqual([
      ["confirmed_by_elicitation", false],
      ["executing", false],
      ["failed", true],
    ]);
  });
});
