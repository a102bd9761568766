/**
 * The approval page in Debian's Chromium: a client that declares URL-mode elicitation gets the page's URL,
 * the person approves or declines there, and the tool call completes (or ends "not confirmed") from it.
 * Servers run in-process over a real sandbox so the clock can move and callers can differ; the page is a
 * real loopback listener (the stdio one). Approve, decline, a typed name for deletes, expiry, replay,
 * another caller's page, a forged CSRF token, another origin, and a change made upstream before the click.
 */
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SALES_REP_BUNDLE, SEED_CREATE_GRANT } from "../fixtures/okta.js";
import { type ApprovalWorld, approvalWorld, TTL_MS } from "../helpers/approval.js";
import { screenshotPath, startBrowser, type TestBrowser } from "../helpers/browser.js";
import { sandboxSend } from "../helpers/guard-matrix.js";
import { structured, text } from "../helpers/harness.js";

const GRANTS = "/governance/api/v1/grants";
const DELETE_ARGS = { entitlementBundleId: SALES_REP_BUNDLE };
const DELETE_PATH = `/governance/api/v1/entitlement-bundles/${SALES_REP_BUNDLE}`;
const OTHER_GRANT = {
  ...SEED_CREATE_GRANT,
  targetPrincipal: { externalId: "00uHwCHSBn6G1ldstZ2x", type: "OKTA_USER" },
};

let browser: TestBrowser;
let world: ApprovalWorld;
let page: Page;

beforeAll(async () => {
  browser = await startBrowser();
});
afterAll(async () => {
  await browser?.close();
});
beforeEach(async () => {
  world = await approvalWorld();
  page = await browser.context.newPage();
});
afterEach(async () => {
  await page.close();
  await world.close();
});

/** Starts a guarded call from a URL client and opens its approval page. */
async function start(tool: string, args: Record<string, unknown>, caller = "test:alice") {
  const connected = await world.connect({ kind: "url", caller });
  const result = connected.client.callTool({ name: tool, arguments: args }) as Promise<CallToolResult>;
  // A test that fails before awaiting it closes the client under it: not an unhandled rejection.
  result.catch(() => {});
  const url = await connected.nextUrl();
  return { ...connected, result, url };
}

async function open(url: string, on: Page = page) {
  const response = await on.goto(url);
  return response?.status();
}

/** The outcome box of the page now shown. */
const outcome = async (on: Page = page) => (await on.locator(".outcome").textContent()) ?? "";

describe("deciding on the page", () => {
  it("approves: the page shows the dialog's preview, the call completes once, audited confirmed_by_page", async () => {
    // What a token client is shown for the same change: the page must show the same lines.
    const token = await world.connect({ kind: "token" });
    const shown = structured<{ preview: { summary: string; details: string[] } }>(
      (await token.client.callTool({
        name: "okta_create_grant",
        arguments: SEED_CREATE_GRANT,
      })) as CallToolResult,
    ).preview;

    const alice = await start("okta_create_grant", SEED_CREATE_GRANT);
    expect(new URL(alice.url).hostname).toBe("127.0.0.1");
    expect(await open(alice.url)).toBe(200);
    expect(await page.locator(".summary").textContent()).toBe(shown.summary);
    expect(await page.locator(".line").allTextContents()).toEqual(shown.details);
    expect(await page.locator(".effect").allTextContents()).toEqual(["Gives access"]);
    await page.screenshot({ path: screenshotPath("approval-page"), fullPage: true });
    expect(world.writes("POST", GRANTS)).toBe(0);

    await page.getByRole("button", { name: "Approve" }).click();
    expect(await outcome()).toMatch(/^Approved and done/);
    await page.screenshot({ path: screenshotPath("approval-page-approved"), fullPage: true });
    const result = await alice.result;
    expect(result.isError, text(result)).toBeFalsy();
    expect(world.writes("POST", GRANTS)).toBe(1);
    expect(await world.outcomes("okta_create_grant")).toEqual([
      "confirmation_required", // the token client's preview
      "confirmed_by_page",
      "executing",
      "executed",
    ]);
    // The client heard that the out-of-band interaction is over.
    expect(alice.completed).toEqual([new URL(alice.url).pathname.split("/")[2]?.split(".")[0]]);
  });

  it("declines: nothing changes and the call says so", async () => {
    const alice = await start("okta_create_grant", SEED_CREATE_GRANT);
    await open(alice.url);
    await page.getByRole("button", { name: "Decline" }).click();
    expect(await outcome()).toMatch(/Declined.*Nothing was changed\./s);
    const result = await alice.result;
    expect(text(result)).toMatch(
      /^Cancelled: the user declined on the approval page.*Nothing was changed\.$/s,
    );
    expect(world.writes("POST", GRANTS)).toBe(0);
    expect(await world.outcomes("okta_create_grant")).toEqual(["declined"]);
  });

  it("asks for the name to be typed for a delete, and keeps the page usable after a wrong one", async () => {
    const alice = await start("okta_delete_bundle", DELETE_ARGS);
    await open(alice.url);
    const name = page.getByLabel(/to confirm the delete/);
    await name.fill("Sales Rep");
    await page.getByRole("button", { name: "Approve" }).click();
    expect(await page.getByRole("alert").textContent()).toMatch(
      /Type "Salesforce Sales Rep" exactly.*Nothing was changed\./,
    );
    expect(world.writes("DELETE", DELETE_PATH)).toBe(0);
    await page.getByLabel(/to confirm the delete/).fill("Salesforce Sales Rep");
    await page.getByRole("button", { name: "Approve" }).click();
    expect(await outcome()).toMatch(/^Approved and done/);
    expect((await alice.result).isError).toBeFalsy();
    expect(world.writes("DELETE", DELETE_PATH)).toBe(1);
  });
});

