#!/usr/bin/env node
/**
 * The entry of the bundled bin: turns on Node's on-disk compile cache where Node has one (22.1+), so a
 * second start skips compiling the server, then loads it. On Node 20 this is a no-op.
 */
import * as nodeModule from "node:module";

(nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();
await import("./main.js");
