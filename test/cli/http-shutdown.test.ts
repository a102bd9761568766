/**
 * Closing the HTTP server (startHttp in this process) without losing a call: new work is refused with 503,
 * the calls in progress finish, even one whose client went away, and the wait ends after drainMs.
 */
import { request as httpRequest } from "node:http";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { describe, expect, it } from "vitest";
import { call, HTTP_TOKEN, structured, text } from "../helpers/harness.js";
import {
  ENTITLEMENT,
  ENTITLEMENT_PATH,
  gate,
  getEntitlement,
  inProcessHttp,
  jsonHeaders,
  OTHER_TOKEN,
  open,
  ping,
  post,
  raw,
  until,
} from "../helpers/http.js";
import { testServer } from "../helpers/test-server.js";

const session = testServer({ perFile: true, client: false });

describe("shutdown", () => {
  async function connect(url: string) {
    const client = new Client({ name: "drain", version: "1" });
    const transport = new StreamableHTTPClientTransport(new URL(url), {
      requestInit: { headers: { Authorization: `Bearer ${HTTP_TOKEN}` } },
    });
    await client.connect(transport);
    session.onClose(() => client.close());
    return { client, sessionId: transport.sessionId as string };
  }

  it("close() refuses new work with 503, lets the call in progress finish, then closes", async () => {
    const held = await gate(session, ENTITLEMENT_PATH);
    const handle = await inProcessHttp(session, held.url);
    const { client, sessionId } = await connect(handle.url);
    const result = call(client, "okta_get_entitlement", { entitlementId: ENTITLEMENT });
    await until("the call reaches the upstream", () => held.arrived() === 1);
    let closed = false;
    const closing = handle.close().then(() => {
      closed = true;
    });
    const fresh = await open(handle.url, OTHER_TOKEN);
    expect(fresh.status).toBe(503);
    expect(JSON.parse(fresh.body).error.message).toMatch(/shutting down and takes no new requests/);
    expect((await post(handle.url, HTTP_TOKEN, sessionId, ping(1))).status).toBe(503);
    expect((await raw(handle.url.replace("/mcp", "/healthz"), { method: "GET" })).status).toBe(503);
    expect(closed).toBe(false);
    held.release();
    const answered = await result;
    expect(answered.isError, text(answered)).toBeFalsy();
    expect(structured<{ id: string }>(answered).id).toBe(ENTITLEMENT);
    await closing;
    // Closed: a new connection is refused, a pooled one finds its socket gone.
    await expect(open(handle.url, OTHER_TOKEN)).rejects.toThrow(/ECONNREFUSED|socket hang up|ECONNRESET/);
  });

  it("close() also waits for a call whose client went away, so the call is not aborted", async () => {
    const held = await gate(session, ENTITLEMENT_PATH);
    const handle = await inProcessHttp(session, held.url);
    const opened = await open(handle.url, HTTP_TOKEN);
    const answered = () =>
      session.sandbox.requests.filter((r) => r.path === ENTITLEMENT_PATH && r.status === 200);
    const before = answered().length;
    const req = httpRequest(handle.url, {
      method: "POST",
      headers: { ...jsonHeaders(), "mcp-session-id": opened.id, "mcp-protocol-version": "2025-11-25" },
    });
    req.on("error", () => {});
    req.end(JSON.stringify(getEntitlement));
    await until("the call reaches the upstream", () => held.arrived() === 1);
    req.destroy();
    let closed = false;
    const closing = handle.close().then(() => {
      closed = true;
    });
    expect((await open(handle.url, OTHER_TOKEN)).status).toBe(503);
    expect(closed).toBe(false);
    held.release();
    await closing;
    // Closing the session earlier would have aborted the upstream read; it completed instead.
    expect(answered().length).toBe(before + 1);
  });

  it("close() stops waiting after drainMs", async () => {
    const held = await gate(session, ENTITLEMENT_PATH);
    const handle = await inProcessHttp(session, held.url, { drainMs: 100 });
    const { client } = await connect(handle.url);
    const result = call(client, "okta_get_entitlement", { entitlementId: ENTITLEMENT }).catch(
      (err: Error) => err,
    );
    await until("the call reaches the upstream", () => held.arrived() === 1);
    await handle.close();
    // The call was still held upstream when close() returned.
    await client.close();
    expect(await result).toBeInstanceOf(Error);
  });
});
