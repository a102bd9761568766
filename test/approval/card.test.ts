/**
 * The approval card, end to end: the built bin over loopback HTTP, a client that declares MCP Apps, and
 * the card rendered in Debian's Chromium by a small test host that speaks the extension's postMessage
 * bridge and forwards the card's app-only tool call through that real client. Approve executes exactly
 * once (read back from the sandbox, audited `confirmed_by_app`), Decline changes nothing, a stale copy of
 * the card is refused, and the model-facing side never holds what approves.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult, Tool } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { APP_MIME, CARD_URI, DECIDE_TOOL } from "../../src/mcp/approval-card.js";
import { SALES_REP_BUNDLE, SEED_CREATE_GRANT } from "../fixtures/okta.js";
import { APPS_CAPABILITIES, cardData } from "../helpers/approval.js";
import { screenshotPath, startBrowser, type TestBrowser } from "../helpers/browser.js";
import { openCardHost } from "../helpers/card-host.js";
import { sandboxSend } from "../helpers/guard-matrix.js";
import { HTTP_TOKEN, ROOT, sandboxGet, structured, text } from "../helpers/harness.js";
import { testServer } from "../helpers/test-server.js";

const OTHER_TOKEN = "e2e-http-token-other-0123456789";
const DELETE_ARGS = { entitlementBundleId: SALES_REP_BUNDLE };
const DELETE_PATH = `/governance/api/v1/entitlement-bundles/${SALES_REP_BUNDLE}`;

const session = testServer({ client: false });
let browser: TestBrowser;

beforeAll(async () => {
  browser = await startBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** The bin over HTTP with two bearer tokens, and a client of it that declares MCP Apps. */
async function appsServer() {
  return session.spawn("http", {
    capabilities: { capabilities: APPS_CAPABILITIES },
    env: { ENTITLEMENT_MCP_AUTH_TOKEN: `${HTTP_TOKEN},${OTHER_TOKEN}` },
  });
}

/** Another client of the same server: another caller (its own bearer token), with or without MCP Apps. */
async function otherClient(url: string, apps: boolean): Promise<Client> {
  const client = new Client(
    { name: "other", version: "1.0.0" },
    { capabilities: apps ? APPS_CAPABILITIES : {} },
  );
  await client.connect(
    new StreamableHTTPClientTransport(new URL(url), {
      requestInit: { headers: { Authorization: `Bearer ${OTHER_TOKEN}` } },
    }),
  );
  session.onClose(() => client.close());
  return client;
}

const writes = (method: string, path: string) =>
  session.sandbox.requests.filter((r) => r.method === method && r.path === path && r.status < 300).length;

const call = async (client: Client, name: string, args: Record<string, unknown>) =>
  (await client.callTool({ name, arguments: args })) as CallToolResult;

/** What the model sees of a result: its content and structuredContent, never its _meta. */
const modelView = (result: CallToolResult) => JSON.stringify([result.content, result.structuredContent]);