describe("the loopback listener (stdio)", () => {
  it("opens on demand on 127.0.0.1 and closes when no page is needed", async () => {
    const quick = await approvalWorld(100);
    try {
      expect(quick.pages.origin).toBeUndefined();
      const alice = await quick.connect({ kind: "url" });
      const result = alice.client.callTool({ name: "okta_create_grant", arguments: SEED_CREATE_GRANT });
      const url = await alice.nextUrl();
      expect(new URL(url).origin).toBe(quick.pages.origin);
      await open(url);
      await page.getByRole("button", { name: "Decline" }).click();
      expect(await outcome()).toMatch(/Declined/);
      await result;
      await expect.poll(() => quick.pages.origin, { timeout: 5_000 }).toBeUndefined();
      await expect(fetch(url)).rejects.toThrow();
    } finally {
      await quick.close();
    }
  });
});

describe("what the page refuses", () => {
  it("expires with the change: the page says so and the call ends not confirmed", async () => {
    const alice = await start("okta_create_grant", SEED_CREATE_GRANT);
    world.advance(TTL_MS + 1);
    expect(await open(alice.url)).toBe(410);
    expect(await outcome()).toMatch(/Expired.*Nothing was changed\./s);
    const result = await alice.result;
    expect(text(result)).toMatch(
      /^Not confirmed: the approval page expired before the user decided.*Nothing was changed\.$/s,
    );
    expect(world.writes("POST", GRANTS)).toBe(0);
    expect(await world.outcomes("okta_create_grant")).toEqual(["timed_out"]);
  });

  it("works once: a second visit and a replayed form are refused", async () => {
    const alice = await start("okta_create_grant", SEED_CREATE_GRANT);
    await open(alice.url);
    const form = await capturedForm(page);
    await page.getByRole("button", { name: "Approve" }).click();
    await alice.result;
    expect(await open(alice.url)).toBe(410);
    expect(await outcome()).toMatch(/Already decided/);
    const replay = await postForm(alice.url, form, "approve");
    expect(replay.status).toBe(410);
    expect(world.writes("POST", GRANTS)).toBe(1);
  });

  it("keeps each caller's page to its own change", async () => {
    const alice = await start("okta_create_grant", SEED_CREATE_GRANT, "test:alice");
    const bob = await start("okta_create_grant", OTHER_GRANT, "test:bob");
    await open(alice.url);
    const aliceForm = await capturedForm(page);
    // Alice's form (token and cookie) posted to Bob's page; Bob's id with Alice's secret.
    expect((await postForm(bob.url, aliceForm, "approve")).status).toBe(403);
    const [bobId] = pageToken(bob.url);
    const [, aliceSecret] = pageToken(alice.url);
    const mixed = new URL(bob.url);
    mixed.pathname = `/approve/${bobId}.${aliceSecret}`;
    expect(await open(mixed.href, await browser.context.newPage())).toBe(404);
    expect(world.writes("POST", GRANTS)).toBe(0);

    await page.getByRole("button", { name: "Approve" }).click();
    expect((await alice.result).isError).toBeFalsy();
    // Only Alice's grant was made; Bob's call still waits for Bob.
    expect(
      world.sandbox.requests.filter((r) => r.method === "POST" && r.path === GRANTS && r.status < 300),
    ).toHaveLength(1);
    const bobPage = await browser.context.newPage();
    await open(bob.url, bobPage);
    await bobPage.getByRole("button", { name: "Decline" }).click();
    expect(text(await bob.result)).toMatch(/^Cancelled/);
    expect(world.writes("POST", GRANTS)).toBe(1);
  });

  it("refuses a forged CSRF token and a decision from another origin, and changes nothing", async () => {
    const alice = await start("okta_create_grant", SEED_CREATE_GRANT);
    await open(alice.url);
    const form = await capturedForm(page);
    await page.locator('input[name="csrf"]').evaluate((input) => {
      (input as unknown as { value: string }).value = "forged-token-forged-token-forged-token-abcd";
    });
    await page.getByRole("button", { name: "Approve" }).click();
    expect(await outcome()).toMatch(/Refused.*security token does not match.*Nothing was changed\./s);
    // A form posted from another site: its Origin is not the page's; a request without one is refused too.
    expect((await postForm(alice.url, form, "approve", "http://evil.example")).status).toBe(403);
    expect((await postForm(alice.url, form, "approve", null)).status).toBe(403);
    expect(world.writes("POST", GRANTS)).toBe(0);
    // The page is still the person's: a fresh load decides it.
    await open(alice.url);
    await page.getByRole("button", { name: "Decline" }).click();
    // The browser shows the outcome before the page is closed: closing mid-navigation can stall Chromium.
    expect(await outcome()).toMatch(/You declined this change\. Nothing was changed\./);
    expect(text(await alice.result)).toMatch(/^Cancelled/);
    expect(world.writes("POST", GRANTS)).toBe(0);
  });

  it("refuses as stale a change made upstream between the preview and the click", async () => {
    const alice = await start("okta_delete_bundle", DELETE_ARGS);
    await open(alice.url);
    await sandboxSend(world.sandbox, "POST", GRANTS, {
      grantType: "ENTITLEMENT-BUNDLE",
      entitlementBundleId: SALES_REP_BUNDLE,
      targetPrincipal: { externalId: "00uHwCHSBn6G1ldstZ2x", type: "OKTA_USER" },
    });
    await page.getByLabel(/to confirm the delete/).fill("Salesforce Sales Rep");
    await page.getByRole("button", { name: "Approve" }).click();
    expect(await outcome()).toMatch(
      /Approved, but not done.*changed while the approval page was open.*Nothing was changed\./s,
    );
    const result = await alice.result;
    expect(structured(result)).toMatchObject({ status: "stale_target" });
    expect(world.writes("DELETE", DELETE_PATH)).toBe(0);
    expect(await world.outcomes("okta_delete_bundle")).toEqual(["stale_target"]);
  });
});

/** The hidden token and the cookie of the page shown, to replay its form outside the browser. */
async function capturedForm(on: Page): Promise<{ csrf: string; cookie: string }> {
  const csrf = (await on.locator('input[name="csrf"]').getAttribute("value")) ?? "";
  const cookies = await on.context().cookies(on.url());
  const cookie = cookies.find((c) => c.name === "approval");
  return { csrf, cookie: cookie ? `approval=${cookie.value}` : "" };
}

/** Posts the approval form with `form`'s token and cookie, from `origin` (null: none). */
async function postForm(
  url: string,
  form: { csrf: string; cookie: string },
  decision: string,
  origin: string | null = new URL(url).origin,
): Promise<Response> {
  const headers: Record<string, string> = {
    "content-type": "application/x-www-form-urlencoded",
    cookie: form.cookie,
  };
  if (origin) headers.origin = origin;
  const response = await fetch(url, {
    method: "POST",
    headers,
    body: new URLSearchParams({ csrf: form.csrf, decision }),
  });
  await response.text();
  return response;
}

/** The id and secret a page URL carries. */
function pageToken(url: string): [string, string] {
  const [id, secret] = (new URL(url).pathname.split("/")[2] ?? "").split(".");
  return [id ?? "", secret ?? ""];
}
