/**
 * Bundles the bin into minified ESM (dist/entitlement-mcp.mjs plus chunks in dist/chunks/): start-up is
 * dominated by loading and compiling code, so
 * - hundreds of small modules become one file;
 * - what only some runs need (the sandbox, HTTP, jose for OAuth) is split into chunks loaded on demand;
 * - code this server never runs is left out: zod's 50 error-message locales (it uses English), the SDK's
 *   Zod 3 support (zod/v3, zod-to-json-schema), which only Zod 3 schemas reach, and the SDK's default Ajv
 *   validator, which createServer replaces (formAnswerValidator). Those stubs throw if ever called, so a
 *   mistake is loud, and the end-to-end tests run this bundle.
 * Two modules are replaced by what the built server renders (see renderToolList, operationManifest): the
 * tools/list with the default options, and a manifest of the operations, from which the bin registers its
 * tools and loads their definitions (their zod schemas) only after a session's first answers.
 * The entry (src/cli/bin.ts) only turns on Node's compile cache (22.1+) and imports the rest, so that cache
 * covers the server itself. undici stays external; the upstream client imports it on the first request.
 */
import { chmodSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
const zodDir = join(root, "node_modules", "zod");

const notBundled = (what) =>
  `const unavailable = () => { throw new Error("${what} is not bundled in entitlement-mcp"); };`;

/** Replaces modules with small stand-ins (see above). */
const leaveOut = {
  name: "leave-out",
  setup(b) {
    // zod imports its locale table as one namespace; keep English, which zod configures by default.
    b.onResolve({ filter: /\/locales\/index\.js$/ }, (args) =>
      args.importer.startsWith(zodDir) ? { path: args.importer, namespace: "zod-locales" } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: "zod-locales" }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(join(zodDir, "v4", "locales", "en.js"))};`,
      resolveDir: dirname(args.path),
    }));
    b.onResolve({ filter: /\/validation\/ajv-provider\.js$/ }, (args) =>
      args.importer.includes("@modelcontextprotocol") ? { path: args.path, namespace: "no-ajv" } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: "no-ajv" }, () => ({
      contents: `${notBundled("Ajv")} export class AjvJsonSchemaValidator { constructor() { unavailable(); } }`,
    }));
    b.onResolve({ filter: /^(zod\/v3|zod-to-json-schema)$/ }, (args) => ({
      path: args.path,
      namespace: "zod3",
    }));
    b.onLoad({ filter: /.*/, namespace: "zod3" }, (args) => ({
      contents:
        args.path === "zod/v3"
          ? `${notBundled("Zod 3")} export const object = unavailable;`
          : `${notBundled("zod-to-json-schema")} export const zodToJsonSchema = unavailable;`,
    }));
  },
};

/** What the compiled server answers to tools/list with every toolset and the default options, by name. */
async function renderToolList() {
  const dist = (path) => import(new URL(`../dist/src/${path}`, import.meta.url).href);
  const [{ createServer }, { UpstreamClient }, { ConfirmationTokens }, { allOperations }] = await Promise.all(
    [
      dist("mcp/server.js"),
      dist("upstream/client.js"),
      dist("guard/confirm-token.js"),
      import(new URL("../dist/tools/index.js", import.meta.url).href),
    ],
  );
  const server = createServer(
    {
      toolsets: ["okta", "atomicwork", "sailpoint-iiq"],
      readOnly: false,
      confirmCreates: false,
      elicitationTimeoutMs: 1000,
      processCaller: "build",
    },
    {
      upstream: new UpstreamClient({ providers: {} }),
      audit: { write() {}, flush: async () => {} },
      tokens: new ConfirmationTokens("x".repeat(32), 60_000),
      onAuditError() {},
      operations: allOperations,
    },
  );
  const list = await server.server._requestHandlers.get("tools/list")({ method: "tools/list" }, {});
  return Object.fromEntries(list.tools.map((tool) => [tool.name, tool]));
}

/** What the bin needs of each operation before its first call (tools/manifest.ts), in allOperations' order. */
async function operationManifest() {
  const { allOperations } = await import(new URL("../dist/tools/index.js", import.meta.url).href);
  return allOperations.map(({ name, title, description, provider, annotations, guard }) => ({
    name,
    title,
    description,
    provider,
    annotations,
    guard: guard === "none" ? "none" : { effects: guard.effects },
  }));
}

const prerendered = {
  name: "prerendered-tools",
  setup(b) {
    b.onResolve({ filter: /\/manifest\.js$/ }, (args) =>
      args.importer.startsWith(join(root, "dist", "tools"))
        ? { path: args.path, namespace: "manifest" }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: "manifest" }, async () => ({
      contents: `export const MANIFEST = JSON.parse(${JSON.stringify(JSON.stringify(await operationManifest()))});`,
    }));
    b.onResolve({ filter: /\/prerendered-tools\.js$/ }, (args) => ({
      path: args.path,
      namespace: "prerendered",
    }));
    b.onLoad({ filter: /.*/, namespace: "prerendered" }, async () => ({
      // A JSON string parses much faster than the same data as a JavaScript object literal.
      contents: `export const PRERENDERED = JSON.parse(${JSON.stringify(JSON.stringify(await renderToolList()))});`,
    }));
  },
};

rmSync(join(root, "dist", "chunks"), { recursive: true, force: true });
await build({
  entryPoints: { "entitlement-mcp": "dist/src/cli/bin.js" },
  outdir: "dist",
  outExtension: { ".js": ".mjs" },
  chunkNames: "chunks/[name]-[hash]",
  splitting: true,
  bundle: true,
  minify: true,
  platform: "node",
  format: "esm",
  target: "node20",
  external: ["undici"],
  plugins: [leaveOut, prerendered],
  // Bundled CommonJS dependencies call require(); ESM has none of its own.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
  logLevel: "warning",
});
chmodSync("dist/entitlement-mcp.mjs", 0o755);
chmodSync("dist/src/cli/main.js", 0o755);
