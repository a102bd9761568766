/**
 * The registrar's pipeline details that no real definition exercises: a summariser that throws, the
 * default input mapping, and the confirmationToken field only on guarded tools.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { type AnyOperation, defineOperation } from "../src/core/operation.js";
import { ConfirmationTokens } from "../src/guard/confirm-token.js";
import { buildRequest } from "../src/mcp/registrar.js";
import { createServer } from "../src/mcp/server.js";
import { sandboxEndpoints } from "../src/providers/index.js";
import type { Sandbox } from "../src/sandbox/index.js";
import { UpstreamClient } from "../src/upstream/client.js";
import { call, text, withSandbox } from "./helpers/harness.js";

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

let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.close();
});

describe("registrar", () => {
  it("answers with a plain summary when the summariser throws", async () => {
    sandbox = await withSandbox();
    const upstream = new UpstreamClient({ providers: sandboxEndpoints(sandbox.url) });
    const server = createServer(
      {
        toolsets: ["okta"],
        readOnly: false,
        confirmCreates: false,
        elicitationTimeoutMs: 1000,
        processCaller: "t",
      },
      {
        upstream,
        audit: { write: async () => {} },
        tokens: new ConfirmationTokens(Buffer.alloc(32), 60_000),
        onAuditError: () => {},
        operations: [brokenSummary],
      },
    );
    const client = new Client({ name: "t", version: "1" });
    const [a, b] = InMemoryTransport.createLinkedPair();
    await server.connect(b);
    await client.connect(a);
    const result = await call(client, "okta_test_apps", { q: "Sales" });
    expect(result.isError).toBeFalsy();
    expect(text(result)).toMatch(/^Test apps: \d+ item\(s\)\.$/);
    await client.close();
    await upstream.close();
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
