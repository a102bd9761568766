/**
 * OAuth resource-server mode over HTTP: JWT access tokens from a local issuer (a key pair made here, its
 * metadata and JWKS served on loopback) are verified for signature, issuer, audience and expiry; the
 * protected resource metadata is served; 401s carry WWW-Authenticate with resource_metadata; the subject
 * (`sub`) is who confirmation tokens bind to.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { exportJWK, generateKeyPair, type JWK, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHttp } from "../../src/cli/http.js";
import { SALES_REP_BUNDLE } from "../fixtures/okta.js";
import { call, sandboxGet, structured, text } from "../helpers/harness.js";
import { HTTP_OPTIONS } from "../helpers/http.js";
import { testServer } from "../helpers/test-server.js";

const AUDIENCE = "https://mcp.example.test/mcp";

const session = testServer({ perFile: true, client: false });

let issuerServer: Server;
let issuer: string;
let privateKey: Awaited<ReturnType<typeof generateKeyPair>>["privateKey"];
let url: string;

/** A token signed by the local issuer's key; `exp: null` leaves the expiry out. */
async function token(claims: {
  sub: string;
  aud?: string;
  exp?: string | number | null;
  iss?: string;
}): Promise<string> {
  const jwt = new SignJWT({})
    .setProtectedHeader({ alg: "RS256", kid: "k1" })
    .setIssuer(claims.iss ?? issuer)
    .setAudience(claims.aud ?? AUDIENCE)
    .setSubject(claims.sub)
    .setIssuedAt();
  if (claims.exp !== null) jwt.setExpirationTime(claims.exp ?? "5m");
  return jwt.sign(privateKey);
}

beforeAll(async () => {
  const pair = await generateKeyPair("RS256");
  privateKey = pair.privateKey;
  const jwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: "k1", alg: "RS256", use: "sig" };
  issuerServer = createServer((req, res) => {
    res.setHeader("content-type", "application/json");
    if (req.url === "/.well-known/openid-configuration") {
      res.end(JSON.stringify({ issuer, jwks_uri: `${issuer}/keys` }));
    } else if (req.url === "/keys") res.end(JSON.stringify({ keys: [jwk] }));
    else {
      res.statusCode = 404;
      res.end("{}");
    }
  });
  await new Promise<void>((resolve) => issuerServer.listen(0, "127.0.0.1", resolve));
  issuer = `http://127.0.0.1:${(issuerServer.address() as AddressInfo).port}`;
  ({ url } = await session.spawn("http", {
    env: { ENTITLEMENT_MCP_OAUTH_ISSUER: issuer, ENTITLEMENT_MCP_OAUTH_AUDIENCE: AUDIENCE },
    token: await token({ sub: "alice@acme.example" }),
  }));
});

afterAll(async () => {
  issuerServer.closeAllConnections();
  await new Promise((resolve) => issuerServer.close(resolve));
});

async function connect(bearer: string): Promise<Client> {
  const client = new Client({ name: "oauth-test", version: "1" });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(url), {
      requestInit: { headers: { Authorization: `Bearer ${bearer}` } },
    }),
  );
  return client;
}

async function initStatus(bearer: string): Promise<{ status: number; challenge: string | null }> {
  const res = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      authorization: `Bearer ${bearer}`,
    },
    body: JSON.stringify({
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "x", version: "1" } },
    }),
  });
  await res.body?.cancel();
  return { status: res.status, challenge: res.headers.get("www-authenticate") };
}

