/**
 * The HTTP baseline of the benchmark: a bare SDK Streamable HTTP server with a server per session, on
 * node:http, printing its URL on stderr like entitlement-mcp --http does. Its one tool makes the same
 * upstream call as okta_get_entitlement (see bare-upstream-tool.mjs).
 */
import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { registerUpstreamTool } from "./bare-upstream-tool.mjs";

const sessions = new Map();

function mcpServer() {
  const server = new McpServer({ name: "bare", version: "1.0.0" });
  registerUpstreamTool(server);
  return server;
}

const http = createServer(async (req, res) => {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString()) : undefined;
  const id = req.headers["mcp-session-id"];
  let transport = typeof id === "string" ? sessions.get(id) : undefined;
  if (!transport) {
    transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: randomUUID,
      onsessioninitialized: (sid) => sessions.set(sid, transport),
    });
    transport.onclose = () => transport.sessionId && sessions.delete(transport.sessionId);
    await mcpServer().connect(transport);
  }
  await transport.handleRequest(req, res, body);
});

http.listen(0, "127.0.0.1", () => {
  process.stderr.write(`bare MCP server listening on http://127.0.0.1:${http.address().port}/mcp\n`);
});
