import { afterEach, describe, expect, it, vi } from "vitest";
import {
  RateLimitedError,
  redactSecrets,
  registerSecret,
  toToolResult,
  UpstreamError,
  UpstreamNetworkError,
  UserInputError,
} from "../../src/core/errors.js";

const textOf = (err: unknown) => (toToolResult(err).content[0] as { text: string }).text;

afterEach(() => {
  vi.restoreAllMocks();
});

describe("toToolResult", () => {
  it("is always an error result with text only (SDK clients validate structuredContent even on errors)", () => {
    const result = toToolResult(new UserInputError("limit", "must be at most 200"));
    expect(result.isError).toBe(true);
    expect(result.structuredContent).toBeUndefined();
    expect(textOf(new UserInputError("limit", "must be at most 200"))).toBe(
      "Invalid input: limit: must be at most 200. Nothing was sent upstream; nothing was changed.",
    );
  });

  it.each([
    [401, /credentials for this provider were rejected/],
    [403, /admin role or OAuth scope/],
    [404, /Check the id: list or search first/],
    [409, /state conflicts/],
    [500, /upstream failed; try again later/],
  ])("adds a hint for %i", (status, hint) => {
    const err = new UpstreamError({ provider: "okta", status, summary: "s", method: "GET", path: "/p" });
    expect(textOf(err)).toMatch(hint);
  });

  it("says when to retry a 429", () => {
    const err = new UpstreamError({
      provider: "okta",
      status: 429,
      code: "E0000047",
      summary: "API call exceeded rate limit due to too many requests.",
      method: "GET",
      path: "/p",
      retryAfterMs: 12_400,
    });
    expect(textOf(err)).toMatch(/Okta's rate limit: the next slot is in 13 s; try again then\./);
    expect(textOf(err)).toMatch(/Nothing was changed\.$/);
  });

  it("fails a call the rate limit has no slot for with the time to retry, nothing sent", () => {
    const err = new RateLimitedError("okta", "DELETE", "/p", 37_200);
    expect(toToolResult(err).isError).toBe(true);
    expect(textOf(err)).toBe(
      "Okta's rate limit: the next slot is in 38 s; try again then. Nothing was changed.",
    );
  });

  it("does not claim nothing changed after a 5xx", () => {
    const err = new UpstreamError({
      provider: "atomicwork",
      status: 502,
      summary: "Bad gateway",
      method: "POST",
      path: "/p",
    });
    expect(textOf(err)).not.toMatch(/Nothing was changed/);
    expect(textOf(err)).toMatch(/^Atomicwork answered 502: Bad gateway\./);
  });

  it("describes network errors and suggests reading before retrying a write", () => {
    const err = new UpstreamNetworkError(
      "sailpoint-iiq",
      "GET",
      "/Entitlements",
      "the connection was refused",
    );
    expect(textOf(err)).toMatch(
      /^IdentityIQ could not be used for GET \/Entitlements: the connection was refused\./,
    );
  });

  it.each([
    ["an Error", new Error("boom with details")],
    ["a string", "a thrown string"],
    ["undefined", undefined],
    ["an object", { token: "x" }],
  ])("hides %s behind an incident id that also goes to stderr", (_label, thrown) => {
    const writes: string[] = [];
    vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
      writes.push(String(chunk));
      return true;
    });
    const text = textOf(thrown);
    const incident = /incident ([0-9a-f]{8})/.exec(text)?.[1];
    expect(incident).toBeDefined();
    expect(text).toBe(`Internal error (incident ${incident}); the details are in the server's log.`);
    expect(writes.join("")).toContain(`incident ${incident}`);
    expect(text).not.toContain("boom");
  });
});

describe("redaction", () => {
  it("redacts registered secrets and given ones everywhere", () => {
    registerSecret("s3cr3t-registered");
    expect(redactSecrets("a s3cr3t-registered b other-secret", ["other-secret"])).toBe(
      "a [REDACTED] b [REDACTED]",
    );
    const err = new UpstreamError({
      provider: "okta",
      status: 400,
      summary: "echo s3cr3t-registered",
      causes: [{ summary: "again s3cr3t-registered" }],
      method: "GET",
      path: "/p",
    });
    expect(err.summary).toBe("echo [REDACTED]");
    expect(err.causes[0]?.summary).toBe("again [REDACTED]");
  });
});
