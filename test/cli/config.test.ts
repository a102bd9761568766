import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/cli/config.js";

const TOKEN = "00abcdefghijklmnopqrstuvwxyz0123456789ABCD";

describe("loadConfig", () => {
  it("falls back to the sandbox when no provider is configured", () => {
    const config = loadConfig({}, {});
    expect(config.sandbox).toBe(true);
    expect(config.sandboxReason).toBe("unconfigured");
    expect(config.toolsets).toEqual(["okta", "atomicwork", "sailpoint-iiq"]);
    expect(config.secretFromEnv).toBe(false);
    expect(config.secret).toHaveLength(32);
  });

  it("enables Okta when URL and token are set, and remembers the token as a secret", () => {
    const config = loadConfig({}, { OKTA_ORG_URL: "https://acme.okta.com/", OKTA_API_TOKEN: TOKEN });
    expect(config.sandbox).toBe(false);
    expect(config.okta).toEqual({ orgUrl: "https://acme.okta.com", apiToken: TOKEN });
    expect(config.secrets).toContain(TOKEN);
  });

  it("--sandbox wins over the environment", () => {
    const config = loadConfig(
      { sandbox: true },
      { OKTA_ORG_URL: "https://acme.okta.com", OKTA_API_TOKEN: TOKEN },
    );
    expect(config.sandbox).toBe(true);
    expect(config.okta).toBeUndefined();
    expect(config.sandboxReason).toBe("flag");
  });

  it.each([
    [{ OKTA_ORG_URL: "https://acme.okta.com" }, /OKTA_API_TOKEN is missing/],
    [{ OKTA_API_TOKEN: TOKEN }, /OKTA_ORG_URL is missing/],
    [{ OKTA_ORG_URL: "http://acme.okta.com", OKTA_API_TOKEN: TOKEN }, /OKTA_ORG_URL: must use https/],
    [{ OKTA_ORG_URL: "https://acme.okta.com/api", OKTA_API_TOKEN: TOKEN }, /without a path/],
    [{ OKTA_ORG_URL: "not a url", OKTA_API_TOKEN: TOKEN }, /absolute URL/],
    [{ ENTITLEMENT_MCP_SECRET: "short" }, /ENTITLEMENT_MCP_SECRET: must be at least 32/],
  ])("names the variable and the rule for %j", (env, message) => {
    expect(() => loadConfig({}, env)).toThrow(ConfigError);
    expect(() => loadConfig({}, env)).toThrow(message);
  });

  it("never puts a secret into an error message", () => {
    try {
      loadConfig({}, { OKTA_ORG_URL: "ftp://x", OKTA_API_TOKEN: TOKEN });
      expect.unreachable();
    } catch (err) {
      expect(String(err)).not.toContain(TOKEN);
    }
  });

  it("allows http:// for loopback orgs (the sandbox)", () => {
    const config = loadConfig({}, { OKTA_ORG_URL: "http://127.0.0.1:8787", OKTA_API_TOKEN: TOKEN });
    expect(config.okta?.orgUrl).toBe("http://127.0.0.1:8787");
  });

  it.each([
    "http://127.0.0.2:8787",
    "http://[::1]:8787",
    "http://[0:0:0:0:0:0:0:1]",
    "http://localhost:8787",
  ])("counts %s as loopback for a plain-http upstream", (url) => {
    expect(loadConfig({}, { OKTA_ORG_URL: url, OKTA_API_TOKEN: TOKEN }).okta?.orgUrl).toBe(
      new URL(url).origin,
    );
  });

  it.each([
    "http://127.evil.example",
    "http://127.0.0.1.nip.io",
    "http://localhost.evil",
    "http://localhost.evil.example:8787",
  ])("refuses %s: a name that starts like loopback is not loopback", (url) => {
    expect(() => loadConfig({}, { OKTA_ORG_URL: url, OKTA_API_TOKEN: TOKEN })).toThrow(
      /OKTA_ORG_URL: must use https:\/\/ \(http:\/\/ is allowed only for loopback hosts\)/,
    );
  });

  it("bounds the wait for an upstream rate-limit slot: 20 s by default, set in seconds, at most 45", () => {
    expect(loadConfig({}, {}).upstreamRateWaitMs).toBe(20_000);
    expect(loadConfig({}, { ENTITLEMENT_MCP_UPSTREAM_RATE_WAIT: "5" }).upstreamRateWaitMs).toBe(5_000);
    expect(loadConfig({}, { ENTITLEMENT_MCP_UPSTREAM_RATE_WAIT: "90" }).upstreamRateWaitMs).toBe(45_000);
    expect(() => loadConfig({}, { ENTITLEMENT_MCP_UPSTREAM_RATE_WAIT: "0" })).toThrow(
      "ENTITLEMENT_MCP_UPSTREAM_RATE_WAIT: must be a whole number of at least 1.",
    );
  });

  it("parses toolsets, read-only, log level and audit path", () => {
    const config = loadConfig(
      { readOnly: true, toolsets: "okta,iiq", logLevel: "debug", auditLog: "/tmp/a.jsonl" },
      { ENTITLEMENT_MCP_SECRET: "x".repeat(40) },
    );
    expect(config.readOnly).toBe(true);
    expect(config.toolsets).toEqual(["okta", "sailpoint-iiq"]);
    expect(config.logLevel).toBe("debug");
    expect(config.auditLogPath).toBe("/tmp/a.jsonl");
    expect(config.secretFromEnv).toBe(true);
    expect(() => loadConfig({ toolsets: "jira" }, {})).toThrow(/--toolsets: unknown toolset "jira"/);
    expect(() => loadConfig({ logLevel: "loud" }, {})).toThrow(/--log-level/);
  });

  it("uses the XDG state directory for the default audit log", () => {
    expect(loadConfig({}, { XDG_STATE_HOME: "/state" }).auditLogPath).toBe(
      "/state/entitlement-mcp/audit.jsonl",
    );
  });

  it("configures Atomicwork from a tenant or a base URL, with the workspace header", () => {
    const byTenant = loadConfig(
      {},
      { ATOMICWORK_TENANT: "acme", ATOMICWORK_API_KEY: "ak-123456", ATOMICWORK_WORKSPACE_ID: "42" },
    );
    expect(byTenant.atomicwork).toEqual({
      baseUrl: "https://acme.atomicwork.com",
      apiKey: "ak-123456",
      workspaceId: "42",
    });
    expect(byTenant.sandbox).toBe(false);
    expect(byTenant.toolsets).toEqual(["atomicwork"]);
    expect(byTenant.secrets).toContain("ak-123456");
    const byUrl = loadConfig(
      {},
      { ATOMICWORK_BASE_URL: "https://acme.atomicwork.com/", ATOMICWORK_API_KEY: "ak-123456" },
    );
    expect(byUrl.atomicwork?.baseUrl).toBe("https://acme.atomicwork.com");
  });

  it.each([
    [{ ATOMICWORK_API_KEY: "ak-123456" }, /ATOMICWORK_BASE_URL \(or ATOMICWORK_TENANT\) is missing/],
    [{ ATOMICWORK_TENANT: "acme" }, /ATOMICWORK_API_KEY is missing/],
    [{ ATOMICWORK_TENANT: "acme.evil.com/x", ATOMICWORK_API_KEY: "k" }, /ATOMICWORK_TENANT: must be/],
    [
      { ATOMICWORK_TENANT: "acme", ATOMICWORK_API_KEY: "k", ATOMICWORK_WORKSPACE_ID: "ws1" },
      /WORKSPACE_ID: must be the numeric/,
    ],
    [{ IIQ_USERNAME: "spadmin", IIQ_PASSWORD: "pw" }, /IIQ_BASE_URL is missing/],
    [
      { IIQ_BASE_URL: "https://iiq.example.com/identityiq/scim/v2", IIQ_USERNAME: "spadmin" },
      /IIQ_PASSWORD is missing/,
    ],
    [
      { IIQ_BASE_URL: "https://iiq.example.com/identityiq/scim/v2", IIQ_CLIENT_ID: "c" },
      /IIQ_CLIENT_SECRET is missing/,
    ],
    [{ IIQ_BASE_URL: "https://iiq.example.com/identityiq/scim/v2" }, /IIQ_USERNAME and IIQ_PASSWORD/],
  ])("names the missing or bad variable for %j", (env, message) => {
    expect(() => loadConfig({}, env)).toThrow(message);
  });

  it("configures IdentityIQ with Basic auth or OAuth client credentials", () => {
    const basic = loadConfig(
      {},
      {
        IIQ_BASE_URL: "https://iiq.example.com/identityiq/scim/v2/",
        IIQ_USERNAME: "spadmin",
        IIQ_PASSWORD: "pw-secret",
      },
    );
    expect(basic.iiq).toEqual({
      baseUrl: "https://iiq.example.com/identityiq/scim/v2",
      auth: { kind: "basic", username: "spadmin", password: "pw-secret" },
    });
    expect(basic.secrets).toContain("pw-secret");
    const oauth = loadConfig(
      {},
      {
        IIQ_BASE_URL: "https://iiq.example.com/identityiq/scim/v2",
        IIQ_CLIENT_ID: "cid",
        IIQ_CLIENT_SECRET: "cs-secret",
      },
    );
    expect(oauth.iiq?.auth).toEqual({
      kind: "oauth",
      clientId: "cid",
      clientSecret: "cs-secret",
      tokenUrl: "https://iiq.example.com/identityiq/oauth2/token",
    });
  });

  describe("HTTP", () => {
    const http = (host: string | undefined, env: Record<string, string> = {}) =>
      loadConfig({ http: true, host }, env).http;

    it.each(["127.evil.example", "127.0.0.1.nip.io", "localhost.evil", "0x7f.1", "2130706433", "0.0.0.0"])(
      "refuses --host %s without a token: only literal loopback addresses and localhost are loopback",
      (host) => {
        expect(() => http(host)).toThrow(
          /ENTITLEMENT_MCP_AUTH_TOKEN is missing: --host .* is not a loopback address/,
        );
      },
    );

    it.each(["127.0.0.1", "127.0.0.2", "::1", "[::1]", "0:0:0:0:0:0:0:1", "localhost", "LOCALHOST"])(
      "binds --host %s without a token",
      (host) => {
        expect(http(host)?.authTokens).toEqual([]);
      },
    );

    it("stores an IPv6 --host without brackets", () => {
      expect(http("[::1]")?.host).toBe("::1");
    });

    it("caps sessions at 20 per subject and 1000 in all by default, or as configured", () => {
      expect(http(undefined)).toMatchObject({ maxSessionsPerSubject: 20, maxSessions: 1000 });
      expect(
        http(undefined, {
          ENTITLEMENT_MCP_MAX_SESSIONS_PER_SUBJECT: "5",
          ENTITLEMENT_MCP_MAX_SESSIONS: "50",
        }),
      ).toMatchObject({ maxSessionsPerSubject: 5, maxSessions: 50 });
      expect(http(undefined, { ENTITLEMENT_MCP_MAX_SESSIONS: "8" })).toMatchObject({
        maxSessionsPerSubject: 8,
        maxSessions: 8,
      });
    });

    it.each([
      [
        { ENTITLEMENT_MCP_MAX_SESSIONS_PER_SUBJECT: "0" },
        /ENTITLEMENT_MCP_MAX_SESSIONS_PER_SUBJECT: must be a whole number of at least 1/,
      ],
      [
        { ENTITLEMENT_MCP_MAX_SESSIONS_PER_SUBJECT: "twenty" },
        /ENTITLEMENT_MCP_MAX_SESSIONS_PER_SUBJECT: must be a whole number/,
      ],
      [
        { ENTITLEMENT_MCP_MAX_SESSIONS: "2.5" },
        /ENTITLEMENT_MCP_MAX_SESSIONS: must be a whole number of at least 1/,
      ],
      [
        { ENTITLEMENT_MCP_MAX_SESSIONS: "10", ENTITLEMENT_MCP_MAX_SESSIONS_PER_SUBJECT: "11" },
        /ENTITLEMENT_MCP_MAX_SESSIONS_PER_SUBJECT: must not exceed ENTITLEMENT_MCP_MAX_SESSIONS \(10\)/,
      ],
    ])("names the variable and the rule for %j", (env, message) => {
      expect(() => http(undefined, env)).toThrow(ConfigError);
      expect(() => http(undefined, env)).toThrow(message);
    });
  });
});

