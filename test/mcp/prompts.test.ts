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

  it("are DESIGN §2.5's five and track_request, each ending in a guarded change or a report", () => {
    expect(PROMPTS.map((p) => p.name).sort()).toEqual(
      [
        "onboard_app_entitlements",
        "request_access",
        "review_access",
        "revoke_access",
        "track_request",
        "who_has_access",
      ].sort(),
    );
    for (const prompt of PROMPTS) expect(prompt.finish).toMatch(/confirmationToken|Report|report/);
  });

  it("leaves out the steps whose tools are not available", () => {
    const request = PROMPTS.find((p) => p.name === "request_access")!;
    const text = renderPrompt(request, { person: "Dana", access: "admin" }, new Set(["okta_search_users"]));
    expect(text).toMatch(/^Request this access for Dana: admin\. Justification: \(not given\)\./);
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

  it("renders request_access as a request through the workflow: risk first, a direct grant last and only for an administrator", async () => {
    const result = await session.client.getPrompt({
      name: "request_access",
      arguments: { person: "Dana Whitfield", access: "Salesforce Sales Cloud admin", reason: "new role" },
    });
    const message = result.messages[0]?.content as { type: string; text: string };
    expect(message.text).toMatch(
      /^Request this access for Dana Whitfield: Salesforce Sales Cloud admin\. Justification: new role\./,
    );
    const order = [
      "okta_search_users",
      "okta_list_requestable_entries",
      "okta_get_principal_access",
      "okta_get_request_fields",
      "iiq_check_policy_violations",
      "okta_create_access_request",
      "iiq_request_access",
      "okta_create_grant",
    ].map((tool) => message.text.indexOf(tool));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(message.text).toMatch(
      /Only if the user says they are an administrator and asks for a direct grant/,
    );
    expect(message.text).toMatch(/never write one yourself/);
    expect(message.text).toMatch(/confirmationToken only if they say yes/);
    expect(message.text).toMatch(/track_request/);
  });

  it("renders review_access as a walk through the reviewer's open reviews, and track_request as a status report", async () => {
    const review = await session.client.getPrompt({
      name: "review_access",
      arguments: { reviewer: "Aisha Khan", campaign: "Q3 Workday access" },
    });
    const walk = (review.messages[0]!.content as { text: string }).text;
    expect(walk).toMatch(/^Walk the open reviews of Aisha Khan \(campaign: Q3 Workday access\)\./);
    const order = [
      "okta_list_campaigns",
      "okta_list_reviews",
      "okta_get_review",
      "okta_assess_access_risk",
      "okta_get_principal_entitlements_history",
    ].map((tool) => walk.indexOf(tool));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(walk).toMatch(/decision UNREVIEWED/);

    const track = await session.client.getPrompt({ name: "track_request", arguments: { person: "Hannah" } });
    const status = (track.messages[0]!.content as { text: string }).text;
    for (const tool of ["okta_list_access_requests", "okta_get_access_request", "iiq_get_request_status"])
      expect(status).toContain(tool);
    expect(status).toMatch(/Request: \(not given\)\./);
  });

  it("completes people, apps and access from the sandbox", async () => {
    const person = await session.client.complete({
      ref: { type: "ref/prompt", name: "request_access" },
      argument: { name: "person", value: "Dan" },
    });
    expect(person.completion.values).toContain("Dana Whitfield");
    const app = await session.client.complete({
      ref: { type: "ref/prompt", name: "who_has_access" },
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
