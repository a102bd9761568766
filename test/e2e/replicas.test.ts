/**
 * Replicas behind a load balancer, for real: several built servers (`--http --stateless`, one secret, one
 * Redis) against one sandbox. A confirmation token is spent once across them, also when two receive it at
 * once; together they stay inside the upstream's rate limit as one replica does; with Redis gone, guarded
 * writes are refused, reads go on and /healthz says degraded, until Redis is back.
 */
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../../src/sandbox/index.js";
import { SALES_REP_BUNDLE, GITHUB_ADMIN_BUNDLE as UNHELD_BUNDLE } from "../fixtures/okta.js";
import { call, readAudit, spawnHttpClient, structured, tempDir, text } from "../helpers/harness.js";
import { type RedisServer, redisMissing, startRedis } from "../helpers/redis.js";
import { startTestServer } from "../helpers/test-server.js";

const missing = redisMissing();
const SECRET = "replicas-share-this-secret-0123456789abcdef";
const DELETE_BUNDLE = /^\/governance\/api\/v1\/entitlement-bundles\/[^/]+$/;

interface Replica {
  client: Client;
  url: string;
  close: () => Promise<void>;
}

async function replicas(
  sandbox: Sandbox,
  auditLog: string,
  n: number,
  redis?: RedisServer,
): Promise<Replica[]> {
  return Promise.all(
    Array.from({ length: n }, () =>
      spawnHttpClient(sandbox, {
        auditLog,
        args: ["--stateless"],
        env: {
          ENTITLEMENT_MCP_SECRET: SECRET,
          ENTITLEMENT_MCP_RATE_LIMIT: "100000",
          ...(redis ? { ENTITLEMENT_MCP_REDIS_URL: redis.url, ENTITLEMENT_MCP_REDIS_PREFIX: "e2e:" } : {}),
        },
      }),
    ),
  );
}

const tokenOf = (result: Awaited<ReturnType<typeof call>>) => String(structured(result).confirmationToken);

