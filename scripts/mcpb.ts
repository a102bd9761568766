/**
 * Builds the MCP Bundle (`.mcpb`) for Claude Desktop: the packed package plus its production
 * dependencies and a manifest generated from package.json, the operations and the prompts, then
 * validated and packed with @anthropic-ai/mcpb. Credentials are `sensitive` user_config entries.
 *
 *   npm run mcpb            -> bundle/entitlement-mcp-<version>.mcpb
 */
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { PROMPTS } from "../prompts/index.js";
import { allOperations } from "../tools/index.js";

/** The package root, whether this runs from scripts/ (tests) or dist/scripts/ (npm run mcpb). */
function packageRoot(): string {
  for (const rel of ["..", "../.."]) {
    const dir = fileURLToPath(new URL(rel, import.meta.url));
    try {
      if (JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).name === "entitlement-mcp") return dir;
    } catch {
      // not here
    }
  }
  throw new Error("cannot find the entitlement-mcp package root");
}

const ROOT = packageRoot();

interface UserConfigEntry {
  type: "string" | "boolean";
  title: string;
  description: string;
  required: boolean;
  sensitive?: boolean;
}

const USER_CONFIG: Record<string, UserConfigEntry & { env: string }> = {
  okta_org_url: {
    env: "OKTA_ORG_URL",
    type: "string",
    title: "Okta org URL",
    description: "e.g. https://acme.okta.com. Leave empty to use the built-in demo sandbox.",
    required: false,
  },
  okta_api_token: {
    env: "OKTA_API_TOKEN",
    type: "string",
    title: "Okta API token",
    description: "An SSWS API token of an admin with the Application Administrator role.",
    required: false,
    sensitive: true,
  },
  atomicwork_tenant: {
    env: "ATOMICWORK_TENANT",
    type: "string",
    title: "Atomicwork tenant",
    description: "The sub-domain of your Atomicwork tenant (acme for acme.atomicwork.com).",
    required: false,
  },
  atomicwork_api_key: {
    env: "ATOMICWORK_API_KEY",
    type: "string",
    title: "Atomicwork API key",
    description: "A workspace API key (Settings, Integrations, API Keys).",
    required: false,
    sensitive: true,
  },
  atomicwork_workspace_id: {
    env: "ATOMICWORK_WORKSPACE_ID",
    type: "string",
    title: "Atomicwork workspace id",
    description: "The numeric workspace id.",
    required: false,
  },
  iiq_base_url: {
    env: "IIQ_BASE_URL",
    type: "string",
    title: "IdentityIQ SCIM URL",
    description: "e.g. https://iiq.example.com/identityiq/scim/v2",
    required: false,
  },
  iiq_username: {
    env: "IIQ_USERNAME",
    type: "string",
    title: "IdentityIQ user",
    description: "An identity with SCIM rights.",
    required: false,
  },
  iiq_password: {
    env: "IIQ_PASSWORD",
    type: "string",
    title: "IdentityIQ password",
    description: "That identity's password.",
    required: false,
    sensitive: true,
  },
};

export function manifest(): Record<string, unknown> {
  const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
    name: string;
    version: string;
    description: string;
    license: string;
    engines: { node: string };
  };
  return {
    manifest_version: "0.3",
    name: pkg.name,
    display_name: "Entitlements (Okta Identity Governance, Atomicwork, IdentityIQ)",
    version: pkg.version,
    description: pkg.description,
    long_description:
      "Manage who has access to what: entitlements, values, bundles and grants. Every delete and access change " +
      "shows a preview and waits for your confirmation. Without credentials it runs on a built-in demo org.",
    author: { name: "entitlement-mcp contributors" },
    license: pkg.license,
    keywords: ["okta", "identity governance", "entitlements", "iga", "access"],
    server: {
      type: "node",
      entry_point: "dist/entitlement-mcp.mjs",
      mcp_config: {
        command: "node",
        // biome-ignore lint/suspicious/noTemplateCurlyInString: an MCPB substitution, not a template.
        args: ["${__dirname}/dist/entitlement-mcp.mjs"],
        env: Object.fromEntries(
          Object.entries(USER_CONFIG).map(([key, c]) => [c.env, `\${user_config.${key}}`]),
        ),
      },
    },
    tools: [
      ...allOperations.map((op) => ({ name: op.name, description: op.title })),
      { name: "search_entitlements", description: "Search entitlements everywhere" },
    ],
    prompts: PROMPTS.map((p) => ({ name: p.name, description: p.description, text: p.goal })),
    user_config: Object.fromEntries(
      Object.entries(USER_CONFIG).map(([key, { env: _env, ...c }]) => [key, c]),
    ),
    compatibility: { platforms: ["darwin", "win32", "linux"], runtimes: { node: pkg.engines.node } },
  };
}

function run(command: string, args: string[], cwd: string): string {
  return execFileSync(command, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

/** Builds and validates the bundle; returns its path. */
export function buildBundle(outDir = join(ROOT, "bundle")): string {
  const staging = mkdtempSync(join(tmpdir(), "entitlement-mcp-mcpb-"));
  try {
    const tarball = run(
      "npm",
      ["pack", "--ignore-scripts", "--silent", "--pack-destination", staging],
      ROOT,
    ).trim();
    run("tar", ["-xzf", join(staging, tarball), "-C", staging], ROOT);
    const app = join(staging, "package");
    cpSync(join(ROOT, "package-lock.json"), join(app, "package-lock.json"));
    run("npm", ["ci", "--omit=dev", "--ignore-scripts", "--no-audit", "--no-fund"], app);
    rmSync(join(app, "package-lock.json"));
    writeFileSync(join(app, "manifest.json"), `${JSON.stringify(manifest(), null, 2)}\n`);
    const mcpb = join(ROOT, "node_modules", ".bin", "mcpb");
    run(mcpb, ["validate", join(app, "manifest.json")], ROOT);
    mkdirSync(outDir, { recursive: true });
    const version = (manifest() as { version: string }).version;
    const out = join(outDir, `entitlement-mcp-${version}.mcpb`);
    run(mcpb, ["pack", app, out], ROOT);
    return out;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const out = buildBundle();
  process.stderr.write(`Built and validated ${out}\n`);
}
