/**
 * Distribution as a person installs it, following the README: the packed tarball installed globally into a
 * temporary prefix puts `entitlement-mcp` on the PATH, and every client snippet of "Add it to your client"
 * starts it exactly as written (over stdio, through a real SDK Client); the URL forms `npm start` prints and
 * the README shows for a team connect over HTTP. The MCP Bundle builds, validates and starts from its
 * unpacked contents with an empty user config.
 */
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildBundle, manifest } from "../../scripts/mcpb.js";
import { SANDBOX_CREDENTIALS } from "../../src/sandbox/credentials.js";
import type { Sandbox } from "../../src/sandbox/index.js";
import { allOperations } from "../../tools/index.js";
import { ROOT, withSandbox } from "../helpers/harness.js";
import {
  codeBlocks,
  httpSnippets,
  printedHttpSnippets,
  README,
  section,
  stdioSnippets,
} from "../helpers/readme-snippets.js";

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
  // npm install -g --prefix <tmp> <tarball>: the README's install, without touching the real global prefix.
  // --prefer-offline takes the dependencies from npm's cache, which the lockfile's install filled.
  let prefix = "";
  let home = "";
  const pathWithPrefix = () => `${join(prefix, "bin")}${delimiter}${process.env.PATH ?? ""}`;
  let sandbox: Sandbox;

  beforeAll(async () => {
    const dir = temp();
    const tarball = execFileSync("npm", ["pack", "--ignore-scripts", "--silent", "--pack-destination", dir], {
      cwd: ROOT,
      encoding: "utf8",
    }).trim();
    prefix = join(dir, "prefix");
    home = join(dir, "home");
    mkdirSync(home);
    execFileSync(
      "npm",
      [
        "install",
        "-g",
        "--prefix",
        prefix,
        "--prefer-offline",
        "--no-audit",
        "--no-fund",
        join(dir, tarball),
      ],
      { cwd: dir, stdio: "ignore" },
    );
    sandbox = await withSandbox();
  }, 240_000);
  afterAll(async () => {
    await sandbox?.close();
  });

  /** A snippet's env as a person fills it in, here with the sandbox's addresses and credentials. */
  function filledIn(env: Record<string, string>): Record<string, string> {
    const { okta, atomicwork, iiq } = SANDBOX_CREDENTIALS;
    const values: Record<string, string> = {
      OKTA_ORG_URL: sandbox.url,
      OKTA_API_TOKEN: okta.apiToken,
      ATOMICWORK_BASE_URL: sandbox.url,
      ATOMICWORK_API_KEY: atomicwork.apiKey,
      ATOMICWORK_WORKSPACE_ID: atomicwork.workspaceId,
      IIQ_BASE_URL: `${sandbox.url}/identityiq/scim/v2`,
      IIQ_USERNAME: iiq.username,
      IIQ_PASSWORD: iiq.password,
    };
    return Object.fromEntries(
      Object.keys(env).map((key) => {
        const value = values[key];
        if (value === undefined)
          throw new Error(`the README's snippet sets ${key}, which this test cannot fill in`);
        return [key, value];
      }),
    );
  }

  it("npm install -g puts entitlement-mcp on the PATH, with the package's version", () => {
    // --version prints on stderr: stdout carries only the MCP protocol.
    const run = spawnSync("entitlement-mcp", ["--version"], {
      env: { PATH: pathWithPrefix(), HOME: home },
      encoding: "utf8",
    });
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toBe("");
    expect(run.stderr.trim()).toBe(pkg.version);
    const installed = JSON.parse(
      readFileSync(join(prefix, "lib", "node_modules", "entitlement-mcp", "package.json"), "utf8"),
    );
    expect(installed.mcpName).toBe(JSON.parse(readFileSync(join(ROOT, "server.json"), "utf8")).name);
  });

  const snippets = stdioSnippets();
  it("the README has a stdio snippet for each client, on the sandbox and on a real provider", () => {
    const blocks = codeBlocks(section(README, "Add it to your client")).map((b) => b.body);
    for (const client of ["mcpServers", '"servers"', "claude mcp add entitlements"]) {
      expect(blocks.filter((b) => b.includes(client)).length, client).toBeGreaterThanOrEqual(2);
    }
    expect(snippets.length).toBeGreaterThanOrEqual(8);
    expect(snippets.filter((s) => s.args.includes("--sandbox")).length).toBeGreaterThanOrEqual(4);
    for (const provider of ["OKTA_ORG_URL", "ATOMICWORK_BASE_URL", "IIQ_BASE_URL"]) {
      expect(
        snippets.some((s) => provider in s.env),
        provider,
      ).toBe(true);
    }
  });

  it.each(snippets.map((s) => [s.where, s] as const))(
    "%s: the installed command starts as written and serves its providers",
    { timeout: 60_000 },
    async (_where, snippet) => {
      expect(snippet.command).toBe("entitlement-mcp");
      const client = new Client({ name: "readme-snippet", version: "1.0.0" });
      const transport = new StdioClientTransport({
        command: snippet.command,
        args: snippet.args,
        env: { PATH: pathWithPrefix(), HOME: home, ...filledIn(snippet.env) },
        stderr: "ignore",
      });
      await client.connect(transport);
      try {
        const names = (await client.listTools()).tools.map((t) => t.name);
        const onSandbox = Object.keys(snippet.env).length === 0;
        const expected = {
          okta: onSandbox || "OKTA_ORG_URL" in snippet.env,
          atomicwork: onSandbox || "ATOMICWORK_BASE_URL" in snippet.env,
          iiq: onSandbox || "IIQ_BASE_URL" in snippet.env,
        };
        const reads = {
          okta: "okta_search_apps",
          atomicwork: "atomicwork_list_apps",
          iiq: "iiq_list_applications",
        };
        for (const [provider, on] of Object.entries(expected) as [keyof typeof reads, boolean][]) {
          expect(
            names.some((n) => n.startsWith(`${provider}_`)),
            provider,
          ).toBe(on);
          if (!on) continue;
          const result = await client.callTool({ name: reads[provider], arguments: {} });
          expect(result.isError ?? false, `${reads[provider]}: ${JSON.stringify(result.content)}`).toBe(
            false,
          );
        }
      } finally {
        await client.close();
      }
    },
  );

  it("npm start prints one way to connect each client, and each connects", { timeout: 60_000 }, async () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
      scripts: { start: string };
    };
    // npm start is `node dist/entitlement-mcp.mjs ARGS`: the installed command with the same ARGS.
    const args = pkg.scripts.start.split(/\s+/).slice(2);
    expect(args).toEqual(["--http", "--sandbox"]);
    const server = await startHttp([...args, "--port", "0"], {});
    try {
      const printed = printedHttpSnippets(server.stderr());
      expect(printed.map((p) => p.where.replace(/ \(.*/, ""))).toEqual([
        "npm start: Claude Code",
        "npm start: Cursor",
        "npm start: VS Code",
      ]);
      for (const client of ["Claude Code", "Cursor", "VS Code", "Claude Desktop"]) {
        expect(
          server
            .stderr()
            .split("\n")
            .filter((l) => l.includes(client)),
          client,
        ).toHaveLength(1);
      }
      expect(server.stderr()).not.toMatch(/npx|claude mcp add entitlements --/);
      for (const snippet of printed) {
        expect(snippet.url, snippet.where).toBe(server.url);
        await expectConnects(snippet.url, snippet.headers, snippet.where);
      }
      // The README's demo shows the same line for the default port.
      const demo = httpSnippets("A 30-second demo");
      expect(demo).toHaveLength(1);
      expect(demo[0]?.url.replace(":3000/", `:${new URL(server.url).port}/`)).toBe(server.url);
    } finally {
      await server.close();
    }
  });

  it("the README's team snippets connect by URL with a bearer token", { timeout: 60_000 }, async () => {
    const token = "readme-team-token-0123456789abcdef";
    const server = await startHttp(["--http", "--port", "0"], { ENTITLEMENT_MCP_AUTH_TOKEN: token });
    try {
      const team = httpSnippets("A team over HTTP");
      expect(team).toHaveLength(3);
      const origin = new URL(server.url).origin;
      for (const snippet of team) {
        const url = new URL(snippet.url);
        expect(url.pathname, snippet.where).toBe("/mcp");
        const headers = Object.fromEntries(
          Object.entries(snippet.headers).map(([k, v]) => [
            k,
            v.replace(/<token>|\$\{(env|input):[^}]+\}/, token),
          ]),
        );
        expect(headers.Authorization, snippet.where).toBe(`Bearer ${token}`);
        await expectConnects(`${origin}${url.pathname}`, headers, snippet.where);
      }
      const refused = await fetch(server.url, { method: "POST", body: "{}" });
      expect(refused.status).toBe(401);
    } finally {
      await server.close();
    }
  });

  /** The installed command over --http; resolves once it prints its URL. */
  async function startHttp(args: string[], env: Record<string, string>) {
    const child = spawn("entitlement-mcp", args, {
      env: { PATH: pathWithPrefix(), HOME: home, ...env },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    const url = await new Promise<string>((resolve, reject) => {
      child.stderr.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
        const match =
          /Streamable HTTP at (http:\/\/127\.0\.0\.1:\d+\/mcp)[^\n]*\n[\s\S]*Claude Desktop[^\n]*\n/.exec(
            stderr,
          );
        if (match?.[1]) resolve(match[1]);
      });
      child.once("exit", (code) => reject(new Error(`entitlement-mcp exited with ${code}: ${stderr}`)));
    });
    return {
      url,
      stderr: () => stderr,
      close: () =>
        new Promise<void>((resolve) => {
          child.once("exit", () => resolve());
          child.kill("SIGTERM");
        }),
    };
  }

  async function expectConnects(url: string, headers: Record<string, string>, where: string) {
    const client = new Client({ name: "readme-http", version: "1.0.0" });
    await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } }));
    try {
      const { tools } = await client.listTools();
      expect(tools.length, where).toBe(allOperations.length + 1);
    } finally {
      await client.close();
    }
  }

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
