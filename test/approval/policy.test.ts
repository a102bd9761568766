/**
 * The confirmation channels as one ordered policy (form > card > page > token), and the adversarial checks
 * of issue 9 against the new channels: a client is offered guarded tools only when it can confirm through
 * a channel the operator allows; a client that declared a stronger channel never confirms with a token
 * (no downgrade); a page the person refuses to open, or dismisses, ends the call with no token.
 */
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CHANNELS, type ChannelKind } from "../../src/guard/channels.js";
import { SEED_CREATE_GRANT } from "../fixtures/okta.js";
import { type ApprovalWorld, approvalWorld, type ClientKind } from "../helpers/approval.js";
import { readAudit, structured, text } from "../helpers/harness.js";

const GRANTS = "/governance/api/v1/grants";
/** Each kind of client, and the channel it confirms through. */
const KINDS: [ClientKind, ChannelKind][] = [
  ["form", "form"],
  ["apps", "card"],
  ["url", "page"],
  ["token", "token"],
];

let world: ApprovalWorld;
beforeEach(async () => {
  world = await approvalWorld();
});
afterEach(async () => {
  await world.close();
});

const callTool = async (
  client: Awaited<ReturnType<ApprovalWorld["connect"]>>["client"],
  args: Record<string, unknown>,
) => (await client.callTool({ name: "okta_create_grant", arguments: args })) as CallToolResult;

/** A real token for SEED_CREATE_GRANT, minted for caller test:alice by a server that allows tokens. */
async function mintedToken(): Promise<string> {
  const minting = await world.connect({ kind: "token" });
  const token = String(structured(await callTool(minting.client, SEED_CREATE_GRANT)).confirmationToken);
  expect(token).toMatch(/^ct1\./);
  return token;
}

describe("--confirm-channel", () => {
  it.each(CHANNELS)(
    "with %s as the weakest channel, offers guarded tools only to clients that can use an allowed one",
    async (weakest) => {
      for (const [kind, channel] of KINDS) {
        const { client } = await world.connect({ kind, confirmChannel: weakest });
        const names = (await client.listTools()).tools.map((t) => t.name);
        const allowed = CHANNELS.indexOf(channel) <= CHANNELS.indexOf(weakest);
        expect(names.includes("okta_create_grant"), `${kind} client, --confirm-channel ${weakest}`).toBe(
          allowed,
        );
        expect(names, kind).toContain("okta_list_bundles");
        if (!allowed) {
          const refused = await callTool(client, SEED_CREATE_GRANT);
          expect(refused.isError, kind).toBe(true);
        }
      }
      expect(world.writes("POST", GRANTS)).toBe(0);
    },
  );
});

describe("no downgrade across channels", () => {
  it("refuses the token path when the operator requires a stronger channel, even with a real token", async () => {
    const token = await mintedToken();
    for (const weakest of ["form", "card", "page"] as const) {
      const { client } = await world.connect({ kind: "token", confirmChannel: weakest });
      const result = await callTool(client, { ...SEED_CREATE_GRANT, confirmationToken: token });
      expect(result.isError, weakest).toBe(true);
    }
    expect(world.writes("POST", GRANTS)).toBe(0);
  });

  it("ignores a token from a client that shows approval cards: it gets a card, no token, no write", async () => {
    const token = await mintedToken();
    const { client } = await world.connect({ kind: "apps" });
    const result = await callTool(client, { ...SEED_CREATE_GRANT, confirmationToken: token });
    expect(structured(result)).toMatchObject({ status: "approval_pending" });
    expect(JSON.stringify(result)).not.toContain("confirmationToken");
    expect(world.writes("POST", GRANTS)).toBe(0);
    const lines = (await readAudit(world.auditLog)).filter((l) => l.tool === "okta_create_grant");
    expect(lines.at(-1)?.detail).toMatch(
      /a confirmationToken was ignored: this client confirms through an approval card/,
    );
  });

  it("ignores a token from a client that opens approval pages, and a page refused or dismissed ends without one", async () => {
    const token = await mintedToken();
    for (const consent of ["decline", "cancel"] as const) {
      const { client, urls } = await world.connect({ kind: "url", consent });
      const result = await callTool(client, { ...SEED_CREATE_GRANT, confirmationToken: token });
      expect(urls, consent).toHaveLength(1);
      expect(text(result)).toMatch(
        /^Cancelled: the user (declined on the approval page|dismissed the confirmation).*Nothing was changed\.$/s,
      );
      expect(JSON.stringify(result)).not.toMatch(/confirmationToken|ct1\./);
    }
    expect(world.writes("POST", GRANTS)).toBe(0);
    expect(await world.outcomes("okta_create_grant")).toEqual([
      "confirmation_required",
      "declined",
      "cancelled",
    ]);
  });
});
