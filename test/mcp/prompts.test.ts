/**
 * Prompts: every tool a prompt names exists; through a real Client the prompts are listed with
 * described arguments, render the script with the arguments filled in, and complete their arguments
 * from the sandbox's people, apps and access.
 */
import { describe, expect, it } from "vitest";
import { PROMPTS, renderPrompt } from "../../prompts/index.js";
import { allOperations } from "../../tools/index.js";
import { testServer } from "../helpers/test-server.js";

const KNOWN_TOOLS = new Set([...allOperations.map((op) => op.name), "search_entitlements"]);
const TOOL_NAME = /\b(?:okta|atomicwork|iiq)_[a-z_]+\b|\bsearch_entitlements\b/g;

const session = testServer({ perFile: true });

describe("prompts as data", () => {
  it("names only tools that exist, in the steps and in their text", () => {
    for (const prompt of PROMPTS) {
      for (const step of prompt.steps) {
        for (const tool of step.tools) expect(KNOWN_TOOLS, `${prompt.name} step tool`).toContain(tool);
        for (const [mentioned] of step.text.matchAll(TOOL_NAME)) {
          expect(KNOWN_TOOLS, `${prompt.name} mentions ${mentioned}`).toContain(mentioned);
        }
      }
      for (const [mentioned] of prompt.finish.matchAll(TOOL_NAME)) expect(KNOWN_TOOLS).toContain(mentioned);
    }
  });

  it("are the five of DESIGN §2.5, each ending in a guarded change or a report", () => {
    expect(PROMPTS.map((p) => p.name).sort()).toEqual(
      [
        "onboard_app_entitlements",
        "request_access",
        "review_access",
        "revoke_access",
        "who_has_access",
      ].sort(),
    );
    for (const prompt of PROMPTS) expect(prompt.finish).toMatch(/confirmationToken|Report|report/);
  });

  it("leaves out the steps whose tools are not available", () => {
    const request = PROMPTS.find((p) => p.name === "request_access")!;
    const text = renderPrompt(request, { person: "Dana", access: "admin" }, new Set(["okta_search_users"]));
    expect(text).toMatch(/^Give Dana this access: admin\. Reason: \(not given\)\./);
    expect(text).toMatch(/1\. Resolve the person/);
    expect(text).not.toMatch(/okta_create_grant/);
  });
});

describe("prompts through a client", () => {
  it("lists every prompt with described arguments", async () => {
    const { prompts } = await session.client.listPrompts();
    expect(prompts.map((p) => p.name).sort()).toEqual(PROMPTS.map((p) => p.name).sort());
    for (const prompt of prompts) {
      expect(prompt.title).toBeTruthy();
      for (const arg of prompt.arguments ?? [])
        expect(arg.description, `${prompt.name}.${arg.name}`).toBeTruthy();
    }
  });

  it("renders request_access as an ordered script naming the tools", async () => {
    const result = await session.client.getPrompt({
      name: "request_access",
      arguments: { person: "Dana Whitfield", access: "Salesforce Sales Cloud admin", reason: "new role" },
    });
    const message = result.messages[0]?.content as { type: string; text: string };
    expect(message.text).toMatch(
      /^Give Dana Whitfield this access: Salesforce Sales Cloud admin\. Reason: new role\./,
    );
    const order = [
      "okta_search_users",
      "search_entitlements",
      "okta_get_principal_access",
      "okta_create_grant",
    ].map((tool) => message.text.indexOf(tool));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(message.text).toMatch(/confirmationToken only if they say yes/);
  });

  it("completes people, apps and access from the sandbox", async () => {
    const person = await session.client.complete({
      ref: { type: "ref/prompt", name: "request_access" },
      argument: { name: "person", value: "Dan" },
    });
    expect(person.completion.values).toContain("Dana Whitfield");
    const app = await session.client.complete({
      ref: { type: "ref/prompt", name: "review_access" },
      argument: { name: "app", value: "Work" },
    });
    expect(app.completion.values).toContain("Workday");
    const access = await session.client.complete({
      ref: { type: "ref/prompt", name: "request_access" },
      argument: { name: "access", value: "Sales Cloud" },
    });
    expect(access.completion.values).toContain("Salesforce Sales Cloud admin");
  });
});
