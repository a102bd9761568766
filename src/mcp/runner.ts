/**
 * Runs registered read operations by name, for the parts of the server that compose them (catalog
 * resources, prompt completions, the cross-provider search). Input is validated by the operation's own
 * schema, so a composed read obeys the same rules as a tool call.
 */
import type { RunRead } from "../core/compose.js";
import type { AnyOperation } from "../core/operation.js";
import type { UpstreamClient } from "../upstream/client.js";
import { executeOperation } from "./execute.js";

export type RunOperation = RunRead;

export interface Runner {
  run: RunRead;
  has(name: string): boolean;
}

export function createRunner(operations: readonly AnyOperation[], upstream: UpstreamClient): Runner {
  const byName = new Map(operations.map((op) => [op.name, op]));
  return {
    has: (name) => byName.has(name),
    async run(name, input, signal) {
      const op = byName.get(name);
      if (!op) throw new Error(`${name} is not registered`);
      if (!op.annotations.readOnlyHint) throw new Error(`${name} is not a read; only reads are composed`);
      return (await executeOperation(upstream, op, op.input.parse(input), signal)).structured;
    },
  };
}

export { itemsOf } from "../core/compose.js";
