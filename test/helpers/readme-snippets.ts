/**
 * The README's client snippets, read as a person copies them: the stdio configurations of "Add it to your
 * client" (JSON of Claude Desktop, Cursor and VS Code; `claude mcp add` lines) and the URL forms of HTTP.
 * Tests start what these say, so a snippet that drifts from what works fails a test.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./harness.js";

export const README = readFileSync(join(ROOT, "README.md"), "utf8");

/** A server a client starts over stdio: the command, its arguments and its environment. */
export interface StdioSnippet {
  where: string;
  command: string;
  args: string[];
  env: Record<string, string>;
}

/** A server a client reaches by URL, with the headers it sends. */
export interface HttpSnippet {
  where: string;
  url: string;
  headers: Record<string, string>;
}

/** The text of a `## heading` section, up to the next `## `. */
export function section(markdown: string, heading: string): string {
  const start = markdown.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`README.md has no "## ${heading}" section`);
  const end = markdown.indexOf("\n## ", start + 1);
  return markdown.slice(start, end < 0 ? undefined : end);
}

/** Fenced code blocks, each with its language and the words that introduce it (the line before it). */
export function codeBlocks(markdown: string): { lang: string; body: string; label: string }[] {
  const blocks: { lang: string; body: string; label: string }[] = [];
  const fence = /^```(\w*)\n([\s\S]*?)^```$/gm;
  for (const match of markdown.matchAll(fence)) {
    // The first line of the paragraph just before the block ("**Claude Desktop** (...", "Okta in Cursor, ...").
    const paragraph = markdown.slice(0, match.index).trimEnd().split("\n\n").at(-1) ?? "";
    const before = paragraph.split("\n")[0] ?? "";
    const label =
      before
        .replace(/\*\*/g, "")
        .split(/ \(|:|,/)[0]
        ?.trim() ?? "";
    blocks.push({ lang: match[1] ?? "", body: match[2] ?? "", label });
  }
  return blocks;
}

type ServerEntry = { command?: string; args?: string[]; env?: Record<string, string>; url?: string };

/** Each server entry of a client's JSON (Claude Desktop and Cursor: mcpServers; VS Code: servers). */
function jsonServers(body: string, where: string): [string, ServerEntry][] {
  const parsed = JSON.parse(body) as {
    mcpServers?: Record<string, ServerEntry>;
    servers?: Record<string, ServerEntry>;
  };
  const servers = parsed.mcpServers ?? parsed.servers;
  if (!servers) throw new Error(`${where}: neither mcpServers nor servers`);
  return Object.entries(servers).map(([name, entry]) => [`${where} (server "${name}")`, entry]);
}

/** `claude mcp add NAME [-e K=V]... -- COMMAND ARGS...`, as a shell splits it (the README quotes nothing there). */
function claudeStdio(line: string, where: string): StdioSnippet {
  const words = line.trim().split(/\s+/);
  const dashes = words.indexOf("--");
  if (dashes < 0) throw new Error(`${where}: no "--" before the command: ${line}`);
  const env: Record<string, string> = {};
  const options = words.slice(3, dashes);
  for (let i = 0; i < options.length; i++) {
    if (options[i] === "-e") {
      const [key, ...value] = (options[++i] ?? "").split("=");
      env[key ?? ""] = value.join("=");
    }
  }
  const [command = "", ...args] = words.slice(dashes + 1);
  return { where, command, args, env };
}

/** `claude mcp add --transport http NAME URL [--header "K: V"]`. */
function claudeHttp(line: string, where: string): HttpSnippet {
  const match = /^claude mcp add --transport http \S+ (\S+)(?: --header "([^:]+): ([^"]+)")?\s*(#.*)?$/.exec(
    line.trim(),
  );
  if (!match?.[1]) throw new Error(`${where}: not a claude mcp add --transport http line: ${line}`);
  return { where, url: match[1], headers: match[2] && match[3] ? { [match[2]]: match[3] } : {} };
}

/** Every stdio configuration in "Add it to your client", in the order they appear. */
export function stdioSnippets(readme = README): StdioSnippet[] {
  const out: StdioSnippet[] = [];
  for (const block of codeBlocks(section(readme, "Add it to your client"))) {
    const where = `README, ${block.label}`;
    if (block.lang === "json") {
      for (const [name, entry] of jsonServers(block.body, where)) {
        if (!entry.command) throw new Error(`${name}: no command`);
        out.push({ where: name, command: entry.command, args: entry.args ?? [], env: entry.env ?? {} });
      }
    } else if (block.lang === "sh") {
      for (const line of block.body.split("\n")) {
        if (line.startsWith("claude mcp add ")) out.push(claudeStdio(line, where));
      }
    }
  }
  return out;
}

/** Every URL form of a section: JSON entries with a url, and `claude mcp add --transport http` lines. */
export function httpSnippets(heading: string, readme = README): HttpSnippet[] {
  const out: HttpSnippet[] = [];
  for (const block of codeBlocks(section(readme, heading))) {
    const where = `README, ${heading}, ${block.label}`;
    if (block.lang === "json") {
      for (const [name, entry] of jsonServers(block.body, where)) {
        const headers = (entry as { headers?: Record<string, string> }).headers ?? {};
        if (entry.url) out.push({ where: name, url: entry.url, headers });
      }
    } else if (block.lang === "sh") {
      for (const line of block.body.split("\n")) {
        if (line.trim().startsWith("claude mcp add --transport http")) out.push(claudeHttp(line, where));
      }
    }
  }
  return out;
}

/** The URL forms `npm start` prints (Claude Code's line, Cursor's and VS Code's JSON), by client. */
export function printedHttpSnippets(stderr: string): HttpSnippet[] {
  const out: HttpSnippet[] = [];
  for (const line of stderr.split("\n")) {
    const client = /^ {2}(Claude Code|Cursor|VS Code)[^:]*: (.*)$/.exec(line);
    if (!client?.[1] || !client[2]) continue;
    if (client[1] === "Claude Code") out.push(claudeHttp(client[2], "npm start: Claude Code"));
    else {
      for (const [where, entry] of jsonServers(client[2], `npm start: ${client[1]}`)) {
        const headers = (entry as { headers?: Record<string, string> }).headers ?? {};
        if (entry.url) out.push({ where, url: entry.url, headers });
      }
    }
  }
  return out;
}
