/**
 * The registrar's pipeline details that no real definition exercises: a summariser that throws, the
 * default input mapping, and the confirmationToken field only on guarded tools.
 */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { type AnyOperation, defineOperation } from "../../src/core/operation.js";
import { buildRequest } from "../../src/mcp/execute.js";
import { call, text } from "../helpers/harness.js";
import { startTestServer } from "../helpers/test-server.js";

const ANNOTATIONS = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true };

const brokenSummary = defineOperation({
  name: "okta_test_apps",
  title: "Test apps",
  description: "A read whose summariser throws.",
  provider: "okta",
  route: "GET /api/v1/apps",
  input: z.object({ q: z.string().describe("q") }),
  output: z.object({ items: z.array(z.unknown()) }),
  annotations: ANNOTATIONS,
  guard: "none",
  paging: "okta-cursor",
  summarize: () => {
    throw new Error("unexpected shape");
  },
});

describe("registrar", () => {
  it("answers with a plain summary when the summariser throws", async () => {
    const { client } = await startTestServer({
      client: { operations: [brokenSummary], server: { toolsets: ["okta"] } },
    });
    const result = await call(client, "okta_test_apps", { q: "Sales" });
    expect(result.isError).toBeFalsy();
    expect(text(result)).toMatch(/^Test apps: \d+ item\(s\)\.$/);
  });

  it("maps path params, then the query for GET/DELETE and the body otherwise", () => {
    const op = (route: `${"GET" | "PUT" | "DELETE"} /${string}`): AnyOperation => ({
      ...brokenSummary,
      route,
      input: z.object({ id: z.string(), a: z.string().optional() }),
    });
    expect(buildRequest(op("GET /x/{id}"), { id: "1", a: "b" })).toEqual({
      path: { id: "1" },
      query: { a: "b" },
    });
    expect(buildRequest(op("DELETE /x/{id}"), { id: "1" })).toEqual({ path: { id: "1" }, query: {} });
    expect(buildRequest(op("PUT /x/{id}"), { id: "1", a: "b", c: undefined })).toEqual({
      path: { id: "1" },
      query: {},
      body: { a: "b" },
    });
  });
});
