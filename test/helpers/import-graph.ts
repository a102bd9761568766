/**
 * The house's rules (DESIGN §3), as pure functions over file paths and texts, so each rule can be shown
 * to catch a file in the wrong room as well as checked on the real tree:
 * - the layers: each folder may import only the layers below it (the import graph, read from the text);
 * - the provider columns: every definitions file has its emulator routes, every provider its tests;
 * - the size bound: no file over ~600 lines but the demo data listed with its reason.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, posix } from "node:path";

/** A layer: a folder, and the layers (or single files) its files may import. */
export interface Layer {
  dir: string;
  may: readonly string[];
}

/** Which room may import which, bottom up. A path in `may` allows that file or folder only. */
export const LAYERS: readonly Layer[] = [
  { dir: "src/core", may: [] },
  { dir: "src/upstream", may: ["src/core"] },
  // The sandbox's fixed, documented credentials are data the endpoints for it need.
  { dir: "src/providers", may: ["src/core", "src/upstream", "src/sandbox/credentials.ts"] },
  { dir: "src/guard", may: ["src/core", "src/upstream"] },
  // State replicas share (Redis): stores behind the interfaces the guard and the upstream client define.
  { dir: "src/replicas", may: ["src/core", "src/upstream", "src/guard"] },
  // The emulator stands alone; inside it, each provider builds on the kit and never on another provider.
  { dir: "src/sandbox", may: [] },
  { dir: "src/sandbox/kit", may: [] },
  { dir: "src/sandbox/okta", may: ["src/sandbox/kit", "src/sandbox/credentials.ts"] },
  { dir: "src/sandbox/atomicwork", may: ["src/sandbox/kit", "src/sandbox/credentials.ts"] },
  { dir: "src/sandbox/sailpoint-iiq", may: ["src/sandbox/kit", "src/sandbox/credentials.ts"] },
  { dir: "tools", may: ["src/core"] },
  { dir: "prompts", may: ["src/core"] },
  { dir: "src/mcp", may: ["src/core", "src/upstream", "src/guard", "tools", "prompts"] },
  {
    dir: "src/cli",
    may: [
      "src/core",
      "src/upstream",
      "src/providers",
      "src/guard",
      "src/replicas",
      "src/mcp",
      "src/sandbox",
      "tools",
      "prompts",
    ],
  },
];

/** Packages only some layers may import (the SDK's server side belongs to the MCP layer and the CLI). */
export const PACKAGE_RULES: readonly { pattern: RegExp; only: readonly string[]; why: string }[] = [
  {
    pattern: /^@modelcontextprotocol\/sdk\/server\//,
    only: ["src/mcp", "src/cli"],
    why: "only the MCP layer (and the CLI that wires it) builds servers",
  },
  {
    pattern: /^@modelcontextprotocol\/sdk\/(?!types\.js$)/,
    only: ["src/mcp", "src/cli"],
    why: "below the MCP layer, only the SDK's protocol types may be named",
  },
  {
    pattern: /^undici$/,
    only: ["src/upstream", "src/providers"],
    why: "HTTP to upstreams is the upstream layer's",
  },
];

/** The relative and package imports of a source text (static, dynamic and re-exports). */
export function importsOf(text: string): string[] {
  const specs: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^;]*?\bfrom\s*["']([^"']+)["']/g))
    specs.push(m[1] ?? "");
  for (const m of text.matchAll(/(?:^|\n)\s*import\s*["']([^"']+)["']/g)) specs.push(m[1] ?? "");
  for (const m of text.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g)) specs.push(m[1] ?? "");
  return specs;
}

/** The repository path an import of `file` names: `../core/x.js` -> `src/core/x.ts`; packages as they are. */
export function resolveImport(file: string, spec: string): string {
  if (!spec.startsWith(".")) return spec;
  return posix.normalize(posix.join(posix.dirname(file), spec)).replace(/\.js$/, ".ts");
}

/** The innermost room a path is in (src/sandbox/okta/x.ts is in src/sandbox/okta, not src/sandbox). */
export function layerOf(path: string): Layer | undefined {
  return LAYERS.filter((l) => path === l.dir || path.startsWith(`${l.dir}/`)).sort(
    (a, b) => b.dir.length - a.dir.length,
  )[0];
}