describe("a shared Redis for replicas", () => {
  const SECRET = "s".repeat(40);
  const load = (env: Record<string, string>, flags = {}) => loadConfig({ sandbox: true, ...flags }, env);

  it("reads the URL from the flag or the environment, with the key prefix, and keeps the URL secret", () => {
    const config = load({
      ENTITLEMENT_MCP_SECRET: SECRET,
      ENTITLEMENT_MCP_REDIS_URL: "redis://:hunter2hunter2@cache:6379",
    });
    expect(config.redis).toEqual({ url: "redis://:hunter2hunter2@cache:6379", prefix: "entitlement-mcp:" });
    expect(config.secrets).toContain("hunter2hunter2");
    const flagged = load(
      { ENTITLEMENT_MCP_SECRET: SECRET, ENTITLEMENT_MCP_REDIS_PREFIX: "prod:" },
      { redisUrl: "rediss://cache:6380" },
    );
    expect(flagged.redis).toEqual({ url: "rediss://cache:6380", prefix: "prod:" });
    expect(load({}).redis).toBeUndefined();
  });

  it.each([
    [
      { ENTITLEMENT_MCP_REDIS_URL: "redis://cache:6379" },
      /ENTITLEMENT_MCP_SECRET is missing: with ENTITLEMENT_MCP_REDIS_URL, replicas/,
    ],
    [
      { ENTITLEMENT_MCP_SECRET: SECRET, ENTITLEMENT_MCP_REDIS_URL: "http://cache:6379" },
      /ENTITLEMENT_MCP_REDIS_URL: use a redis:\/\/ or rediss:\/\/ URL/,
    ],
    [
      { ENTITLEMENT_MCP_SECRET: SECRET, ENTITLEMENT_MCP_REDIS_URL: "not a url" },
      /ENTITLEMENT_MCP_REDIS_URL: not a URL/,
    ],
    [
      {
        ENTITLEMENT_MCP_SECRET: SECRET,
        ENTITLEMENT_MCP_REDIS_URL: "redis://cache",
        ENTITLEMENT_MCP_REDIS_PREFIX: "a b",
      },
      /ENTITLEMENT_MCP_REDIS_PREFIX: 1-64 letters/,
    ],
  ])("names the variable and the rule for %j", (env, message) => {
    expect(() => load(env)).toThrow(ConfigError);
    expect(() => load(env)).toThrow(message);
  });
});
