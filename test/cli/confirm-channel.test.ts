/**
 * `--confirm-channel` and its companions in the config: the weakest channel allowed (token by default),
 * `--require-elicitation` as form (the stronger of the two wins: options only widen the guard), the
 * environment variable, an unknown channel refused by name, and ENTITLEMENT_MCP_PUBLIC_URL for pages.
 */
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/cli/config.js";

const ENV = { HOME: "/tmp" };

describe("--confirm-channel", () => {
  it("defaults to token, so nothing breaks", () => {
    expect(loadConfig({}, ENV).confirmChannel).toBe("token");
  });

  it("takes each channel from the flag or the environment", () => {
    for (const channel of ["form", "card", "page", "token"]) {
      expect(loadConfig({ confirmChannel: channel }, ENV).confirmChannel).toBe(channel);
      expect(loadConfig({}, { ...ENV, ENTITLEMENT_MCP_CONFIRM_CHANNEL: channel }).confirmChannel).toBe(
        channel,
      );
    }
  });

  it("reads --require-elicitation as form, the stronger of the two", () => {
    expect(loadConfig({ requireElicitation: true }, ENV).confirmChannel).toBe("form");
    expect(loadConfig({ requireElicitation: true, confirmChannel: "page" }, ENV).confirmChannel).toBe("form");
    expect(loadConfig({}, { ...ENV, ENTITLEMENT_MCP_REQUIRE_ELICITATION: "1" }).confirmChannel).toBe("form");
  });

  it("refuses an unknown channel, naming the flag and the choices", () => {
    expect(() => loadConfig({ confirmChannel: "email" }, ENV)).toThrow(ConfigError);
    expect(() => loadConfig({ confirmChannel: "email" }, ENV)).toThrow(
      /--confirm-channel: "email" is not a confirmation channel; use one of form, card, page, token/,
    );
  });

  it("takes the public origin for approval pages, https or loopback http, origin only", () => {
    const http = (url: string) =>
      loadConfig({ http: true }, { ...ENV, ENTITLEMENT_MCP_PUBLIC_URL: url }).http?.publicUrl;
    expect(http("https://mcp.example.com")).toBe("https://mcp.example.com");
    expect(() => http("http://mcp.example.com")).toThrow(/ENTITLEMENT_MCP_PUBLIC_URL: must use https/);
    expect(() => http("https://mcp.example.com/mcp")).toThrow(/origin only/);
  });
});
