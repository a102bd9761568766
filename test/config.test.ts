import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config.js";

const TOKEN = "00abcdefghijklmnopqrstuvwxyz0123456789ABCD";

describe("loadConfig", () => {
  it("falls back to the sandbox when no provider is configured", () => {
    const config = loadConfig({}, {});
    expect(config.sandbox).toBe(true);
    expect(config.sandboxReason).toBe("unconfigured");
    expect(config.toolsets).toEqual(["okta"]);
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

  it("parses toolsets, read-only, log level and audit path", () => {
    const config = loadConfig(
      { readOnly: true, toolsets: "okta,iiq", logLevel: "debug", auditLog: "/tmp/a.jsonl" },
      { ENTITLEMENT_MCP_SECRET: "x".repeat(40) },
    );
    expect(config.readOnly).toBe(true);
    expect(config.toolsets).toEqual(["okta"]);
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
});
