/**
 * Bundles the bin into one minified ESM file (dist/entitlement-mcp.mjs): start-up is dominated by
 * loading hundreds of small modules, and one file loads faster. undici stays external; the upstream
 * client imports it lazily on the first request.
 */
import { chmodSync } from "node:fs";
import { build } from "esbuild";

const outfile = "dist/entitlement-mcp.mjs";
await build({
  entryPoints: ["dist/src/main.js"],
  outfile,
  bundle: true,
  minify: true,
  platform: "node",
  format: "esm",
  target: "node20",
  external: ["undici"],
  // Bundled CommonJS dependencies call require(); ESM has none of its own.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
  logLevel: "warning",
});
chmodSync(outfile, 0o755);
chmodSync("dist/src/main.js", 0o755);
