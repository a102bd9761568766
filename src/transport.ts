/**
 * Transports. stdio today (Streamable HTTP arrives with its security in a later issue).
 * Nothing here writes to stdout but the SDK's transport itself.
 */
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";

/** Serves `server` on this process's stdin/stdout; resolves with a function that closes it. */
export async function startStdio(server: McpServer, onClosed: () => void): Promise<() => Promise<void>> {
  const transport = new StdioServerTransport();
  transport.onclose = onClosed;
  await server.connect(transport);
  // The client closing our stdin is the normal way a stdio server is told to stop.
  process.stdin.once("end", onClosed);
  return () => server.close();
}
