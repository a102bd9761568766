/**
 * The stdio baseline of the benchmark: a bare SDK server whose one tool makes the same upstream call as
 * okta_get_entitlement (see bare-upstream-tool.mjs).
 */
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { registerUpstreamTool } from "./bare-upstream-tool.mjs";

const server = new McpServer({ name: "bare-stdio", version: "1.0.0" });
registerUpstreamTool(server);
await server.connect(new StdioServerTransport());
