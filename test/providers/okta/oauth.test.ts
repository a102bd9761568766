/**
 * Okta OAuth for service apps, end to end against the sandbox's token endpoint: private_key_jwt with
 * generated RSA and EC keys, token reuse and refresh, the DPoP nonce handshake and DPoP-bound resource
 * calls, a wrong key, a malformed key, a missing scope, and a real MCP Client on top.
 */
import { exportJWK, exportPKCS8, generateKeyPair, type JWK } from "jose";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../../src/cli/config.js";
import { toToolResult } from "../../../src/core/errors.js";
import type { Route } from "../../../src/core/operation.js";
import { configuredEndpoints } from "../../../src/providers/index.js";
import { okta } from "../../../src/providers/okta.js";
import { oktaOAuth } from "../../../src/providers/okta-oauth.js";
import type { Sandbox } from "../../../src/sandbox/index.js";
import { UpstreamClient } from "../../../src/upstream/client.js";
import { call, inProcessClient, text } from "../../helpers/harness.js";
import { startTestServer } from "../../helpers/test-server.js";

const CLIENT_ID = "0oaServiceApp0000001";
const READ = "okta.governance.entitlements.read";
const MANAGE = "okta.governance.entitlements.manage";
const BUNDLES: Route = "GET /governance/api/v1/entitlement-bundles";

async function keyPair(alg: "RS256" | "ES256") {
  const pair = await generateKeyPair(alg, { extractable: true });
  const publicJwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: `${alg}-key`, alg };
  return { pem: await exportPKCS8(pair.privateKey), publicJwk };
}

async function setup(options: {
  alg?: "RS256" | "ES256";
  requireDpop?: boolean;
  scopes?: string[];
  ttl?: number;
  now?: () => number;
}) {
  const key = await keyPair(options.alg ?? "RS256");
  const { sandbox } = await startTestServer({
    client: false,
    sandbox: {
      now: options.now,
      oktaTokenTtlSeconds: options.ttl,
      oktaOAuthClients: [
        {
          clientId: CLIENT_ID,
          keys: [key.publicJwk],
          scopes: options.scopes ?? [READ, MANAGE, "okta.apps.read", "okta.users.read"],
          requireDpop: options.requireDpop,
        },
      ],
    },
  });
  return { key, sandbox };
}

const tokenCalls = (s: Sandbox) => s.requests.filter((r) => r.path === "/oauth2/v1/token");

