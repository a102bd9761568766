/**
 * A real browser for the approval card and page: Debian's Chromium (`/usr/bin/chromium`, which .ci/run
 * installs), driven by playwright-core, headless, with a fresh profile. Never a downloaded browser.
 * Screenshots go to test-output/ (git-ignored).
 */
import { existsSync, mkdirSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium } from "playwright-core";
import { ROOT } from "./harness.js";

export const CHROMIUM = "/usr/bin/chromium";
export const TEST_OUTPUT = join(ROOT, "test-output");

const ARGS = [
  "--no-sandbox",
  "--headless",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

export interface TestBrowser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Starts Chromium with a fresh user-data-dir; fails with what to install when it is missing. */
export async function startBrowser(): Promise<TestBrowser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing: install Debian's chromium package (apt-get install chromium; .ci/run does).`,
    );
  }
  const profile = await mkdtemp(join(tmpdir(), "entitlement-mcp-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: 720, height: 640 },
  });
  return {
    context,
    close: async () => {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** Where a screenshot named `name` goes (test-output/<name>.png). */
export function screenshotPath(name: string): string {
  mkdirSync(TEST_OUTPUT, { recursive: true });
  return join(TEST_OUTPUT, `${name}.png`);
}
