/**
 * Registers the prompts of prompts/ with completion of their arguments from the enabled providers
 * (people from the user searches, apps from the app lists, access from bundle and entitlement names).
 */
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import { type Completion, PROMPTS, renderPrompt } from "../../prompts/index.js";
import { COMPLETIONS } from "../../tools/catalogs.js";
import { type PromptArgument, registerPrompt } from "./register.js";
import { itemsOf, type Runner } from "./runner.js";

const MAX = 20;

/** Completion values for `value` from every available source; failures just yield nothing. */
async function complete(runner: Runner, kind: Completion, value: string): Promise<string[]> {
  const q = value.trim();
  if (q.length < 1) return [];
  const sources = COMPLETIONS.filter((s) => s.kind === kind && runner.has(s.tool));
  const lists = await Promise.all(
    sources.map((s) =>
      runner
        .run(s.tool, s.input(q, MAX))
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
