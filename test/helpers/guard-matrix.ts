/**
 * The guard matrix (DESIGN §2.4) as a reusable runner: every guarded tool x every way a confirmation can
 * go, through a real Client against the sandbox over real HTTP. The upstream write must happen exactly in
 * the two confirmed cases (a correct token, an elicitation that accepts), and every outcome must reach
 * the audit log. Each provider's test file passes its cases.
 */

import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { beforeEach, describe, expect, it } from "vitest";
import { type RecordedRequest, SANDBOX_CREDENTIALS, type Sandbox } from "../../src/sandbox/index.js";
import { call, type ElicitAnswer, type ElicitParams, sandboxGet, structured, text } from "./harness.js";
import { testServer } from "./test-server.js";

export interface GuardCase {
  tool: string;
  args: Record<string, unknown>;
  /** The same tool with other arguments (a token minted for `args` must not work for these). */
  otherArgs: Record<string, unknown>;
  /** The upstream write this call makes. */
  write: { method: string; path: string };
  /** What the sandbox holds that the write would change: a GET path, or a function that reads it. */
  readBack: string | ((sandbox: Sandbox) => Promise<unknown>);
  /** Changes the target behind the server's back, so a preview goes stale. */
  changeTarget: (sandbox: Sandbox) => Promise<void>;
  /** Makes the state in which `args` alters somebody's access (e.g. gives a bundle a holder). */
  setup?: (sandbox: Sandbox) => Promise<void>;
}