describe("Okta OAuth service apps", () => {
  it("signs a private_key_jwt assertion (RSA), reuses the token, and reads", async () => {
    const { key, sandbox: s } = await setup({});
    const config = loadConfig(
      {},
      {
        OKTA_ORG_URL: s.url,
        OKTA_CLIENT_ID: CLIENT_ID,
        OKTA_PRIVATE_KEY: key.pem,
        OKTA_KEY_ID: key.publicJwk.kid,
        OKTA_SCOPES: `${READ} ${MANAGE}`,
      },
    );
    expect(config.okta?.oauth?.scopes).toEqual([READ, MANAGE]);
    const upstream = new UpstreamClient({ providers: configuredEndpoints(config) });
    for (let i = 0; i < 3; i += 1) {
      const res = await upstream.request("okta", BUNDLES, { path: {}, query: { limit: 1 } });
      expect(res.status).toBe(200);
    }
    expect(tokenCalls(s).map((r) => r.status)).toEqual([200]);
    const resource = s.requests.find((r) => r.path === "/governance/api/v1/entitlement-bundles");
    expect(String(resource?.headers.authorization)).toMatch(/^Bearer /);
    await upstream.close();
  });

  it("works with an EC key given as a JWK", async () => {
    const pair = await generateKeyPair("ES256", { extractable: true });
    const publicJwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: "ec-1", alg: "ES256" };
    const privateJwk = { ...(await exportJWK(pair.privateKey)), kid: "ec-1" };
    const { sandbox } = await startTestServer({
      client: false,
      sandbox: { oktaOAuthClients: [{ clientId: CLIENT_ID, keys: [publicJwk], scopes: [READ] }] },
    });
    const auth = oktaOAuth({
      orgUrl: sandbox.url,
      clientId: CLIENT_ID,
      privateKey: JSON.stringify(privateJwk),
      scopes: [READ],
    });
    const upstream = new UpstreamClient({
      providers: { okta: { baseUrl: sandbox.url, auth, profile: okta } },
    });
    expect((await upstream.request("okta", BUNDLES, { path: {}, query: {} })).status).toBe(200);
    await upstream.close();
  });

  it("performs the DPoP nonce handshake and sends a fresh proof with every call", async () => {
    const { key, sandbox: s } = await setup({ requireDpop: true });
    const auth = oktaOAuth({
      orgUrl: s.url,
      clientId: CLIENT_ID,
      privateKey: key.pem,
      keyId: key.publicJwk.kid,
      scopes: [READ],
    });
    const upstream = new UpstreamClient({ providers: { okta: { baseUrl: s.url, auth, profile: okta } } });
    await upstream.request("okta", BUNDLES, { path: {}, query: {} });
    await upstream.request("okta", BUNDLES, { path: {}, query: {} });
    expect(tokenCalls(s).map((r) => r.status)).toEqual([400, 400, 200]);
    const calls = s.requests.filter((r) => r.path === "/governance/api/v1/entitlement-bundles");
    expect(calls.map((r) => r.status)).toEqual([200, 200]);
    expect(String(calls[0]?.headers.authorization)).toMatch(/^DPoP /);
    expect(calls[0]?.headers.dpop).not.toEqual(calls[1]?.headers.dpop);
    await upstream.close();
  });

  it("refreshes the token after it expires", async () => {
    let now = Date.now();
    const { key, sandbox: s } = await setup({ ttl: 600, now: () => now });
    const auth = oktaOAuth({
      orgUrl: s.url,
      clientId: CLIENT_ID,
      privateKey: key.pem,
      keyId: key.publicJwk.kid,
      scopes: [READ],
      now: () => now,
    });
    const upstream = new UpstreamClient({ providers: { okta: { baseUrl: s.url, auth, profile: okta } } });
    await upstream.request("okta", BUNDLES, { path: {}, query: {} });
    now += 545_000; // 600 s tokens are refreshed 60 s early
    await upstream.request("okta", BUNDLES, { path: {}, query: {} });
    expect(tokenCalls(s)).toHaveLength(2);
    await upstream.close();
  });

  it("reports a wrong key as invalid_client, naming the token endpoint and never the key", async () => {
    const { sandbox: s } = await setup({});
    const other = await keyPair("RS256");
    const auth = oktaOAuth({ orgUrl: s.url, clientId: CLIENT_ID, privateKey: other.pem, scopes: [READ] });
    const err = await Promise.resolve(auth({ method: "GET", url: `${s.url}/x` })).catch((e: unknown) => e);
    const message = (toToolResult(err).content[0] as { text: string }).text;
    expect(message).toMatch(
      /Okta answered 401 invalid_client: The token endpoint \/oauth2\/v1\/token refused/,
    );
    expect(message).not.toContain("PRIVATE KEY");
  });

  it("refuses a malformed OKTA_PRIVATE_KEY at startup, naming the variable only", () => {
    const env = {
      OKTA_ORG_URL: "https://acme.okta.com",
      OKTA_CLIENT_ID: CLIENT_ID,
      OKTA_PRIVATE_KEY: "-----BEGIN nonsense s3cr3t",
    };
    expect(() => loadConfig({}, env)).toThrow(ConfigError);
    expect(() => loadConfig({}, env)).toThrow(/^OKTA_PRIVATE_KEY: not a private key/);
    expect(() => loadConfig({}, env)).not.toThrow(/s3cr3t/);
    expect(() =>
      loadConfig({}, { OKTA_ORG_URL: "https://acme.okta.com", OKTA_CLIENT_ID: CLIENT_ID }),
    ).toThrow(/OKTA_PRIVATE_KEY is missing/);
  });

  it("translates a missing scope into a 403 that names it, through a real MCP client", async () => {
    const { key, sandbox: s } = await setup({ scopes: [READ, "okta.apps.read"] });
    const config = loadConfig(
      {},
      { OKTA_ORG_URL: s.url, OKTA_CLIENT_ID: CLIENT_ID, OKTA_PRIVATE_KEY: key.pem, OKTA_SCOPES: READ },
    );
    const upstream = new UpstreamClient({ providers: configuredEndpoints(config) });
    const { client, close } = await inProcessClient({ upstream }, { server: { toolsets: ["okta"] } });
    const read = await call(client, "okta_list_bundles", {});
    expect(read.isError, text(read)).toBeFalsy();
    const write = await call(client, "okta_create_bundle", {
      name: "No scope for this",
      target: { externalId: "0oafxqCAJWWGELFTYASJ", type: "APPLICATION" },
      entitlements: [{ id: "0obfxqCAJWWGELFTYASJ" }],
    });
    expect(write.isError).toBe(true);
    expect(text(write)).toMatch(
      /403 E0000006: .*\n- The access token lacks the required scope okta\.governance\.entitlements\.manage\. \(insufficient_scope\)/,
    );
    await close();
    await upstream.close();
  });
});
