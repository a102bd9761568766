/**
 * The onboard_app_entitlements prompt through a real Client: it has the assistant check the app's
 * entitlement settings and opt it in (a guarded change) before creating entitlements, in that order; a
 * server that cannot change settings (--read-only) leaves the opt-in step out.
 */
import { describe, expect, it } from "vitest";
import { PROMPTS, renderPrompt } from "../../../prompts/index.js";
import { allOperations } from "../../../tools/index.js";
import { testServer } from "../../helpers/test-server.js";

const session = testServer({ perFile: true });

describe("onboard_app_entitlements", () => {
  it("checks the entitlement settings and opts the app in before creating entitlements", async () => {
    const result = await session.client.getPrompt({
      name: "onboard_app_entitlements",
      arguments: { app: "Slack", entitlements: "Role: Viewer, Editor, Admin" },
    });
    const message = result.messages[0]?.content as { type: string; text: string };
    expect(message.text).toMatch(/^Onboard these entitlements into Slack: Role: Viewer, Editor, Admin\./);
    const order = [
      "okta_search_apps",
      "okta_get_entitlement_settings",
      "okta_update_entitlement_settings",
      "okta_list_entitlements",
      "okta_create_entitlement",
      "okta_create_bundle",
    ].map((tool) => message.text.indexOf(tool));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(message.text).toMatch(/OPTED_IN/);
    expect(message.text).toMatch(/confirmationToken only if they say yes/);
  });

  it("still checks the settings where only reads are offered", () => {
    const prompt = PROMPTS.find((p) => p.name === "onboard_app_entitlements");
    const reads = new Set(allOperations.filter((op) => op.annotations.readOnlyHint).map((op) => op.name));
    const text = renderPrompt(prompt!, { app: "Slack", entitlements: "Role" }, reads);
    expect(text).toMatch(/okta_get_entitlement_settings/);
    expect(text).not.toMatch(/okta_create_entitlement/);
  });
});
