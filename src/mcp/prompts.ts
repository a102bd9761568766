/**
 * Registers the prompts of prompts/ with completion of their arguments from the enabled providers
 * (people from the user searches, apps from the app lists, access from bundle and entitlement names).
 */
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import { type Completion, PROMPTS, renderPrompt } from "../../prompts/index.js";
import { type PromptArgument, registerPrompt } from "./register.js";
import { itemsOf, type Runner } from "./runner.js";

const MAX = 20;

type Source = {
  tool: string;
  input: (value: string) => Record<string, unknown>;
  label: (item: Record<string, unknown>) => unknown;
};

const SOURCES: Record<Completion, Source[]> = {
  person: [
    {
      tool: "okta_search_users",
      input: (q) => ({ q, limit: MAX }),
      label: (u) => {
        const p = (u.profile ?? {}) as Record<string, unknown>;
        return [p.firstName, p.lastName].filter(Boolean).join(" ") || p.login;
      },
    },
  ],
  app: [
    { tool: "okta_search_apps", input: (q) => ({ q, limit: MAX }), label: (a) => a.label ?? a.name },
    { tool: "atomicwork_list_apps", input: (q) => ({ search_key: q, per_page: MAX }), label: (a) => a.name },
  ],
  access: [
    { tool: "okta_list_bundles", input: (q) => ({ nameContains: q, limit: MAX }), label: (b) => b.name },
    {
      tool: "atomicwork_list_entitlements",
      input: (q) => ({ search_key: q, per_page: MAX }),
      label: (e) => e.name,
    },
    {
      tool: "iiq_list_entitlements",
      input: (q) => ({ nameContains: q, count: MAX }),
      label: (e) => e.displayableName,
    },
  ],
};

/** Completion values for `value` from every available source; failures just yield nothing. */
async function complete(runner: Runner, kind: Completion, value: string): Promise<string[]> {
  const q = value.trim();
  if (q.length < 1) return [];
  const sources = SOURCES[kind].filter((s) => runner.has(s.tool));
  const lists = await Promise.all(
    sources.map((s) =>
      runner
        .run(s.tool, s.input(q))
        .then((r) => itemsOf(r).map(s.label))
        .catch(() => []),
    ),
  );
  const names = lists.flat().filter((n): n is string => typeof n === "string" && n.length > 0);
  return [...new Set(names)].slice(0, 100);
}

export function registerPrompts(
  server: McpServer,
  runner: Runner,
  availableTools: ReadonlySet<string>,
): void {
  for (const def of PROMPTS) {
    const args: Record<string, PromptArgument> = {};
    for (const [name, arg] of Object.entries(def.args)) {
      const base = arg.required ? z.string().min(1).max(500) : z.string().max(500).optional();
      const kind = arg.complete;
      args[name] = {
        schema: base.describe(arg.description),
        complete: kind ? (value) => complete(runner, kind, value) : undefined,
      };
    }
    registerPrompt(
      server,
      def.name,
      { title: def.title, description: def.description, args },
      (values: Record<string, string | undefined>) => ({
        description: def.description,
        messages: [
          { role: "user", content: { type: "text", text: renderPrompt(def, values, availableTools) } },
        ],
      }),
    );
  }
}
