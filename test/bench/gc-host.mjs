/**
 * Runs the entitlement-mcp bin (argv[2] onward are its arguments) in a process started with --expose-gc, so
 * the benchmark can ask for the server's memory after a full collection: on SIGUSR2 it collects twice and
 * writes `bench-memory {"rss":…,"heapUsed":…}` to stderr. Only the benchmark uses it.
 */
import { fileURLToPath } from "node:url";

process.on("SIGUSR2", () => {
  globalThis.gc?.();
  globalThis.gc?.();
  const { rss, heapUsed } = process.memoryUsage();
  process.stderr.write(`bench-memory ${JSON.stringify({ rss, heapUsed })}\n`);
});
await import(fileURLToPath(new URL("../../dist/entitlement-mcp.mjs", import.meta.url)));