describe("tools/list and the card's resource", () => {
  it("names the card on guarded tools and adds the app-only tool for an Apps client only; other clients get the committed list byte for byte", async () => {
    const apps = await appsServer();
    const tools = (await apps.client.listTools()).tools;
    const byName = (name: string) => tools.find((t) => t.name === name) as Tool;
    expect(byName("okta_delete_bundle")._meta).toEqual({ ui: { resourceUri: CARD_URI } });
    expect(byName("okta_list_bundles")._meta).toBeUndefined();
    expect(byName(DECIDE_TOOL)._meta).toEqual({ ui: { resourceUri: CARD_URI, visibility: ["app"] } });

    const plain = await otherClient(apps.url, false);
    const plainTools = (await plain.listTools()).tools;
    // The bin serves Okta only here: each tool it lists is the committed snapshot's entry, byte for byte.
    const snapshot = JSON.parse(
      readFileSync(join(ROOT, "test/structure/__snapshots__/tools-list.json"), "utf8"),
    ) as Tool[];
    expect(plainTools.length).toBeGreaterThan(10);
    for (const tool of plainTools) {
      expect(JSON.stringify(tool), tool.name).toBe(
        JSON.stringify(snapshot.find((t) => t.name === tool.name)),
      );
    }
    const refused = await call(plain, DECIDE_TOOL, { pendingId: "x", secret: "y", decision: "approve" });
    expect(refused.isError).toBe(true);
    expect(text(refused)).toMatch(/decide_pending_change/);

    const read = await apps.client.readResource({ uri: CARD_URI });
    const card = read.contents[0] as { mimeType: string; text: string };
    expect(card.mimeType).toBe(APP_MIME);
    expect(card.text).toMatch(/^<!DOCTYPE html>/);
    // Nothing loads from anywhere: no external script, style, image or font.
    expect(card.text).not.toMatch(/\b(src|href)\s*=\s*["']?(https?:)?\/\//i);
    expect(card.text).not.toMatch(/@import|url\(/i);
  });
});

describe("in Chromium", () => {
  it("approves exactly once, audited confirmed_by_app; a stale copy of the card is refused", async () => {
    const apps = await appsServer();
    const result = await call(apps.client, "okta_delete_bundle", DELETE_ARGS);
    expect(structured(result)).toMatchObject({ status: "approval_pending" });
    const data = cardData(result);
    // The model holds nothing that approves: no token, no id, no secret.
    expect(modelView(result)).not.toContain(data.secret);
    expect(modelView(result)).not.toContain(data.pendingId);
    expect(modelView(result)).not.toMatch(/confirmationToken|ct1\./);

    const host = await openCardHost(browser.context, apps.client);
    const card = await host.render(DELETE_ARGS, result);
    await card.locator(".summary").waitFor();
    expect(await card.locator(".summary").textContent()).toBe(data.view.summary);
    expect(await card.locator(".line").allTextContents()).toEqual(data.view.lines.map((l) => l.text));
    const approve = card.getByRole("button", { name: "Approve" });
    expect(await approve.isDisabled()).toBe(true);
    const name = card.getByLabel(/to confirm the delete/);
    await name.fill(String(data.view.confirmName));
    expect(await approve.isEnabled()).toBe(true);
    await host.page.locator("#card-0").screenshot({ path: screenshotPath("approval-card") });

    await approve.click();
    await card.locator(".outcome").waitFor();
    expect(await card.locator(".outcome h2").textContent()).toBe("Approved and done");
    await host.page.locator("#card-0").screenshot({ path: screenshotPath("approval-card-approved") });
    expect(writes("DELETE", DELETE_PATH)).toBe(1);
    expect((await sandboxGet(session.sandbox, DELETE_PATH)).body).toMatchObject({ status: "DELETED" });
    expect(host.calls).toEqual([
      {
        name: DECIDE_TOOL,
        arguments: {
          pendingId: data.pendingId,
          secret: data.secret,
          decision: "approve",
          confirmName: data.view.confirmName,
        },
      },
    ]);

    // The same card shown again (a reloaded conversation): its click is refused, nothing more happens.
    const stale = await host.render(DELETE_ARGS, result);
    await stale.getByLabel(/to confirm the delete/).fill(String(data.view.confirmName));
    await stale.getByRole("button", { name: "Approve" }).click();
    await stale.locator(".outcome").waitFor();
    expect(await stale.locator(".outcome").textContent()).toMatch(
      /Not done.*already approved or declined.*Nothing was changed\./s,
    );
    expect(writes("DELETE", DELETE_PATH)).toBe(1);
    expect(host.cspViolations).toEqual([]);
    expect(await session.outcomes("okta_delete_bundle")).toEqual([
      "confirmation_required",
      "confirmed_by_app",
      "executing",
      "executed",
    ]);
    expect(await session.outcomes(DECIDE_TOOL)).toEqual(["rejected_approval"]);
  });

  it("declines and changes nothing (dark theme)", async () => {
    const apps = await appsServer();
    const result = await call(apps.client, "okta_create_grant", SEED_CREATE_GRANT);
    const host = await openCardHost(browser.context, apps.client, "dark");
    const card = await host.render(SEED_CREATE_GRANT, result);
    await card.locator(".summary").waitFor();
    expect(await card.locator("html").getAttribute("data-theme")).toBe("dark");
    await card.getByRole("button", { name: "Decline" }).click();
    await card.locator(".outcome").waitFor();
    expect(await card.locator(".outcome").textContent()).toMatch(
      /Declined.*the user declined on the approval card.*Nothing was changed\./s,
    );
    await host.page.locator("#card-0").screenshot({ path: screenshotPath("approval-card-declined") });
    expect(writes("POST", "/governance/api/v1/grants")).toBe(0);
    expect(await session.outcomes("okta_create_grant")).toEqual(["confirmation_required", "declined"]);
  });
});

describe("what cannot approve", () => {
  it("refuses the app-only tool without the card's secret, from another caller, and ignores a token; the card still works after", async () => {
    const apps = await appsServer();
    const result = await call(apps.client, "okta_create_grant", SEED_CREATE_GRANT);
    const data = cardData(result);
    const decide = (client: Client, fields: Record<string, unknown>) =>
      call(client, DECIDE_TOOL, {
        pendingId: data.pendingId,
        secret: data.secret,
        decision: "approve",
        ...fields,
      });

    // A model that saw only content and structuredContent guesses the secret.
    const guessed = await decide(apps.client, { secret: "A".repeat(43) });
    expect(text(guessed)).toMatch(
      /^Refused: no pending change has this id and secret.*Nothing was changed\.$/s,
    );
    // Another caller with the very id and secret.
    const bob = await otherClient(apps.url, true);
    const other = await decide(bob, {});
    expect(text(other)).toMatch(
      /^Refused: the pending change belongs to another caller.*Nothing was changed\.$/s,
    );
    // No downgrade: a confirmationToken from this client is ignored; it gets a new card, no write.
    const withToken = await call(apps.client, "okta_create_grant", {
      ...SEED_CREATE_GRANT,
      confirmationToken: "ct1.e30.x",
    });
    expect(structured(withToken)).toMatchObject({ status: "approval_pending" });
    expect(writes("POST", "/governance/api/v1/grants")).toBe(0);

    // The card itself (its id and secret) still approves, once.
    const approved = await decide(apps.client, {});
    expect(approved.isError, text(approved)).toBeFalsy();
    expect(writes("POST", "/governance/api/v1/grants")).toBe(1);
    const again = await decide(apps.client, {});
    expect(text(again)).toMatch(/already approved or declined/);
    expect(writes("POST", "/governance/api/v1/grants")).toBe(1);
  });

  it("refuses an approval once what the card showed changed upstream, with the new state", async () => {
    const apps = await appsServer();
    const result = await call(apps.client, "okta_delete_bundle", DELETE_ARGS);
    const data = cardData(result);
    await sandboxSend(session.sandbox, "POST", "/governance/api/v1/grants", {
      grantType: "ENTITLEMENT-BUNDLE",
      entitlementBundleId: SALES_REP_BUNDLE,
      targetPrincipal: { externalId: "00uHwCHSBn6G1ldstZ2x", type: "OKTA_USER" },
    });
    const stale = await call(apps.client, DECIDE_TOOL, {
      pendingId: data.pendingId,
      secret: data.secret,
      decision: "approve",
      confirmName: data.view.confirmName,
    });
    expect(structured(stale)).toMatchObject({ status: "stale_target" });
    expect(text(stale)).toMatch(
      /^Refused: what the approval card showed changed.*Now: Delete bundle.*Nothing was changed\.$/s,
    );
    expect(writes("DELETE", DELETE_PATH)).toBe(0);
    expect(await session.outcomes("okta_delete_bundle")).toEqual(["confirmation_required", "stale_target"]);
  });
});
