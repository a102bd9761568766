import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { FileAuditLog, redactArgs } from "../src/audit.js";

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

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
    dir = await mkdtemp(join(tmpdir(), "audit-"));
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

  it("rejects the write when the file cannot be written, and keeps working afterwards", async () => {
    dir = await mkdtemp(join(tmpdir(), "audit-"));
    const errors: unknown[] = [];
    const bad = new FileAuditLog(join(dir, "\0bad"), [], (e) => errors.push(e));
    await expect(bad.write({ tool: "t", provider: "okta", outcome: "executed" })).rejects.toThrow();
    expect(errors).toHaveLength(1);
  });
});
