/**
 * IdentityIQ OAuth client credentials against the sandbox's token endpoint: one token reused until
 * shortly before expiry, refreshed after, one request for concurrent callers, a clear error without the
 * secret for bad credentials.
 */
import { describe, expect, it } from "vitest";
import { toToolResult } from "../../../src/core/errors.js";
import { iiqOAuth } from "../../../src/providers/iiq-oauth.js";
import { SANDBOX_CREDENTIALS, type Sandbox } from "../../../src/sandbox/index.js";
import { startTestServer } from "../../helpers/test-server.js";

const tokenRequests = (s: Sandbox) => s.requests.filter((r) => r.path === "/identityiq/oauth2/token").length;
const REQ = { method: "GET", url: "http://127.0.0.1/identityiq/scim/v2/Entitlements" };

describe("iiqOAuth", () => {
  it("reuses the token until shortly before it expires, then refreshes it", async () => {
    let now = Date.now();
    const { sandbox } = await startTestServer({ client: false, sandbox: { now: () => now } });
    const auth = iiqOAuth({
      tokenUrl: `${sandbox.url}/identityiq/oauth2/token`,
      clientId: SANDBOX_CREDENTIALS.iiq.clientId,
      clientSecret: SANDBOX_CREDENTIALS.iiq.clientSecret,
      now: () => now,
    });
    const first = await auth(REQ);
    expect(first.Authorization).toMatch(/^Bearer \S+$/);
    expect(await auth(REQ)).toEqual(first);
    now += 1_140_000; // 1200 s tokens are refreshed 60 s early
    const second = await auth(REQ);
    expect(second).not.toEqual(first);
    expect(tokenRequests(sandbox)).toBe(2);
  });

  it("asks once for concurrent callers", async () => {
    const { sandbox } = await startTestServer({ client: false });
    const auth = iiqOAuth({
      tokenUrl: `${sandbox.url}/identityiq/oauth2/token`,
      clientId: SANDBOX_CREDENTIALS.iiq.clientId,
      clientSecret: SANDBOX_CREDENTIALS.iiq.clientSecret,
    });
    const headers = await Promise.all(Array.from({ length: 10 }, () => auth(REQ)));
    expect(new Set(headers.map((h) => h.Authorization)).size).toBe(1);
    expect(tokenRequests(sandbox)).toBe(1);
  });

  it("fails clearly, naming the token endpoint and never the secret", async () => {
    const { sandbox } = await startTestServer({ client: false });
    const auth = iiqOAuth({
      tokenUrl: `${sandbox.url}/identityiq/oauth2/token`,
      clientId: SANDBOX_CREDENTIALS.iiq.clientId,
      clientSecret: "a-wrong-client-secret-value",
    });
    const err = await Promise.resolve(auth(REQ)).catch((e: unknown) => e);
    const text = (toToolResult(err).content[0] as { text: string }).text;
    expect(text).toMatch(
      /IdentityIQ answered 401 invalid_client: The token endpoint \/identityiq\/oauth2\/token refused/,
    );
    expect(text).not.toContain("a-wrong-client-secret-value");
  });
});
