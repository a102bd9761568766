/**
 * What the server needs of each operation before its first call, by tool name, in allOperations' order:
 * enough to register the tool and decide its guard class without building its zod schemas. Empty in the
 * compiled sources (operations are then loaded at start); scripts/bundle.mjs replaces this module in the
 * bin with the built definitions' entries (see deferred.ts).
 */
import type { Annotations, EffectKind, Provider } from "../src/core/operation.js";

export interface OperationEntry {
  name: string;
  title: string;
  description: string;
  provider: Provider;
  annotations: Annotations;
  /** `"none"` for reads, else the effects the guard policy may find. */
  guard: "none" | { effects: readonly EffectKind[] };
}

export const MANIFEST: readonly OperationEntry[] = [];
