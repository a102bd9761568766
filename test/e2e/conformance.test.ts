/**
 * The official MCP conformance suite (@modelcontextprotocol/conformance, which needs Node 22: run through
 * `npx -p node@22`, mcp-notes §3) against the HTTP server on the sandbox. It passes only when every
 * failure is listed, with its reason, in test/conformance/baseline.yml and no listed one passes.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN, ROOT, tempDir } from "../helpers/harness.js";

let server: ReturnType<typeof spawn>;
let url: string;
let dir: { path: string; cleanup: () => Promise<void> };

beforeAll(async () => {
  dir = await tempDir();
  server = spawn(
    process.execPath,
    [BIN, "--http", "--port", "0", "--sandbox", "--audit-log", join(dir.path, "a.jsonl")],
    {
      env: { PATH: process.env.PATH ?? "", HOME: dir.path },
      stdio: ["ignore", "ignore", "pipe"],
    },
  );
  url = await new Promise<string>((resolve, reject) => {
    let err = "";
    server.stderr?.on("data", (c: Buffer) => {
      err += c.toString();
      const match = /Streamable HTTP at (http:\/\/127\.0\.0\.1:\d+\/mcp)/.exec(err);
      if (match?.[1]) resolve(match[1]);
    });
    server.once("exit", () => reject(new Error(`server exited: ${err}`)));
  });
});

afterAll(async () => {
  server?.kill();
  await dir?.cleanup();
});

describe("MCP conformance suite", () => {
  it("passes every scenario that applies to a product server", { timeout: 600_000 }, async () => {
    const args = [
      "-y",
      "-p",
      "node@22",
      "-p",
      "@modelcontextprotocol/conformance@0.1.16",
      "--",
      "conformance",
      "server",
      "--url",
      url,
      "--expected-failures",
      join(ROOT, "test", "conformance", "baseline.yml"),
      "-o",
      join(dir.path, "results"),
    ];
    const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve) => {
      const child = spawn("npx", args, {
        cwd: dir.path,
        env: process.env,
        stdio: ["ignore", "pipe", "pipe"],
      });
      let output = "";
      child.stdout.on("data", (c: Buffer) => {
        output += c.toString();
      });
      child.stderr.on("data", (c: Buffer) => {
        output += c.toString();
      });
      child.on("close", (exit) => resolve({ code: exit, output }));
    });
    const summary = output.slice(output.indexOf("=== SUMMARY ==="));
    expect(summary, output.slice(-4000)).toMatch(/Total: \d+ passed, \d+ failed/);
    expect(code, summary).toBe(0);
    for (const scenario of [
      "server-initialize",
      "tools-list",
      "dns-rebinding-protection",
      "resources-subscribe",
    ]) {
      expect(summary).toMatch(new RegExp(`✓ ${scenario}:`));
    }
  });
});
