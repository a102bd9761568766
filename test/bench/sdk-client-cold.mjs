/**
 * One fresh TypeScript SDK client process, as an assistant's host starts one: spawns the server given on
 * the command line over stdio, calls listTools() (which compiles a validator for every outputSchema) and
 * prints the milliseconds from just before the spawn to listTools()'s answer, as JSON on stdout. Used by
 * run.mjs; the SDK's own import is left out of the time (it is the same for every server).
 *
 *   node test/bench/sdk-client-cold.mjs <server.mjs> [args…]   (environment passed through)
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";

const [command, ...args] = process.argv.slice(2);
const t0 = performance.now();
const transport = new StdioClientTransport({
  command: process.execPath,
  args: [command, ...args],
  env: Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== undefined)),
  stderr: "ignore",
});
const client = new Client({ name: "bench-cold-client", version: "1.0.0" });
await client.connect(transport);
const { tools } = await client.listTools();
const ms = performance.now() - t0;
await client.close();
process.stdout.write(`${JSON.stringify({ ms, tools: tools.length })}\n`);
