/**
 * tools/list entries rendered at build time, by tool name, for the default options (creates are not
 * confirmed). Empty in the compiled sources (the list is then rendered live); scripts/bundle.mjs replaces
 * this module in the bin with what the built server renders.
 */
import type { Tool } from "@modelcontextprotocol/sdk/types.js";

export const PRERENDERED: Readonly<Record<string, Tool>> = {};
