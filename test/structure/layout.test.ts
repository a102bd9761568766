/**
 * The house (DESIGN §3): each folder a layer that imports only the layers below it. The rules are shown
 * to catch a file in the wrong room, then checked on the real tree.
 */
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/harness.js";
import { layerOf, layerViolations, sourceTree } from "../helpers/import-graph.js";

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
