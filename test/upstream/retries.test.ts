/**
 * The upstream client's rate-limit economy and retry policy against a scripted loopback server, on a
 * fake clock: pacing before a 429, waiting out a 429, retrying only what may be sent twice, the
 * bounded total wait and the concurrency cap.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { RateLimitedError, UpstreamError, UpstreamNetworkError } from "../../src/core/errors.js";
import type { Route } from "../../src/core/operation.js";
import { atomicwork } from "../../src/providers/atomicwork.js";
import { okta } from "../../src/providers/okta.js";
import { UpstreamClient } from "../../src/upstream/client.js";
import {
  backoffMs,
  bucketOf,
  type Clock,
  RateLimiter,
  type WaitReport,
} from "../../src/upstream/rate-limit.js";

type Step = (req: IncomingMessage, res: ServerResponse) => void;

let server: Server;
let base: string;
let script: Step[] = [];
let hits: { method: string; url: string }[] = [];
let inFlight = 0;
let maxInFlight = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    hits.push({ method: req.method ?? "", url: req.url ?? "" });
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.on("close", () => {
      inFlight -= 1;
    });
    req.resume();
    req.on("end", () => (script.shift() ?? ok())(req, res));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  script = [];
  hits = [];
  maxInFlight = 0;
});

const ok =
  (headers: Record<string, string> = {}): Step =>
  (_req, res) => {
    res.writeHead(200, { "content-type": "application/json", ...headers });
    res.end('{"ok":true}');
  };
const status =
  (code: number, headers: Record<string, string> = {}, body = '{"errorCode":"E","errorSummary":"s"}'): Step =>
  (_req, res) => {
    res.writeHead(code, { "content-type": "application/json", ...headers });
    res.end(body);
  };
const drop: Step = (req) => req.socket.destroy();

/** A clock whose sleeps pass instantly, advancing time. */
function fakeClock(start = Date.parse("2026-11-22T12:00:00Z")) {
  let now = start;
  const slept: number[] = [];
  const clock: Clock = {
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
  };
  return { clock, slept, advance: (ms: number) => (now += ms) };
}

function client(clock: Clock, extra: Partial<ConstructorParameters<typeof UpstreamClient>[0]> = {}) {
  return new UpstreamClient({
    providers: { okta: { baseUrl: base, auth: () => ({}), profile: okta } },
    clock,
    ...extra,
  });
}

const GET: Route = "GET /governance/api/v1/grants";
const POST: Route = "POST /governance/api/v1/grants";
const PUT: Route = "PUT /governance/api/v1/grants/{id}";
const parts = { path: { id: "gra17atqzjv6mM17J1d7" }, query: {} };

describe("retries", () => {
  it("retries a GET after 5xx and dropped connections, with backoff, and reports the waits", async () => {
    script = [status(503), drop, ok()];
    const { clock, slept } = fakeClock();
    const waits: WaitReport[] = [];
    const res = await client(clock).request("okta", GET, parts, { onWait: (w) => waits.push(w) });
    expect(res.body).toEqual({ ok: true });
    expect(hits).toHaveLength(3);
    expect(slept).toHaveLength(2);
    expect(slept[0]).toBeGreaterThanOrEqual(375);
    expect(slept[0]).toBeLessThanOrEqual(500);
    expect(waits.map((w) => w.reason)).toEqual([
      "retrying after a transient upstream failure",
      "retrying after a transient upstream failure",
    ]);
  });

  it("retries a PUT (idempotent) but never re-sends a POST after a 5xx or a dropped connection", async () => {
    const { clock } = fakeClock();
    script = [status(500), ok()];
    await client(clock).request("okta", PUT, { ...parts, body: {} });
    expect(hits).toHaveLength(2);
    hits = [];
    script = [status(502)];
    await expect(client(clock).request("okta", POST, { ...parts, body: {} })).rejects.toBeInstanceOf(
      UpstreamError,
    );
    expect(hits).toHaveLength(1);
    hits = [];
    script = [drop];
    await expect(client(clock).request("okta", POST, { ...parts, body: {} })).rejects.toBeInstanceOf(
      UpstreamNetworkError,
    );
    expect(hits).toHaveLength(1);
  });

  it("retries a POST that only reads when the caller says it is idempotent", async () => {
    const { clock } = fakeClock();
    script = [status(503), ok()];
    await client(clock).request("okta", POST, { ...parts, body: [] }, { idempotent: true });
    expect(hits).toHaveLength(2);
  });

  it("gives up after the retry budget", async () => {
    const { clock } = fakeClock();
    script = [status(500), status(500), status(500), status(500)];
    await expect(client(clock, { maxRetries: 2 }).request("okta", GET, parts)).rejects.toMatchObject({
      status: 500,
    });
    expect(hits).toHaveLength(3);
  });

  it("waits out a 429 until Okta's reset (reset - Date + 1 s), for any method, then succeeds", async () => {
    const { clock, slept } = fakeClock();
    const date = new Date(clock.now()).toUTCString();
    const reset = String(Math.floor(clock.now() / 1000) + 15);
    script = [status(429, { date, "x-rate-limit-reset": reset, "x-rate-limit-remaining": "0" }), ok()];
    const res = await client(clock).request("okta", POST, { ...parts, body: {} });
    expect(res.status).toBe(200);
    expect(hits).toHaveLength(2);
    expect(slept[0]).toBe(16_000);
  });

  it("answers a 429 whose reset is beyond the rate wait (20 s) at once, with the time to retry", async () => {
    const { clock, slept } = fakeClock();
    script = [status(429, { "retry-after": "30" })];
    const failure = client(clock, { maxWaitMs: 45_000 }).request("okta", GET, parts);
    await expect(failure).rejects.toMatchObject({ status: 429, retryAfterMs: 30_000 });
    expect(slept).toEqual([]);
    expect(hits).toHaveLength(1);
  });
});