/** Sends a request straight to the sandbox (not through the server), with Okta's sandbox token unless told. */
export async function sandboxSend(
  sandbox: Sandbox,
  method: string,
  path: string,
  body: unknown,
  headers: Record<string, string> = { Authorization: `SSWS ${SANDBOX_CREDENTIALS.okta.apiToken}` },
): Promise<unknown> {
  const res = await fetch(`${sandbox.url}${path}`, {
    method,
    headers: { Accept: "application/json", "Content-Type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  if (res.status >= 300) throw new Error(`${method} ${path} -> ${res.status} ${await res.text()}`);
  return res.status === 204 ? undefined : res.json();
}

/** Accepts, typing the requested name when the form asks for one. */
const ACCEPT: ElicitAnswer = (params: ElicitParams) => {
  const nameField = params.requestedSchema.properties.name?.description;
  const name = nameField?.match(/Type "(.*)" exactly/)?.[1];
  const content: Record<string, string | boolean> = { confirm: true };
  if (name !== undefined) content.name = name;
  return { action: "accept", content };
};

/** Accepts the form (typing the name when asked) but leaves "confirm" unticked. */
const REFUSE_TICK = (params: ElicitParams) => {
  const answer = (ACCEPT as (p: ElicitParams) => { action: "accept"; content: Record<string, unknown> })(
    params,
  );
  return {
    action: "accept" as const,
    content: { ...answer.content, confirm: false } as Record<string, string | boolean>,
  };
};

async function readBack(sandbox: Sandbox, c: GuardCase): Promise<unknown> {
  return typeof c.readBack === "string" ? sandboxGet(sandbox, c.readBack) : c.readBack(sandbox);
}

export function guardMatrix(cases: GuardCase[]): void {
  const session = testServer({ client: false });
  let now: number;
  const clock = () => now;

  beforeEach(() => {
    now = Date.now();
  });

  const writesOf = (c: GuardCase) =>
    session.sandbox.requests.filter(
      (r: RecordedRequest) => r.method === c.write.method && r.path === c.write.path && r.status < 300,
    ).length;

  describe.each(cases)("$tool", (c) => {
    beforeEach(async () => {
      await c.setup?.(session.sandbox);
    });

    /** A client on the fake clock, answering the confirmation dialog with `elicit` when given. */
    function connect(elicit?: ElicitAnswer, elicitationTimeoutMs?: number) {
      return session.connect({ now: clock, elicit, elicitationTimeoutMs });
    }

    async function preview(client: Client) {
      const before = await readBack(session.sandbox, c);
      const result = await call(client, c.tool, c.args);
      expect(result.isError, text(result)).toBe(true);
      const body = structured<{ status: string; confirmationToken: string; preview: { summary: string } }>(
        result,
      );
      expect(body.status).toBe("confirmation_required");
      expect(text(result)).toMatch(/Nothing was changed\.$/);
      expect(body.preview.summary.length).toBeGreaterThan(10);
      expect(await readBack(session.sandbox, c)).toEqual(before);
      return body.confirmationToken;
    }

    it("without confirmation returns a preview and a token, and changes nothing", async () => {
      const s = await connect();
      await preview(s.client);
      expect(writesOf(c)).toBe(0);
      await s.close();
      expect(await session.outcomes(c.tool)).toEqual(["confirmation_required"]);
    });

    it("with the correct token executes exactly once", async () => {
      const s = await connect();
      const token = await preview(s.client);
      const result = await call(s.client, c.tool, { ...c.args, confirmationToken: token });
      expect(result.isError, text(result)).toBeFalsy();
      expect(writesOf(c)).toBe(1);
      await s.close();
      expect(await session.outcomes(c.tool)).toEqual([
        "confirmation_required",
        "confirmed_by_token",
        "executing",
        "executed",
      ]);
    });

    it.each([
      ["a forged token", (token: string) => `${token.slice(0, -4)}AAAA`],
      ["a token of another shape", () => "yes-the-user-agreed"],
    ])("refuses %s", async (_label, forge) => {
      const s = await connect();
      const token = await preview(s.client);
      const result = await call(s.client, c.tool, { ...c.args, confirmationToken: forge(token) });
      expect(result.isError).toBe(true);
      expect(text(result)).toMatch(
        /^Refused: the confirmationToken is not one this server issued.*Nothing was changed\.$/s,
      );
      expect(writesOf(c)).toBe(0);
      await s.close();
      expect(await session.outcomes(c.tool)).toEqual(["confirmation_required", "rejected_token"]);
    });

    it("refuses an expired token (fake clock)", async () => {
      const s = await connect();
      const token = await preview(s.client);
      now += 5 * 60_000 + 1;
      const result = await call(s.client, c.tool, { ...c.args, confirmationToken: token });
      expect(text(result)).toMatch(/expired.*Nothing was changed\.$/s);
      expect(writesOf(c)).toBe(0);
      await s.close();
      expect(await session.outcomes(c.tool)).toEqual(["confirmation_required", "rejected_token"]);
    });

    it("refuses a reused token", async () => {
      const s = await connect();
      const token = await preview(s.client);
      expect((await call(s.client, c.tool, { ...c.args, confirmationToken: token })).isError).toBeFalsy();
      const again = await call(s.client, c.tool, { ...c.args, confirmationToken: token });
      expect(again.isError).toBe(true);
      expect(text(again)).toMatch(/already used.*Nothing was changed\.$/s);
      expect(writesOf(c)).toBe(1);
      await s.close();
      expect(await session.outcomes(c.tool)).toEqual([
        "confirmation_required",
        "confirmed_by_token",
        "executing",
        "executed",
        "rejected_token",
      ]);
    });

    it("refuses a token minted for different arguments", async () => {
      const s = await connect();
      const token = await preview(s.client);
      const result = await call(s.client, c.tool, { ...c.otherArgs, confirmationToken: token });
      expect(text(result)).toMatch(/different arguments.*Nothing was changed\.$/s);
      expect(writesOf(c)).toBe(0);
      await s.close();
      expect(await session.outcomes(c.tool)).toEqual(["confirmation_required", "rejected_token"]);
    });

    it("refuses when the target changed after the preview", async () => {
      const s = await connect();
      const token = await preview(s.client);
      await c.changeTarget(session.sandbox);
      const writesBefore = writesOf(c); // changeTarget itself may write to the same route
      const result = await call(s.client, c.tool, { ...c.args, confirmationToken: token });
      expect(structured(result)).toMatchObject({ status: "stale_target" });
      expect(text(result)).toMatch(
        /preview showed changed since the token was issued.*Nothing was changed\.$/s,
      );
      expect(writesOf(c)).toBe(writesBefore);
      await s.close();
      expect(await session.outcomes(c.tool)).toEqual(["confirmation_required", "stale_target"]);
    });

    it("executes once when the person accepts the elicitation", async () => {
      const s = await connect(ACCEPT);
      const result = await call(s.client, c.tool, c.args);
      expect(result.isError, text(result)).toBeFalsy();
      expect(s.elicitations).toHaveLength(1);
      expect(writesOf(c)).toBe(1);
      await s.close();
      expect(await session.outcomes(c.tool)).toEqual(["confirmed_by_elicitation", "executing", "executed"]);
    });

    it.each([
      ["declines", { action: "decline" } as const, "declined"],
      ["cancels", { action: "cancel" } as const, "cancelled"],
      ["accepts without ticking confirm", (params: ElicitParams) => REFUSE_TICK(params), "declined"],
    ])("changes nothing when the person %s", async (_label, answer, outcome) => {
      const s = await connect(answer);
      const before = await readBack(session.sandbox, c);
      const result = await call(s.client, c.tool, c.args);
      expect(result.isError).toBe(true);
      expect(text(result)).toMatch(/^Cancelled: .*Nothing was changed\.$/s);
      expect(writesOf(c)).toBe(0);
      expect(await readBack(session.sandbox, c)).toEqual(before);
      await s.close();
      expect(await session.outcomes(c.tool)).toEqual([outcome]);
    });

    it("ends not confirmed, with no token, when the person never answers", async () => {
      const s = await connect("never", 300);
      const result = await call(s.client, c.tool, c.args);
      expect(structured(result)).toMatchObject({ status: "not_confirmed" });
      expect(structured(result)).not.toHaveProperty("confirmationToken");
      expect(text(result)).toMatch(
        /^Not confirmed: the confirmation dialog timed out.*Nothing was changed\.$/s,
      );
      expect(writesOf(c)).toBe(0);
      await s.close();
      expect(await session.outcomes(c.tool)).toEqual(["timed_out"]);
    });

    it.each([
      [
        "answers in a shape the guard does not read",
        () => ({ action: "accept", content: { confirm: "yes" } }),
      ],
      [
        "fails",
        () => {
          throw new Error("the dialog crashed");
        },
      ],
    ])("ends not confirmed, with no token, when the dialog %s", async (_label, answer) => {
      const s = await connect(answer as unknown as ElicitAnswer);
      const result = await call(s.client, c.tool, c.args);
      expect(structured(result)).toMatchObject({ status: "not_confirmed" });
      expect(JSON.stringify(result)).not.toMatch(/ct1\./);
      expect(writesOf(c)).toBe(0);
      await s.close();
      expect(await session.outcomes(c.tool)).toEqual(["not_confirmed"]);
    });

    it("never lets a token replace the dialog of a client that can show one", async () => {
      // The token comes from a client without a dialog; the same caller then asks with a dialog client.
      const plain = await connect();
      const token = await preview(plain.client);
      await plain.close();
      const s = await connect({ action: "decline" });
      const result = await call(s.client, c.tool, { ...c.args, confirmationToken: token });
      expect(s.elicitations).toHaveLength(1);
      expect(text(result)).toMatch(/^Cancelled: the user declined.*Nothing was changed\.$/s);
      expect(writesOf(c)).toBe(0);
      await s.close();
      const lines = (await session.readAudit()).filter((l) => l.tool === c.tool);
      expect(lines.map((l) => l.outcome)).toEqual(["confirmation_required", "declined"]);
      expect(lines[1]?.detail).toMatch(/confirmationToken was ignored/);
    });
  });
}
