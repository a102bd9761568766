/**
 * The bin's operations at start: stand-ins made from the manifest (manifest.ts), enough to register every
 * tool, decide its guard class and answer tools/list (rendered at build time) without evaluating any
 * definition's zod schemas, which was the largest part of a cold start after loading code. `load()`
 * imports the enabled providers' definitions; from then on each stand-in reads through to its definition.
 * Nothing may use a stand-in's schemas, route or functions before that: the stdio transport holds every
 * request but initialize, ping and tools/list until load() is done (src/cli/stdio.ts), and HTTP loads
 * before it listens. A read that comes too early fails loudly, never silently.
 */
import type { AnyOperation, Provider } from "../src/core/operation.js";
import { loadOperations } from "./load.js";
import { MANIFEST, type OperationEntry } from "./manifest.js";

export interface DeferredOperations {
  /** The enabled providers' operations, in allOperations' order. */
  operations: AnyOperation[];
  /** Loads the definitions (once); resolves when every stand-in reads through. */
  load(): Promise<void>;
}

/** Fields only the definition has: reading one before load() is a bug. */
const DEFINITION_ONLY = new Set<PropertyKey>([
  "route",
  "input",
  "output",
  "paging",
  "request",
  "shape",
  "followUp",
  "summarize",
]);

/** Stand-ins for the enabled providers' operations, or undefined outside the bin (no manifest: load now). */
export function deferredOperations(providers: readonly Provider[]): DeferredOperations | undefined {
  if (MANIFEST.length === 0) return undefined;
  const definitions = new Map<string, AnyOperation>();
  const entries = MANIFEST.filter((entry) => providers.includes(entry.provider));
  let loading: Promise<void> | undefined;
  const load = async () => {
    const loaded = await loadOperations(providers);
    for (const op of loaded) definitions.set(op.name, op);
    const missing = entries.filter((entry) => !definitions.has(entry.name)).map((entry) => entry.name);
    if (missing.length > 0) {
      throw new Error(`the bin's manifest names operations the definitions lack: ${missing.join(", ")}`);
    }
  };
  return {
    operations: entries.map((entry) => standIn(entry, definitions)),
    load: () => {
      loading ??= load();
      return loading;
    },
  };
}

function standIn(entry: OperationEntry, definitions: ReadonlyMap<string, AnyOperation>): AnyOperation {
  return new Proxy(entry, {
    get(target, key) {
      const definition = definitions.get(target.name);
      if (definition) return Reflect.get(definition, key);
      if (DEFINITION_ONLY.has(key)) {
        throw new Error(
          `${target.name}.${String(key)} was read before the operation definitions loaded: a request reached ` +
            "the server before the stdio transport released it (tools/deferred.ts).",
        );
      }
      return Reflect.get(target, key);
    },
    has(target, key) {
      const definition = definitions.get(target.name);
      return definition ? key in definition : key in target;
    },
  }) as unknown as AnyOperation;
}
