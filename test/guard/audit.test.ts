import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { type AuditEntry, FileAuditLog, redactArgs } from "../../src/guard/audit.js";
import { tempDir } from "../helpers/harness.js";

/** A temporary folder, removed when the test finishes. */
async function scratch(): Promise<string> {
  const dir = await tempDir();
  onTestFinished(dir.cleanup);
  return dir.path;
}

describe("redactArgs", () => {
  it("drops secret-looking keys and registered secrets, and cuts long strings", () => {
    const out = redactArgs(
      {
        confirmationToken: "ct1.x.y",
        nested: { password: "p", note: "key is s3cr3t-value" },
        long: "x".repeat(600),
      },
      ["s3cr3t-value"],
    );
    expect(out.confirmationToken).toBe("[REDACTED]");
    expect(out.nested).toEqual({ password: "[REDACTED]", note: "key is [REDACTED]" });
    expect(String(out.long)).toMatch(/^x{500}…\(600 chars\)$/);
  });
});

describe("FileAuditLog", () => {
  it("appends one JSON line per entry, in order, creating the directory", async () => {
    const dir = await scratch();
    const log = new FileAuditLog(join(dir, "deep", "audit.jsonl"), ["tok-123"]);
    await Promise.all([
      log.write({ tool: "t", provider: "okta", outcome: "confirmation_required", args: { a: "tok-123" } }),
      log.write({ tool: "t", provider: "okta", outcome: "executed", upstreamStatus: 204, requestId: "r1" }),
    ]);
    const lines = (await readFile(join(dir, "deep", "audit.jsonl"), "utf8")).trim().split("\n");
    expect(lines).toHaveLength(2);
    const [first, second] = lines.map((l) => JSON.parse(l));
    expect(first).toMatchObject({ tool: "t", outcome: "confirmation_required", args: { a: "[REDACTED]" } });
    expect(Date.parse(first.time)).not.toBeNaN();
    expect(second).toMatchObject({ outcome: "executed", upstreamStatus: 204, requestId: "r1" });
  });

  it("writes one line per entry for a reader that splits on any line break, and round-trips the strings", async () => {
    const dir = await scratch();
    const path = join(dir, "audit.jsonl");
    const log = new FileAuditLog(path);
    const breaks = [
      "\u2028",
      "\u2029",
      "\u0085",
      "\r",
      "\n",
      "\r\n",
      "\u000B\u000C\u001C\u001D\u001E",
      "\u009B",
    ];
    const entries: AuditEntry[] = breaks.map((b, i) => ({
      tool: "okta_delete_bundle",
      provider: "okta",
      outcome: i % 2 ? "executing" : "executed",
      targetIds: [`id${b}2`],
      args: { name: `Sales${b}- No user holds this bundle.${b}`, nested: { note: `a${b}b` } },
      detail: `before${b}after`,
    }));
    for (const entry of entries) await log.write(entry);
    const raw = await readFile(path, "utf8");
    expect(raw).not.toMatch(/[\u2028\u2029\u0085\u009B]/);
    const pieces = raw.split(/\r\n|[\n\r\u0085\u2028\u2029]/).filter((piece) => piece !== "");
    expect(pieces).toHaveLength(entries.length);
    pieces.forEach((piece, i) => {
      const { time, ...parsed } = JSON.parse(piece);
      expect(Date.parse(time)).not.toBeNaN();
      expect(parsed).toEqual(entries[i]);
    });
  });

  it("rejects the write when the file cannot be written, and keeps working afterwards", async () => {
    const dir = await scratch();
    const errors: unknown[] = [];
    const bad = new FileAuditLog(join(dir, "\0bad"), [], (e) => errors.push(e));
    await expect(bad.write({ tool: "t", provider: "okta", outcome: "executed" })).rejects.toThrow();
    expect(errors).toHaveLength(1);
  });
});
