import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { ConfirmationTokens, canonicalJson } from "../../src/guard/confirm-token.js";

const claims = {
  tool: "okta_delete_bundle",
  args: { entitlementBundleId: "enbfxqCAJWWGELFTYCCC" },
  version: "2026-01-01T00:00:00Z",
  caller: "stdio:1",
};

function setup(ttlMs = 60_000) {
  let now = 1_000_000;
  const tokens = new ConfirmationTokens(randomBytes(32), ttlMs, () => now);
  return { tokens, advance: (ms: number) => (now += ms) };
}

describe("canonicalJson", () => {
  it("sorts keys at every depth and drops undefined", () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: undefined } })).toBe(
      '{"a":{"d":[2,{"y":2,"z":1}]},"b":1}',
    );
    expect(canonicalJson({ x: 1, y: 2 })).toBe(canonicalJson({ y: 2, x: 1 }));
  });
});

describe("ConfirmationTokens", () => {
  it("accepts its own token once for the same call", async () => {
    const { tokens } = setup();
    const { token, expiresAt } = tokens.mint(claims);
    expect(token).toMatch(/^ct1\.[\w-]+\.[\w-]+$/);
    expect(Date.parse(expiresAt)).toBe(1_000_000 + 60_000);
    expect(await tokens.verifyAndSpend(token, claims)).toEqual({ ok: true, version: claims.version });
    expect(await tokens.verifyAndSpend(token, claims)).toEqual({ ok: false, reason: "reused" });
  });

  it("binds arguments regardless of key order", async () => {
    const { tokens } = setup();
    const args = { a: 1, b: { c: 2, d: 3 } };
    const { token } = tokens.mint({ ...claims, args });
    expect((await tokens.verifyAndSpend(token, { ...claims, args: { b: { d: 3, c: 2 }, a: 1 } })).ok).toBe(
      true,
    );
  });

  it.each([
    ["other_tool", { tool: "okta_delete_entitlement" }],
    ["other_args", { args: { entitlementBundleId: "enbfxqCAJWWGELFTYDDD" } }],
    ["other_caller", { caller: "http:mallory" }],
  ])("refuses a token used for %s", async (reason, change) => {
    const { tokens } = setup();
    const { token } = tokens.mint(claims);
    expect(await tokens.verifyAndSpend(token, { ...claims, ...change })).toEqual({ ok: false, reason });
  });

  it("returns the version it was issued for, so the guard can compare it with a fresh read", async () => {
    const { tokens } = setup();
    const { token } = tokens.mint({ ...claims, version: undefined });
    expect(await tokens.verifyAndSpend(token, claims)).toEqual({ ok: true, version: undefined });
  });

  it("expires after the TTL on the injected clock", async () => {
    const { tokens, advance } = setup(5 * 60_000);
    const { token } = tokens.mint(claims);
    advance(5 * 60_000 - 1);
    const second = tokens.mint(claims).token;
    advance(1);
    expect(await tokens.verifyAndSpend(token, claims)).toEqual({ ok: false, reason: "expired" });
    expect((await tokens.verifyAndSpend(second, claims)).ok).toBe(true);
  });

  it("detects forgery: a changed payload, a token from another secret, garbage", async () => {
    const { tokens } = setup();
    const { token } = tokens.mint(claims);
    const [prefix, body, mac] = token.split(".") as [string, string, string];
    const payload = JSON.parse(Buffer.from(body, "base64url").toString());
    payload.t = "okta_delete_entitlement";
    const tampered = `${prefix}.${Buffer.from(JSON.stringify(payload)).toString("base64url")}.${mac}`;
    expect(await tokens.verifyAndSpend(tampered, { ...claims, tool: "okta_delete_entitlement" })).toEqual({
      ok: false,
      reason: "forged",
    });
    const other = setup().tokens.mint(claims).token;
    expect(await tokens.verifyAndSpend(other, claims)).toEqual({ ok: false, reason: "forged" });
    expect(await tokens.verifyAndSpend("yes", claims)).toEqual({ ok: false, reason: "malformed" });
    expect(await tokens.verifyAndSpend("ct1..", claims)).toEqual({ ok: false, reason: "malformed" });
  });

  it("verifies across instances that share the secret (replicas)", async () => {
    const secret = randomBytes(32);
    const a = new ConfirmationTokens(secret, 60_000);
    const b = new ConfirmationTokens(secret, 60_000);
    expect((await b.verifyAndSpend(a.mint(claims).token, claims)).ok).toBe(true);
  });
});