describe("failing fast under the rate limit", () => {
  const exhausted = (clock: Clock, inSeconds: number) =>
    ok({
      date: new Date(clock.now()).toUTCString(),
      "x-rate-limit-limit": "50",
      "x-rate-limit-remaining": "0",
      "x-rate-limit-reset": String(Math.floor(clock.now() / 1000) + inSeconds),
    });

  it("fails a write that cannot get a slot within the rate wait before sending it, naming the next slot", async () => {
    const { clock, slept } = fakeClock();
    script = [exhausted(clock, 38)];
    const upstream = client(clock);
    await upstream.request("okta", GET, parts);
    const failure = upstream.request("okta", POST, { ...parts, body: {} });
    await expect(failure).rejects.toBeInstanceOf(RateLimitedError);
    await expect(failure).rejects.toMatchObject({
      message: "Okta's rate limit: the next slot is in 39 s; try again then",
      retryAfterMs: 38_250,
    });
    expect(hits.map((h) => h.method)).toEqual(["GET"]);
    expect(slept).toEqual([]);
  });

  it("waits for a slot within the rate wait; the bound is configurable", async () => {
    const { clock, slept } = fakeClock();
    script = [exhausted(clock, 10), ok()];
    const upstream = client(clock, { maxRateWaitMs: 5_000 });
    await upstream.request("okta", GET, parts);
    await expect(upstream.request("okta", GET, parts)).rejects.toBeInstanceOf(RateLimitedError);
    expect(slept).toEqual([]);
    const patient = client(clock, { maxRateWaitMs: 15_000 });
    script = [exhausted(clock, 10), ok()];
    await patient.request("okta", GET, parts);
    await patient.request("okta", GET, parts);
    expect(slept).toEqual([10_250]);
  });

  it("learns a new bucket from one request before sending a burst into it: no 429 of its own making", async () => {
    let remaining = 3;
    const reset = String(Math.floor(Date.now() / 1000) + 60);
    const counted: Step = (req, res) => {
      const left = remaining;
      remaining -= 1;
      if (left <= 0) return status(429, { "retry-after": "60" })(req, res);
      ok({
        "x-rate-limit-limit": "3",
        "x-rate-limit-remaining": String(left - 1),
        "x-rate-limit-reset": reset,
      })(req, res);
    };
    script = Array.from({ length: 8 }, () => counted);
    const upstream = new UpstreamClient({
      providers: { okta: { baseUrl: base, auth: () => ({}), profile: okta } },
      maxRateWaitMs: 1_000,
    });
    const outcomes = await Promise.allSettled(
      Array.from({ length: 8 }, () => upstream.request("okta", GET, parts)),
    );
    await upstream.close();
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(3);
    const failures = outcomes.flatMap((o) => (o.status === "rejected" ? [o.reason] : []));
    expect(failures).toHaveLength(5);
    for (const failure of failures) {
      expect(failure).toBeInstanceOf(RateLimitedError);
      expect(failure.message).toMatch(
        /^Okta's rate limit: the next slot is in (5\d|6[01]) s; try again then$/,
      );
    }
    expect(hits).toHaveLength(3);
  });

  it("fails at once, not after a vain wait, when the callers waiting already fill the windows within the bound", async () => {
    // A window of 2-3 s that holds 2; the bound (4 s) reaches into the next window only.
    const reset = String(Math.ceil(Date.now() / 1000) + 2);
    script = [ok({ "x-rate-limit-limit": "2", "x-rate-limit-remaining": "0", "x-rate-limit-reset": reset })];
    const upstream = new UpstreamClient({
      providers: { okta: { baseUrl: base, auth: () => ({}), profile: okta } },
      maxRateWaitMs: 4_000,
    });
    await upstream.request("okta", GET, parts);
    const hitsWhenRefused: number[] = [];
    const outcomes = await Promise.allSettled(
      Array.from({ length: 5 }, () =>
        upstream.request("okta", GET, parts).catch((err: unknown) => {
          hitsWhenRefused.push(hits.length);
          throw err;
        }),
      ),
    );
    await upstream.close();
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(2);
    const refused = outcomes.flatMap((o) => (o.status === "rejected" ? [o.reason] : []));
    expect(refused).toHaveLength(3);
    for (const err of refused) expect(err).toBeInstanceOf(RateLimitedError);
    // Refused before the two that waited were sent, naming a slot a window after the next one.
    expect(hitsWhenRefused).toEqual([1, 1, 1]);
    for (const err of refused) expect((err as RateLimitedError).retryAfterMs).toBeGreaterThan(4_000);
  });

  it("does not pace an upstream that states no budget, after its first answer", async () => {
    const upstream = new UpstreamClient({
      providers: { okta: { baseUrl: base, auth: () => ({}), profile: okta } },
    });
    const answers = await Promise.all(Array.from({ length: 6 }, () => upstream.request("okta", GET, parts)));
    await upstream.close();
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(hits).toHaveLength(6);
  });
});

