/** The package version, read once from package.json (which ships beside dist/). */
import { readFileSync } from "node:fs";

function readVersion(): string {
  for (const rel of ["../package.json", "../../package.json", "../../../package.json"]) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), "utf8")) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === "entitlement-mcp" && pkg.version) return pkg.version;
    } catch {
      // not at this depth: src/core/ when run from source, dist/src/core/ when built, dist/ bundled
    }
  }
  return "0.0.0";
}

export const VERSION = readVersion();
