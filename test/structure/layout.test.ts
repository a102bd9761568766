/**
 * The house (DESIGN §3): each folder a layer that imports only the layers below it, one column per
 * provider (definitions, emulator routes, tests), and no file too long to read. Each rule is shown to
 * catch a file in the wrong room, then checked on the real tree.
 */
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/harness.js";
import {
  layerOf,
  layerViolations,
  MAX_LINES,
  mirrorViolations,
  oversizeViolations,
  sourceTree,
} from "../helpers/import-graph.js";

/** Files allowed over MAX_LINES, each with the reason. */
const LONG_FILES = new Map([
  [
    "src/sandbox/okta/data.ts",
    "demo data: the seeded org (apps, users, entitlements, bundles, grants) as one table",
  ],
]);

const CODE = (name: string) => /\.(ts|mts|mjs|js)$/.test(name);

describe("the layer rules", () => {
  it("catch a file in the wrong room", () => {
    const wrong = new Map([
      ["src/core/leaky.ts", 'import { createServer } from "../mcp/server.js";\n'],
      ["src/guard/ask.ts", 'import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";\n'],
      ["tools/okta/io.ts", 'import { UpstreamClient } from "../../src/upstream/client.js";\n'],
      ["src/upstream/lazy.ts", 'const m = await import("../guard/guard.js");\n'],
      ["src/sandbox/peek.ts", 'export { VERSION } from "../core/version.js";\n'],
    ]);
    expect(layerViolations(wrong)).toEqual([
      "src/core/leaky.ts: imports src/mcp/server.ts (src/core may import nothing outside itself)",
      "src/guard/ask.ts: imports @modelcontextprotocol/sdk/server/mcp.js (only the MCP layer (and the CLI that wires it) builds servers)",
      "src/guard/ask.ts: imports @modelcontextprotocol/sdk/server/mcp.js (below the MCP layer, only the SDK's protocol types may be named)",
      "tools/okta/io.ts: imports src/upstream/client.ts (tools may import src/core)",
      "src/upstream/lazy.ts: imports src/guard/guard.ts (src/upstream may import src/core)",
      "src/sandbox/peek.ts: imports src/core/version.ts (src/sandbox may import nothing outside itself)",
    ]);
    const right = new Map([
      [
        "src/mcp/ok.ts",
        'import { Guard } from "../guard/guard.js";\nimport type { Tool } from "@modelcontextprotocol/sdk/types.js";\n',
      ],
      ["tools/okta/ok.ts", 'import { defineOperation } from "../../src/core/operation.js";\n'],
    ]);
    expect(layerViolations(right)).toEqual([]);
  });

  it("hold on the real tree", () => {
    expect(layerViolations(sourceTree(ROOT))).toEqual([]);
  });

  it("leave no shipped file outside a room", () => {
    const homeless = [...sourceTree(ROOT).keys()].filter((path) => !layerOf(path));
    expect(homeless).toEqual([]);
  });
});

describe("the provider columns", () => {
  it("catch a definitions file without emulator routes, and a provider without tests", () => {
    const paths = [
      "tools/index.ts",
      "tools/okta/index.ts",
      "tools/okta/catalog.ts",
      "tools/okta/grants.ts",
      "tools/okta/tickets.ts",
      "tools/okta/previews/tickets.ts",
      "src/sandbox/okta/routes/grants.ts",
      "test/providers/okta/grants.test.ts",
      "tools/jira/issues.ts",
      "src/sandbox/jira/routes/issues.ts",
      "test/providers/jira/helpers.ts",
    ];
    expect(mirrorViolations(paths)).toEqual([
      "tools/okta/tickets.ts: has no emulator routes src/sandbox/okta/routes/tickets.ts (add them next to the others)",
      "tools/jira/: has no tests in test/providers/jira/ (add at least one)",
    ]);
    expect(
      mirrorViolations([
        "tools/jira/issues.ts",
        "src/sandbox/jira/routes/issues.ts",
        "test/providers/jira/issues.test.ts",
      ]),
    ).toEqual([]);
  });

  it("hold on the real tree", () => {
    const paths = sourceTree(ROOT, ["tools", "src/sandbox", "test/providers"]).keys();
    expect(mirrorViolations(paths)).toEqual([]);
  });
});

describe("the size bound", () => {
  const lines = (n: number) => "x\n".repeat(n);

  it("catches a file over the bound, and an exception that is stale or gone", () => {
    const files = new Map([
      ["src/mcp/big.ts", lines(MAX_LINES + 1)],
      ["src/mcp/ok.ts", lines(MAX_LINES)],
      ["test/guard/long.test.ts", lines(900)],
      ["src/sandbox/okta/data.ts", lines(2_000)],
      ["src/sandbox/atomicwork/data.ts", lines(80)],
    ]);
    const exceptions = new Map([
      ["src/sandbox/okta/data.ts", "demo data"],
      ["src/sandbox/atomicwork/data.ts", "demo data"],
      ["src/sandbox/gone.ts", "demo data"],
    ]);
    expect(oversizeViolations(files, exceptions)).toEqual([
      "src/mcp/big.ts: 601 lines (over 600: split it by resource or concern)",
      "test/guard/long.test.ts: 900 lines (over 600: split it by resource or concern)",
      "src/sandbox/atomicwork/data.ts: 80 lines, listed as an exception it no longer needs (remove it from the list)",
      "src/sandbox/gone.ts: listed as an exception but not found (remove it from the list)",
    ]);
  });

  it("holds for the sources (src, tools, prompts, scripts), demo data excepted", () => {
    expect(
      oversizeViolations(sourceTree(ROOT, ["src", "tools", "prompts", "scripts"], CODE), LONG_FILES),
    ).toEqual([]);
  });

  it("holds for the tests, with no exception", () => {
    expect(oversizeViolations(sourceTree(ROOT, ["test"], CODE))).toEqual([]);
  });
});