const within = (path: string, room: string) => path === room || path.startsWith(`${room}/`);

/** Every import that breaks a rule, as `file: imports target (why)`. */
export function layerViolations(files: ReadonlyMap<string, string>): string[] {
  const out: string[] = [];
  for (const [file, text] of files) {
    const layer = layerOf(file);
    if (!layer) continue;
    for (const spec of importsOf(text)) {
      const target = resolveImport(file, spec);
      if (spec.startsWith(".")) {
        if (within(target, layer.dir)) continue;
        if (layer.may.some((room) => within(target, room))) continue;
        out.push(
          `${file}: imports ${target} (${layer.dir} may import ${layer.may.join(", ") || "nothing outside itself"})`,
        );
        continue;
      }
      for (const rule of PACKAGE_RULES) {
        if (rule.pattern.test(spec) && !rule.only.some((room) => within(file, room))) {
          out.push(`${file}: imports ${spec} (${rule.why})`);
        }
      }
    }
  }
  return out;
}

/** The sources (by default the TypeScript) of the shipped folders, by repository path. */
export function sourceTree(
  root: string,
  dirs: readonly string[] = ["src", "tools", "prompts"],
  isSource: (name: string) => boolean = (name) => name.endsWith(".ts"),
): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else if (isSource(entry.name)) files.set(path, readFileSync(join(root, path), "utf8"));
    }
  };
  for (const dir of dirs) walk(dir);
  return files;
}

/** Files directly in tools/<provider>/ that are not definitions of a resource. */
const NOT_A_RESOURCE = new Set(["index.ts", "catalog.ts"]);

/**
 * The provider columns: every definitions file tools/<p>/<resource>.ts has the emulator's routes for it,
 * src/sandbox/<p>/routes/<resource>.ts, and every provider has at least one test in test/providers/<p>/.
 * `paths` are repository paths; a fourth provider means adding these folders, not editing a list.
 */
export function mirrorViolations(paths: Iterable<string>): string[] {
  const all = new Set(paths);
  const out: string[] = [];
  const providers = new Set<string>();
  for (const path of all) {
    const definition = /^tools\/([^/]+)\/([^/]+)\.ts$/.exec(path);
    if (!definition) continue;
    const [, provider = "", resource = ""] = definition;
    providers.add(provider);
    if (NOT_A_RESOURCE.has(`${resource}.ts`)) continue;
    const routes = `src/sandbox/${provider}/routes/${resource}.ts`;
    if (!all.has(routes)) out.push(`${path}: has no emulator routes ${routes} (add them next to the others)`);
  }
  for (const provider of [...providers].sort()) {
    const tested = [...all].some(
      (p) => p.startsWith(`test/providers/${provider}/`) && p.endsWith(".test.ts"),
    );
    if (!tested)
      out.push(`tools/${provider}/: has no tests in test/providers/${provider}/ (add at least one)`);
  }
  return out;
}

/** The most lines a file may have before it is split by resource or concern. */
export const MAX_LINES = 600;

/** Every file over `MAX_LINES` that is not an exception, and every exception that no longer needs to be. */
export function oversizeViolations(
  files: ReadonlyMap<string, string>,
  exceptions: ReadonlyMap<string, string> = new Map(),
): string[] {
  const out: string[] = [];
  for (const [path, text] of files) {
    const lines = text.split("\n").length - (text.endsWith("\n") ? 1 : 0);
    if (lines > MAX_LINES && !exceptions.has(path)) {
      out.push(`${path}: ${lines} lines (over ${MAX_LINES}: split it by resource or concern)`);
    }
    if (lines <= MAX_LINES && exceptions.has(path)) {
      out.push(
        `${path}: ${lines} lines, listed as an exception it no longer needs (remove it from the list)`,
      );
    }
  }
  for (const path of exceptions.keys()) {
    if (!files.has(path)) out.push(`${path}: listed as an exception but not found (remove it from the list)`);
  }
  return out;
}