describe("pacing", () => {
  it("holds a request until the window resets when the upstream said nothing remains", async () => {
    const { clock, slept } = fakeClock();
    const date = new Date(clock.now()).toUTCString();
    const reset = String(Math.floor(clock.now() / 1000) + 10);
    script = [
      ok({ date, "x-rate-limit-limit": "50", "x-rate-limit-remaining": "0", "x-rate-limit-reset": reset }),
      ok(),
    ];
    const upstream = client(clock);
    await upstream.request("okta", GET, parts);
    await upstream.request("okta", GET, parts);
    expect(hits).toHaveLength(2);
    expect(slept).toHaveLength(1);
    expect(slept[0]).toBe(10_250);
  });

  it("counts down the remaining budget locally between responses", () => {
    const { clock } = fakeClock();
    const limiter = new RateLimiter(clock);
    const reset = String(Math.floor(clock.now() / 1000) + 60);
    limiter.update("b", {
      "x-rate-limit-limit": "50",
      "x-rate-limit-remaining": "2",
      "x-rate-limit-reset": reset,
    });
    expect(limiter.delayFor("b")).toBe(0);
    expect(limiter.delayFor("b")).toBe(0);
    expect(limiter.delayFor("b")).toBeGreaterThan(59_000);
    expect(limiter.delayFor("other")).toBe(0);
  });

  it("keeps Okta's buckets per endpoint family", () => {
    expect(bucketOf(okta, "/governance/api/v1/entitlements/esp1/values")).toBe(
      "okta:/governance/api/v1/entitlements",
    );
    expect(bucketOf(okta, "/governance/api/v1/grants")).toBe("okta:/governance/api/v1/grants");
    expect(bucketOf(okta, "/api/v1/users/00u1")).toBe("okta:/api/v1/users");
    expect(bucketOf(atomicwork, "/api/v1/iga/grants/list")).toBe("atomicwork");
  });

  it("caps the requests in flight per provider", async () => {
    const slow: Step = (_req, res) => setTimeout(() => ok()(_req, res), 30);
    script = Array.from({ length: 12 }, () => slow);
    const upstream = new UpstreamClient({
      providers: { okta: { baseUrl: base, auth: () => ({}), profile: okta } },
      concurrency: 3,
    });
    await Promise.all(Array.from({ length: 12 }, () => upstream.request("okta", GET, parts)));
    expect(hits).toHaveLength(12);
    expect(maxInFlight).toBeLessThanOrEqual(3);
    await upstream.close();
  });

  it("backs off exponentially with jitter, capped", () => {
    expect(backoffMs(0, () => 0)).toBe(500);
    expect(backoffMs(1, () => 0)).toBe(1000);
    expect(backoffMs(10, () => 0)).toBe(8000);
    expect(backoffMs(0, () => 1)).toBe(375);
  });
});
