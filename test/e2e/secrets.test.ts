/**
 * Secrets never leave the server: the harness checks every tool result, audit log and server stderr of
 * the whole suite for the sandbox's recognisable credentials (test/helpers/harness.ts). This file proves
 * that check bites, and drives the paths most likely to leak: auth failures and upstream errors.
 */
import { describe, expect, it } from "vitest";
import { assertNoSecrets, call, KNOWN_SECRETS, text } from "../helpers/harness.js";
import { startTestServer } from "../helpers/test-server.js";

describe("the leak check", () => {
  it("knows the sandbox's credentials and fails on any of them", () => {
    expect(KNOWN_SECRETS).toContain("sandbox-okta-token");
    for (const secret of KNOWN_SECRETS) {
      expect(() => assertNoSecrets("x", `before ${secret} after`)).toThrow(/contains a credential/);
    }
    expect(() => assertNoSecrets("x", "nothing here")).not.toThrow();
  });
});

describe("leak-prone paths", () => {
  it("an upstream that echoes the credential, auth failures and guarded writes leak nothing", async () => {
    const server = await startTestServer({ client: false });
    const session = await server.spawn("stdio", { args: ["--log-level", "debug"] });
    try {
      const guarded = await call(session.client, "okta_delete_bundle", {
        entitlementBundleId: "enbfxqCAJWWGELFTYCCC",
      });
      expect(text(guarded)).toMatch(/Confirmation required/);
      await call(session.client, "okta_get_entitlement", { entitlementId: "espDOESNOTEXIST00000" });
      // Data that happens to contain the credential comes back redacted, in results and previews.
      const created = await call(session.client, "okta_create_bundle", {
        name: "named sandbox-okta-token by mistake",
        target: { externalId: "0oafxqCAJWWGELFTYASJ", type: "APPLICATION" },
        entitlements: [{ id: "0obfxqCAJWWGELFTYASJ" }],
      });
      expect(text(created)).toContain("[REDACTED]");
      const id = (created.structuredContent as { id: string }).id;
      const preview = await call(session.client, "okta_delete_bundle", { entitlementBundleId: id });
      expect(text(preview)).toContain("named [REDACTED] by mistake");
    } finally {
      await session.close().catch(() => {});
    }
    expect((await server.readAudit()).length).toBeGreaterThan(0);
  });
});
