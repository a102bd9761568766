/**
 * One version everywhere a client or a registry reads it: package.json, server.json (and its npm package
 * entry), the MCP Bundle's manifest, the server's own VERSION, and a release in CHANGELOG.md.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { manifest } from "../../scripts/mcpb.js";
import { VERSION } from "../../src/core/version.js";
import { ROOT } from "../helpers/harness.js";

const read = (file: string) => readFileSync(join(ROOT, file), "utf8");
const pkg = JSON.parse(read("package.json")) as { name: string; version: string; mcpName: string };
const server = JSON.parse(read("server.json")) as {
  name: string;
  version: string;
  packages: { registryType: string; identifier: string; version: string }[];
};

describe("the release's version", () => {
  it("is the same in package.json, server.json, the bundle manifest and the server", () => {
    expect(pkg.version).toMatch(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/);
    expect(server.version).toBe(pkg.version);
    const npm = server.packages.filter((p) => p.registryType === "npm");
    expect(npm).toEqual([expect.objectContaining({ identifier: pkg.name, version: pkg.version })]);
    expect(server.name).toBe(pkg.mcpName);
    expect((manifest() as { version: string }).version).toBe(pkg.version);
    expect(VERSION).toBe(pkg.version);
  });

  it("has its entry in CHANGELOG.md (Keep a Changelog: Unreleased, then releases newest first)", () => {
    const headings = [...read("CHANGELOG.md").matchAll(/^## \[([^\]]+)\](?: - (\d{4}-\d{2}-\d{2}))?$/gm)];
    expect(headings[0]?.[1]).toBe("Unreleased");
    const releases = headings.slice(1);
    expect(releases[0]?.[1]).toBe(pkg.version);
    for (const release of releases) expect(release[2], `the date of ${release[1]}`).toBeDefined();
    const dates = releases.map((r) => r[2] ?? "");
    expect(dates).toEqual([...dates].sort().reverse());
  });
});
