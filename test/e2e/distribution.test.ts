/**
 * Distribution as a person installs it: the packed tarball's bin starts and answers tools/list, and the
 * MCP Bundle builds, validates and starts from its unpacked contents with an empty user config.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { afterAll, describe, expect, it } from "vitest";
import { buildBundle, manifest } from "../../scripts/mcpb.js";
import { allOperations } from "../../tools/index.js";
import { ROOT } from "../helpers/harness.js";

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function temp(): string {
  const dir = mkdtempSync(join(tmpdir(), "entitlement-mcp-dist-"));
  dirs.push(dir);
  return dir;
}

async function listTools(command: string, args: string[], env: Record<string, string>) {
  const transport = new StdioClientTransport({
    command,
    args,
    env: { PATH: process.env.PATH ?? "", ...env },
  });
  const client = new Client({ name: "dist-test", version: "1.0.0" });
  await client.connect(transport);
  try {
    return (await client.listTools()).tools;
  } finally {
    await client.close();
  }
}

describe("distribution", () => {
  it("the packed tarball installs and its bin answers tools/list", { timeout: 180_000 }, async () => {
    const dir = temp();
    const tarball = execFileSync("npm", ["pack", "--ignore-scripts", "--silent", "--pack-destination", dir], {
      cwd: ROOT,
      encoding: "utf8",
    }).trim();
    const app = join(dir, "app");
    execFileSync("mkdir", ["-p", app]);
    writeFileSync(join(app, "package.json"), '{"name":"consumer","version":"1.0.0","private":true}\n');
    execFileSync("npm", ["install", "--no-audit", "--no-fund", "--omit=dev", join(dir, tarball)], {
      cwd: app,
      stdio: "ignore",
    });
    const bin = join(app, "node_modules", ".bin", "entitlement-mcp");
    const tools = await listTools(bin, ["--sandbox", "--audit-log", join(dir, "audit.jsonl")], { HOME: dir });
    expect(tools).toHaveLength(allOperations.length + 1);
    const installed = JSON.parse(
      readFileSync(join(app, "node_modules", "entitlement-mcp", "package.json"), "utf8"),
    );
    expect(installed.mcpName).toBe(JSON.parse(readFileSync(join(ROOT, "server.json"), "utf8")).name);
  });

  it("the .mcpb builds, validates, and starts from its unpacked contents", { timeout: 180_000 }, async () => {
    const out = buildBundle(temp());
    const info = execFileSync(join(ROOT, "node_modules", ".bin", "mcpb"), ["info", out], {
      encoding: "utf8",
    });
    expect(info).toMatch(/entitlement-mcp-\d+\.\d+\.\d+\.mcpb/);
    const unpacked = temp();
    execFileSync(join(ROOT, "node_modules", ".bin", "mcpb"), ["unpack", out, unpacked], { stdio: "ignore" });
    const m = JSON.parse(readFileSync(join(unpacked, "manifest.json"), "utf8"));
    expect(m).toEqual(JSON.parse(JSON.stringify(manifest())));
    for (const key of ["okta_api_token", "atomicwork_api_key", "iiq_password"]) {
      expect(m.user_config[key].sensitive, key).toBe(true);
    }
    // Claude Desktop substitutes an empty string for an unset user_config value.
    const env = Object.fromEntries(Object.keys(m.server.mcp_config.env).map((k) => [k, ""]));
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the MCPB substitution Claude Desktop performs.
    const args = m.server.mcp_config.args.map((a: string) => a.replace("${__dirname}", unpacked));
    const tools = await listTools(process.execPath, [...args, "--audit-log", join(unpacked, "audit.jsonl")], {
      ...env,
      HOME: unpacked,
    });
    expect(tools.map((t) => t.name)).toEqual(
      expect.arrayContaining(m.tools.map((t: { name: string }) => t.name)),
    );
  });
});
