/**
 * formAnswerValidator: the check the SDK runs on an accepted elicitation answer, for the guard's forms.
 * It understands flat boolean and string fields and refuses any other schema (the guard then fails closed).
 * And the progress heartbeats that keep a client from timing out while a person reads the form.
 */
import type { ElicitResult } from "@modelcontextprotocol/sdk/types.js";
import { afterEach, describe, expect, it, vi } from "vitest";
import { formAnswerValidator } from "../../src/mcp/elicitation.js";
import { SALES_CLOUD_ADMIN } from "../fixtures/okta.js";
import { sandboxGet, text } from "../helpers/harness.js";
import { startTestServer } from "../helpers/test-server.js";

const form = {
  type: "object" as const,
  properties: {
    confirm: { type: "boolean", title: "Make this change", description: "Tick to confirm." },
    name: { type: "string", title: "Type the name", description: 'Type "X".' },
  },
  required: ["confirm", "name"],
};

describe("formAnswerValidator", () => {
  const check = formAnswerValidator.getValidator(form);

  it("accepts an answer of the right shape, extra fields included (JSON Schema allows them)", () => {
    expect(check({ confirm: true, name: "X" })).toEqual({
      valid: true,
      data: { confirm: true, name: "X" },
      errorMessage: undefined,
    });
    expect(check({ confirm: false, name: "", extra: 1 }).valid).toBe(true);
  });

  it("refuses a missing required field, a wrong type or a non-object, naming the field", () => {
    expect(check({ confirm: true })).toMatchObject({ valid: false, errorMessage: "name is required" });
    expect(check({ confirm: "yes", name: "X" })).toMatchObject({
      valid: false,
      errorMessage: "confirm must be a boolean",
    });
    expect(check({ confirm: true, name: 5 })).toMatchObject({
      valid: false,
      errorMessage: "name must be a string",
    });
    for (const answer of [null, "yes", [true], 1]) expect(check(answer).valid).toBe(false);
  });

  it("refuses schemas it does not understand instead of passing anything", () => {
    const bad = [
      { type: "array" },
      { ...form, additionalProperties: false },
      { type: "object", properties: { n: { type: "number" } } },
      { type: "object", properties: { s: { type: "string", enum: ["a"] } } },
    ];
    for (const schema of bad) expect(() => formAnswerValidator.getValidator(schema as never)).toThrow();
  });
});

describe("while a person reads the confirmation form", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("sends a progress heartbeat every 10 s to a caller that asked for progress, and stops after the answer", async () => {
    // Only the heartbeat's interval is faked: transports, timeouts and the sandbox run on real time.
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    let answer: (result: ElicitResult) => void = () => {};
    let formShown: () => void = () => {};
    const shown = new Promise<void>((resolve) => {
      formShown = resolve;
    });
    const { client, sandbox } = await startTestServer({
      client: {
        elicitationTimeoutMs: 60_000,
        elicit: () => {
          formShown();
          return new Promise<ElicitResult>((resolve) => {
            answer = resolve;
          });
        },
      },
    });
    const progress: string[] = [];
    const pending = client.callTool(
      { name: "okta_delete_bundle", arguments: { entitlementBundleId: SALES_CLOUD_ADMIN } },
      undefined,
      { onprogress: (p) => progress.push(String(p.message)) },
    );
    await shown;
    await vi.advanceTimersByTimeAsync(25_000);
    await vi.waitFor(() => expect(progress).toHaveLength(2));
    expect(progress).toEqual(["Waiting for the user to confirm", "Waiting for the user to confirm"]);

    answer({ action: "accept", content: { confirm: true, name: "Salesforce Sales Cloud admin" } });
    const result = await pending;
    expect(result.isError, text(result as never)).toBeFalsy();
    const bundle = await sandboxGet(sandbox, `/governance/api/v1/entitlement-bundles/${SALES_CLOUD_ADMIN}`);
    expect((bundle.body as { status: string }).status).toBe("DELETED");

    await vi.advanceTimersByTimeAsync(30_000);
    expect(progress).toHaveLength(2);
  });
});
