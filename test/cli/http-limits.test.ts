/**
 * Streamable HTTP limits, against the spawned bin and startHttp in this process: a rate limit per subject
 * that counts every message of a batch, the batch size bound, sessions capped per subject and in all
 * (the least recently used idle one makes room), and a client's token never forwarded upstream.
 */
import { describe, expect, it } from "vitest";
import { call, HTTP_TOKEN } from "../helpers/harness.js";
import {
  ALL_TOKENS,
  ENTITLEMENT,
  ENTITLEMENT_PATH,
  gate,
  getEntitlement,
  httpServer,
  INIT,
  inProcessHttp,
  jsonHeaders,
  OTHER_TOKEN,
  open,
  ping,
  post,
  raw,
  THIRD_TOKEN,
  until,
} from "../helpers/http.js";
import { testServer } from "../helpers/test-server.js";

const session = testServer({ perFile: true, client: false });

describe("limits and hygiene", () => {
  it("rate-limits each subject on its own, with Retry-After", async () => {
    const third = THIRD_TOKEN;
    const { url } = await httpServer(session, {
      env: { ENTITLEMENT_MCP_RATE_LIMIT: "3", ENTITLEMENT_MCP_AUTH_TOKEN: ALL_TOKENS },
    });
    const statuses: number[] = [];
    let retryAfter: unknown;
    for (let i = 0; i < 4; i += 1) {
      const res = await raw(url, { headers: jsonHeaders(third), body: JSON.stringify(INIT) });
      statuses.push(res.status);
      retryAfter = res.headers["retry-after"];
    }
    expect(Number(retryAfter)).toBeGreaterThan(0);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const other = await raw(url, { headers: jsonHeaders(OTHER_TOKEN), body: JSON.stringify(INIT) });
    expect(other.status).toBe(200);
  });

  it("counts every message of a batch against the rate limit", async () => {
    const { url } = await httpServer(session, {
      env: { ENTITLEMENT_MCP_RATE_LIMIT: "10", ENTITLEMENT_MCP_AUTH_TOKEN: ALL_TOKENS },
    });
    const opened = await open(url, THIRD_TOKEN);
    expect(opened.status).toBe(200);
    const eight = await post(url, THIRD_TOKEN, opened.id, [1, 2, 3, 4, 5, 6, 7, 8].map(ping));
    expect(eight.status).toBe(200);
    expect(eight.body.match(/"result"/g)).toHaveLength(8);
    // 1 + 8 of 10 spent: a batch of two is over the limit, a single message is not.
    const two = await post(url, THIRD_TOKEN, opened.id, [ping(9), ping(10)]);
    expect(two.status).toBe(429);
    expect(JSON.parse(two.body).error.message).toMatch(
      /10 JSON-RPC messages a minute.*ENTITLEMENT_MCP_RATE_LIMIT/,
    );
    expect(Number(two.headers["retry-after"])).toBeGreaterThan(0);
    expect((await post(url, THIRD_TOKEN, opened.id, ping(11))).status).toBe(200);
  });

  it("refuses a batch of more than 50 messages, and an empty one", async () => {
    const { url } = await httpServer(session, { env: { ENTITLEMENT_MCP_AUTH_TOKEN: ALL_TOKENS } });
    const opened = await open(url, THIRD_TOKEN);
    const batch = (n: number) => Array.from({ length: n }, (_, i) => ping(i + 1));
    const fifty = await post(url, THIRD_TOKEN, opened.id, batch(50));
    expect(fifty.status).toBe(200);
    for (const size of [51, 0]) {
      const refused = await post(url, THIRD_TOKEN, opened.id, batch(size));
      expect(refused.status).toBe(400);
      expect(JSON.parse(refused.body).error).toMatchObject({
        code: -32600,
        message: expect.stringMatching(`a batch holds 1 to 50 messages, this one ${size}`),
      });
    }
  });

  it("closes a subject's least recently used idle session to open its 21st", async () => {
    const { url } = await httpServer(session, { env: { ENTITLEMENT_MCP_AUTH_TOKEN: ALL_TOKENS } });
    const ids: string[] = [];
    for (let i = 0; i < 20; i += 1) {
      const opened = await open(url, THIRD_TOKEN);
      expect(opened.status).toBe(200);
      ids.push(opened.id);
    }
    // The first is used again, so the second is now the least recently used.
    expect((await post(url, THIRD_TOKEN, ids[0] as string, ping(1))).status).toBe(200);
    const twentyFirst = await open(url, THIRD_TOKEN);
    expect(twentyFirst.status).toBe(200);
    expect((await post(url, THIRD_TOKEN, ids[1] as string, ping(2))).status).toBe(404);
    for (const id of [ids[0], ...ids.slice(2), twentyFirst.id]) {
      expect((await post(url, THIRD_TOKEN, id as string, ping(3))).status).toBe(200);
    }
  });

  it("refuses a subject's new session with 429 while all its sessions are busy", async () => {
    const held = await gate(session, ENTITLEMENT_PATH);
    const { url } = await httpServer(session, {
      env: {
        ENTITLEMENT_MCP_AUTH_TOKEN: ALL_TOKENS,
        ENTITLEMENT_MCP_MAX_SESSIONS_PER_SUBJECT: "3",
        OKTA_ORG_URL: held.url,
      },
    });
    const ids = [await open(url, THIRD_TOKEN), await open(url, THIRD_TOKEN), await open(url, THIRD_TOKEN)];
    const calls = ids.map((s) => post(url, THIRD_TOKEN, s.id, getEntitlement));
    await until("the three calls reach the upstream", () => held.arrived() === 3);
    const refused = await open(url, THIRD_TOKEN);
    expect(refused.status).toBe(429);
    expect(JSON.parse(refused.body).error.message).toMatch(
      /^Too many sessions: .*ENTITLEMENT_MCP_MAX_SESSIONS_PER_SUBJECT=3.*Close a session you no longer use/,
    );
    expect((await open(url, OTHER_TOKEN)).status).toBe(200);
    held.release();
    for (const answered of await Promise.all(calls)) {
      expect(answered.status).toBe(200);
      expect(answered.body).toContain(ENTITLEMENT);
    }
    expect((await open(url, THIRD_TOKEN)).status).toBe(200);
  });

  it("caps sessions in all: the least recently used idle one makes room, else 503", async () => {
    const held = await gate(session, ENTITLEMENT_PATH);
    const { url } = await inProcessHttp(session, held.url, { maxSessions: 2, maxSessionsPerSubject: 2 });
    const first = await open(url, HTTP_TOKEN);
    const second = await open(url, HTTP_TOKEN);
    expect((await post(url, HTTP_TOKEN, first.id, ping(1))).status).toBe(200);
    // Another subject's new session replaces the least recently used idle one, whoever opened it.
    const other = await open(url, OTHER_TOKEN);
    expect(other.status).toBe(200);
    expect((await post(url, HTTP_TOKEN, second.id, ping(2))).status).toBe(404);
    expect((await post(url, HTTP_TOKEN, first.id, ping(3))).status).toBe(200);
    const calls = [
      post(url, HTTP_TOKEN, first.id, getEntitlement),
      post(url, OTHER_TOKEN, other.id, getEntitlement),
    ];
    await until("both calls reach the upstream", () => held.arrived() === 2);
    const refused = await open(url, THIRD_TOKEN);
    expect(refused.status).toBe(503);
    expect(JSON.parse(refused.body).error.message).toMatch(
      /^Too many sessions: .*ENTITLEMENT_MCP_MAX_SESSIONS=2/,
    );
    held.release();
    for (const answered of await Promise.all(calls)) expect(answered.status).toBe(200);
  });

  it("never forwards a client's token upstream", async () => {
    const { client } = await httpServer(session);
    await call(client, "okta_list_bundles", {});
    const leaked = session.sandbox.requests.filter((r) => JSON.stringify(r.headers).includes(HTTP_TOKEN));
    expect(leaked).toEqual([]);
    expect(session.sandbox.requests.some((r) => String(r.headers.authorization).startsWith("SSWS "))).toBe(
      true,
    );
  });
});