async function healthz(replica: Replica): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(new URL("/healthz", replica.url));
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function until(check: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > ms) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe.skipIf(missing !== undefined)(
  `replicas sharing Redis${missing ? ` (skipped: ${missing})` : ""}`,
  () => {
    it("spends a token once across replicas, and exactly once when two receive it at the same moment", async () => {
      const server = await startTestServer({ client: false });
      const redis = await startRedis();
      server.onClose(() => redis.stop());
      const [a, b, c] = await replicas(server.sandbox, server.auditLog, 3, redis);
      for (const r of [a, b, c]) server.onClose(() => r?.close());
      if (!a || !b || !c) throw new Error("replicas did not start");

      // Spent on B, refused on A and C.
      const first = tokenOf(
        await call(a.client, "okta_delete_bundle", { entitlementBundleId: UNHELD_BUNDLE }),
      );
      const spent = await call(b.client, "okta_delete_bundle", {
        entitlementBundleId: UNHELD_BUNDLE,
        confirmationToken: first,
      });
      expect(spent.isError, text(spent)).toBeFalsy();
      for (const other of [a, c]) {
        const again = await call(other.client, "okta_delete_bundle", {
          entitlementBundleId: UNHELD_BUNDLE,
          confirmationToken: first,
        });
        expect(text(again)).toMatch(/already used.*Nothing was changed\.$/s);
      }

      // One token, sent to all three at once: one delete upstream, two refusals.
      const token = tokenOf(
        await call(c.client, "okta_delete_bundle", { entitlementBundleId: SALES_REP_BUNDLE }),
      );
      const deletesBefore = server.sandbox.requests.filter(
        (r) => r.method === "DELETE" && DELETE_BUNDLE.test(r.path),
      ).length;
      const raced = await Promise.all(
        [a, b, c].map((r) =>
          call(r.client, "okta_delete_bundle", {
            entitlementBundleId: SALES_REP_BUNDLE,
            confirmationToken: token,
          }),
        ),
      );
      expect(raced.filter((r) => !r.isError)).toHaveLength(1);
      expect(raced.filter((r) => /already used/.test(text(r)))).toHaveLength(2);
      const deletes = server.sandbox.requests.filter(
        (r) => r.method === "DELETE" && DELETE_BUNDLE.test(r.path),
      );
      expect(deletes.length - deletesBefore).toBe(1);
      const lines = (await readAudit(server.auditLog)).filter(
        (l) => l.args?.entitlementBundleId === SALES_REP_BUNDLE,
      );
      expect(lines.filter((l) => l.outcome === "executed")).toHaveLength(1);
      expect(lines.filter((l) => l.outcome === "rejected_token")).toHaveLength(2);
    });

    it("keeps three replicas inside the upstream's rate limit as well as one replica alone", async () => {
      const dir = await tempDir();
      const redis = await startRedis();
      const limited = { rateLimit: { limit: 50, windowMs: 2_000 } };
      const burst = async (sandbox: Sandbox, group: Replica[]) => {
        await Promise.all(
          Array.from({ length: 90 }, (_, n) =>
            call((group[n % group.length] as Replica).client, "okta_get_entitlement", {
              entitlementId: "espT9uMOoGCpEJY8wVdc",
            }),
          ),
        );
        return sandbox.requests.filter((r) => r.status === 429).length;
      };
      try {
        const run = async (n: number, shared?: RedisServer) => {
          const sandbox = await startSandbox(limited);
          const group = await replicas(
            sandbox,
            `${dir.path}/${n}-${shared ? "shared" : "apart"}.jsonl`,
            n,
            shared,
          );
          // As a load balancer would: send nothing to a replica that is not ready (connected to Redis).
          await until(async () => (await Promise.all(group.map(healthz))).every((h) => h.status === 200));
          const limited429 = await burst(sandbox, group);
          for (const r of group) await r.close();
          await sandbox.close();
          return limited429;
        };
        const single = await run(1);
        const shared = await run(3, redis);
        // The control: three replicas that do not share their budget overrun the same limit.
        const apart = await run(3);
        expect(shared).toBeLessThanOrEqual(single);
        expect(apart).toBeGreaterThan(shared);
      } finally {
        await redis.stop();
        await dir.cleanup();
      }
    });

    it("refuses guarded writes while Redis is away, serves reads, says degraded, and recovers", async () => {
      const server = await startTestServer({ client: false });
      const redis = await startRedis();
      server.onClose(() => redis.stop());
      const [a, b] = await replicas(server.sandbox, server.auditLog, 2, redis);
      for (const r of [a, b]) server.onClose(() => r?.close());
      if (!a || !b) throw new Error("replicas did not start");
      expect(await healthz(a)).toEqual({ status: 200, body: { status: "ok" } });
      const token = tokenOf(
        await call(a.client, "okta_delete_bundle", { entitlementBundleId: UNHELD_BUNDLE }),
      );

      await redis.stop();
      await until(async () => (await healthz(a)).status === 503);
      expect((await healthz(b)).body).toEqual({
        status: "degraded",
        reason: "the shared Redis is unavailable",
      });
      const refused = await call(b.client, "okta_delete_bundle", {
        entitlementBundleId: UNHELD_BUNDLE,
        confirmationToken: token,
      });
      expect(text(refused)).toMatch(/confirmation store is unavailable.*Nothing was changed\.$/s);
      const noToken = await call(b.client, "okta_delete_bundle", { entitlementBundleId: UNHELD_BUNDLE });
      expect(structured(noToken)).toMatchObject({
        status: "not_confirmed",
        reason: "the confirmation store is unavailable",
      });
      const read = await call(a.client, "okta_get_bundle", { entitlementBundleId: UNHELD_BUNDLE });
      expect(read.isError, text(read)).toBeFalsy();
      expect(server.sandbox.requests.filter((r) => r.method === "DELETE")).toEqual([]);

      await redis.start();
      await until(async () => (await healthz(a)).status === 200 && (await healthz(b)).status === 200);
      const fresh = tokenOf(
        await call(a.client, "okta_delete_bundle", { entitlementBundleId: UNHELD_BUNDLE }),
      );
      const done = await call(b.client, "okta_delete_bundle", {
        entitlementBundleId: UNHELD_BUNDLE,
        confirmationToken: fresh,
      });
      expect(done.isError, text(done)).toBeFalsy();
    });
  },
);
