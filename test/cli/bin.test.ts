/**
 * The command line as users run it: the bin with no provider (sandbox, announced on stderr),
 * --read-only, a half-configured provider, --help, and the standalone `sandbox` command.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import { afterEach, describe, expect, it } from "vitest";
import { allOperations } from "../../tools/index.js";
import { BIN, call, ROOT, spawnStdio, structured, tempDir, text } from "../helpers/harness.js";

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

async function connect(args: string[], env: Record<string, string> = {}) {
  const dir = await tempDir();
  cleanups.push(dir.cleanup);
  const session = await spawnStdio(["--audit-log", join(dir.path, "audit.jsonl"), ...args], {
    HOME: dir.path,
    ...env,
  });
  cleanups.push(session.close);
  return session;
}

function run(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; stderr: string; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH ?? "", ...env } });
    let stderr = "";
    let stdout = "";
    child.stderr.on("data", (c: Buffer) => {
      stderr += c.toString();
    });
    child.stdout.on("data", (c: Buffer) => {
      stdout += c.toString();
    });
    child.on("close", (code) => resolve({ code, stderr, stdout }));
    child.stdin.end();
  });
}

describe("entitlement-mcp", () => {
  it("with no provider configured serves the embedded sandbox and says so on stderr", async () => {
    const { client, stderr } = await connect([]);
    const { tools } = await client.listTools();
    expect(tools).toHaveLength(allOperations.length + 1); // + search_entitlements
    const apps = await call(client, "okta_search_apps", { q: "Salesforce" });
    expect(text(apps)).toMatch(/Salesforce/);
    expect(stderr()).toMatch(/no provider is configured: serving the embedded sandbox/);
    expect(stderr()).toMatch(/http:\/\/127\.0\.0\.1:\d+/);
    // The hint names what it emulates and the installed command (the package is not on the registry).
    expect(stderr()).toMatch(/Okta Identity Governance, Atomicwork and SailPoint IdentityIQ/);
    expect(stderr()).toContain("claude mcp add entitlements -- entitlement-mcp --sandbox");
    expect(stderr()).not.toMatch(/\bnpx\b/);
  });

  it("--read-only registers no tool that can change anything", async () => {
    const { client } = await connect(["--sandbox", "--read-only"]);
    const { tools } = await client.listTools();
    const reads = [
      ...allOperations.filter((op) => op.annotations.readOnlyHint).map((op) => op.name),
      "search_entitlements",
    ];
    expect(tools.map((t) => t.name).sort()).toEqual(reads.sort());
    for (const tool of tools) expect(tool.annotations?.readOnlyHint).toBe(true);
    const refused = await call(client, "okta_delete_bundle", { entitlementBundleId: "enbfxqCAJWWGELFTYCCC" });
    expect(refused.isError).toBe(true);
  });

  it("--toolsets exposes only the named providers' tools", async () => {
    const { client } = await connect(["--sandbox", "--toolsets", "iiq,atomicwork"]);
    const names = (await client.listTools()).tools.map((t) => t.name);
    expect(names.filter((n) => n.startsWith("okta_"))).toEqual([]);
    expect(names).toContain("iiq_get_entitlement");
    expect(names).toContain("atomicwork_revoke_grant");
    expect(names).toContain("search_entitlements");
  });

  it("--confirm-creates widens the guard to creates", async () => {
    const { client } = await connect(["--sandbox", "--confirm-creates"]);
    const result = await call(client, "okta_create_bundle", {
      name: "Needs a yes",
      target: { externalId: "0oafxqCAJWWGELFTYASJ", type: "APPLICATION" },
      entitlements: [{ id: "0obfxqCAJWWGELFTYASJ" }],
    });
    expect(structured(result)).toMatchObject({ status: "confirmation_required" });
    const listed = await call(client, "okta_list_bundles", { nameStartsWith: "Needs a yes" });
    expect(structured<{ items: unknown[] }>(listed).items).toHaveLength(0);
  });

  it("refuses to start half-configured, naming the missing variable and never the secret", async () => {
    const { code, stderr, stdout } = await run([], { OKTA_API_TOKEN: "00secretTokenValueNeverPrinted" });
    expect(code).toBe(2);
    expect(stderr).toMatch(/OKTA_ORG_URL is missing/);
    expect(stderr + stdout).not.toContain("00secretTokenValueNeverPrinted");
    expect(stdout).toBe("");
  });

  it("rejects an unknown flag with a usage hint", async () => {
    const { code, stderr } = await run(["--frobnicate"]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/frobnicate/);
    expect(stderr).toMatch(/--help/);
  });

  it("--help documents every flag and variable, on stderr", async () => {
    const { code, stderr, stdout } = await run(["--help"]);
    expect(code).toBe(0);
    expect(stdout).toBe("");
    for (const word of [
      "--sandbox",
      "--read-only",
      "--toolsets",
      "--audit-log",
      "--log-level",
      "--confirm-creates",
      "--confirm-channel",
      "ENTITLEMENT_MCP_CONFIRM_CHANNEL",
      "ENTITLEMENT_MCP_PUBLIC_URL",
      "sandbox [--port",
      "OKTA_ORG_URL",
      "OKTA_API_TOKEN",
      "ENTITLEMENT_MCP_SECRET",
      "ATOMICWORK_API_KEY",
      "ATOMICWORK_WORKSPACE_ID",
      "IIQ_BASE_URL",
      "IIQ_CLIENT_SECRET",
    ]) {
      expect(stderr).toContain(word);
    }
  });

  it("`sandbox` runs only the emulator, which answers like an Okta org", async () => {
    const child = spawn(process.execPath, [BIN, "sandbox", "--port", "0", "--seed", "empty"], {
      env: { PATH: process.env.PATH ?? "" },
    });
    cleanups.push(
      () =>
        new Promise((resolve) => {
          child.once("close", resolve);
          child.kill("SIGTERM");
        }),
    );
    const url = await new Promise<string>((resolve, reject) => {
      let err = "";
      child.stderr.on("data", (c: Buffer) => {
        err += c.toString();
        const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(err);
        if (match?.[1]) resolve(match[1]);
      });
      child.once("close", () => reject(new Error(`sandbox exited: ${err}`)));
    });
    const res = await fetch(`${url}/api/v1/apps?q=Salesforce`, {
      headers: { Authorization: "SSWS sandbox-okta-token", Accept: "application/json" },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-rate-limit-limit")).toBeTruthy();
    expect(((await res.json()) as { label: string }[]).map((a) => a.label)).toContain("Salesforce");
    const denied = await fetch(`${url}/governance/api/v1/entitlement-bundles`, {
      headers: { Authorization: "SSWS nope" },
    });
    expect(denied.status).toBe(401);
  });
});

describe("the bin's tools/list, rendered at build time", () => {
  // The committed snapshot is the live rendering (test/structure/structure.test.ts renders it in-process).
  const snapshot = JSON.parse(
    readFileSync(join(ROOT, "test", "structure", "__snapshots__", "tools-list.json"), "utf8"),
  ) as Tool[];
  const byName = new Map(snapshot.map((tool) => [tool.name, tool]));

  it("is exactly the live rendering", async () => {
    const { client } = await connect(["--sandbox"]);
    expect((await client.listTools()).tools).toEqual(snapshot);
  });

  it("serves the same entries for a subset of the tools (--read-only, --toolsets)", async () => {
    for (const args of [["--read-only"], ["--toolsets", "sailpoint-iiq"]]) {
      const { client } = await connect(["--sandbox", ...args]);
      const { tools } = await client.listTools();
      expect(tools.length, args.join(" ")).toBeLessThan(snapshot.length);
      for (const tool of tools) expect(tool, tool.name).toEqual(byName.get(tool.name));
    }
  });

  it("answers before the definitions load; what needs them waits for them, in order", async () => {
    // No tools/list first: the calls are held until the definitions load, then answered in order.
    const { client } = await connect(["--sandbox"]);
    const [apps, resources, refused] = await Promise.all([
      call(client, "okta_search_apps", { q: "Salesforce" }),
      client.listResourceTemplates(),
      call(client, "okta_list_entitlements", { appId: "not an id" }),
    ]);
    expect(text(apps)).toContain("Salesforce");
    expect(resources.resourceTemplates.length).toBeGreaterThan(0);
    // The definition's own schema refused it: the input schemas are the loaded ones.
    expect(refused.isError).toBe(true);
    expect(text(refused)).toMatch(/appId/);
    // And after a tools/list, while they may still be loading.
    const other = await connect(["--sandbox"]);
    await other.client.listTools();
    expect(text(await call(other.client, "okta_search_apps", { q: "Salesforce" }))).toContain("Salesforce");
  });

  it("is rendered live when options change the schemas (--confirm-creates)", async () => {
    const { client } = await connect(["--sandbox", "--confirm-creates"]);
    const { tools } = await client.listTools();
    const create = tools.find((tool) => tool.name === "okta_create_bundle");
    expect(create?.inputSchema.properties).toHaveProperty("confirmationToken");
    expect(byName.get("okta_create_bundle")?.inputSchema.properties).not.toHaveProperty("confirmationToken");
    expect(tools.find((tool) => tool.name === "okta_get_bundle")).toEqual(byName.get("okta_get_bundle"));
  });
});