describe("OAuth resource-server mode", () => {
  it("serves the protected resource metadata", async () => {
    const res = await fetch(url.replace("/mcp", "/.well-known/oauth-protected-resource/mcp"));
    expect(await res.json()).toMatchObject({ resource: AUDIENCE, authorization_servers: [issuer] });
  });

  it("accepts a valid token and lists tools", async () => {
    const client = await connect(await token({ sub: "alice@acme.example" }));
    expect((await client.listTools()).tools.length).toBeGreaterThan(0);
    await client.close();
  });

  it.each([
    ["an expired token", () => token({ sub: "alice", exp: Math.floor(Date.now() / 1000) - 60 })],
    ["a token without exp", () => token({ sub: "alice", exp: null })],
    ["a token for another audience", () => token({ sub: "alice", aud: "https://other.example/mcp" })],
    ["a token from another issuer", () => token({ sub: "alice", iss: "https://evil.example" })],
    ["garbage", async () => "not.a.jwt"],
  ])("refuses %s with 401 and a resource_metadata challenge", async (_label, make) => {
    const before = session.sandbox.requests.length;
    const { status, challenge } = await initStatus(await make());
    expect(status).toBe(401);
    expect(challenge).toMatch(/resource_metadata=".*\/\.well-known\/oauth-protected-resource\/mcp"/);
    expect(challenge).toMatch(/error="invalid_token"/);
    expect(session.sandbox.requests.length).toBe(before);
  });

  it("binds confirmation tokens to the subject: bob cannot use alice's", async () => {
    const alice = await connect(await token({ sub: "alice@acme.example" }));
    const bob = await connect(await token({ sub: "bob@acme.example" }));
    const preview = await call(alice, "okta_delete_bundle", { entitlementBundleId: SALES_REP_BUNDLE });
    const { confirmationToken } = structured<{ confirmationToken: string }>(preview);
    const refused = await call(bob, "okta_delete_bundle", {
      entitlementBundleId: SALES_REP_BUNDLE,
      confirmationToken,
    });
    expect(text(refused)).toMatch(/issued to another caller/);
    const own = await call(alice, "okta_delete_bundle", {
      entitlementBundleId: SALES_REP_BUNDLE,
      confirmationToken,
    });
    expect(own.isError, text(own)).toBeFalsy();
    const stored = await sandboxGet(
      session.sandbox,
      `/governance/api/v1/entitlement-bundles/${SALES_REP_BUNDLE}`,
    );
    expect((stored.body as { status: string }).status).toBe("DELETED");
    await alice.close();
    await bob.close();
  });
});

describe("OAuth discovery that fails", () => {
  /** An issuer whose metadata or JWKS answers 500, counting what it is asked. */
  async function failingIssuer(failing: "metadata" | "jwks") {
    const hits: string[] = [];
    const server = createServer((req, res) => {
      hits.push(req.url ?? "");
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      res.setHeader("content-type", "application/json");
      if (failing === "jwks" && req.url === "/.well-known/openid-configuration") {
        res.end(JSON.stringify({ issuer: base, jwks_uri: `${base}/keys` }));
        return;
      }
      res.statusCode = 500;
      res.end("{}");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return {
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      hits,
      close: async () => {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      },
    };
  }

  it.each(["metadata", "jwks"] as const)(
    "backs off when the issuer's %s fails: 20 requests fetch it at most twice",
    async (failing) => {
      const broken = await failingIssuer(failing);
      const handle = await startHttp(
        () => {
          throw new Error("not reached: every request is refused");
        },
        { ...HTTP_OPTIONS, authTokens: [], oauth: { issuer: broken.url, audience: AUDIENCE } },
        () => {},
      );
      try {
        const bearer = await token({ sub: "alice", iss: broken.url });
        const statuses: number[] = [];
        for (let i = 0; i < 20; i += 1) {
          const res = await fetch(handle.url, {
            method: "POST",
            headers: {
              "content-type": "application/json",
              accept: "application/json, text/event-stream",
              authorization: `Bearer ${bearer}`,
            },
            body: "{}",
          });
          await res.body?.cancel();
          statuses.push(res.status);
        }
        expect(statuses).toEqual(Array(20).fill(401));
        // One attempt asks for the metadata (and, when that works, the keys); a retry waits 1 s, then 2 s …
        const attempts = broken.hits.filter(
          (h) => h === (failing === "jwks" ? "/keys" : "/.well-known/openid-configuration"),
        );
        expect(attempts.length).toBeGreaterThanOrEqual(1);
        expect(attempts.length).toBeLessThanOrEqual(2);
      } finally {
        await handle.close();
        await broken.close();
      }
    },
  );
});
