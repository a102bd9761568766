/**
 * The sandbox the bin serves binds its port at once and loads the emulator on the first request; requests
 * that arrive together while it loads are all answered, by one emulator.
 */
import { afterEach, describe, expect, it } from "vitest";
import { SANDBOX_CREDENTIALS } from "../../src/sandbox/credentials.js";
import { type DeferredSandbox, startDeferredSandbox } from "../../src/sandbox/deferred.js";

let sandbox: DeferredSandbox | undefined;
afterEach(async () => {
  await sandbox?.close();
});

const auth = { authorization: `SSWS ${SANDBOX_CREDENTIALS.okta.apiToken}`, accept: "application/json" };

describe("deferred sandbox", () => {
  it("answers the first requests, arriving together, from one emulator", async () => {
    sandbox = await startDeferredSandbox();
    expect(sandbox.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const url = `${sandbox.url}/governance/api/v1/entitlement-bundles/enbfxqCAJWWGELFTYCCC`;
    const [a, b, unauthorised] = await Promise.all([
      fetch(url, { headers: auth }),
      fetch(url, { headers: auth }),
      fetch(url, { headers: { accept: "application/json" } }),
    ]);
    expect([a.status, b.status, unauthorised.status]).toEqual([200, 200, 401]);
    const bundle = (await a.json()) as { id: string; _links: { self: { href: string } } };
    expect(bundle.id).toBe("enbfxqCAJWWGELFTYCCC");
    // Links name the port that was bound before the emulator existed.
    expect(bundle._links.self.href.startsWith(sandbox.url)).toBe(true);
  });

  it("keeps what a write changed for the next request (one emulator, not one per request)", async () => {
    sandbox = await startDeferredSandbox();
    const bundles = `${sandbox.url}/governance/api/v1/entitlement-bundles`;
    const created = await fetch(bundles, {
      method: "POST",
      headers: { ...auth, "content-type": "application/json" },
      body: JSON.stringify({
        name: "Deferred sandbox bundle",
        target: { externalId: "0oafxqCAJWWGELFTYASJ", type: "APPLICATION" },
        entitlements: [{ id: "esp2lr1lavoGDYw5U8g6", values: [{ id: "ent148gF8aZoRfFsh0g4" }] }],
      }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    expect((await fetch(`${bundles}/${id}`, { headers: auth })).status).toBe(200);
  });
});
