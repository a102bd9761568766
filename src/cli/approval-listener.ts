/**
 * Approval pages for a stdio server, which has no HTTP of its own: a listener on 127.0.0.1 with a port the
 * system picks, opened when the first page is needed and closed once no page has been open for a while.
 * It serves /approve/ only, to Host 127.0.0.1:<port>, and takes decisions only from its own origin.
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { PendingChanges } from "../guard/pending.js";
import type { ApprovalPageHost } from "../mcp/approval-page.js";
import { APPROVE_PREFIX, approvalPath, approvalRoutes } from "./approval-routes.js";

export interface LoopbackApprovalPages extends ApprovalPageHost {
  /** The listener's origin while it is open. */
  readonly origin: string | undefined;
  /** Closes the listener now (shutdown). */
  shutdown(): Promise<void>;
}

export function loopbackApprovalPages(
  pending: PendingChanges,
  secret: Buffer,
  log: (line: string) => void,
  idleMs = 15_000,
): LoopbackApprovalPages {
  let server: Server | undefined;
  let starting: Promise<string> | undefined;
  let origin: string | undefined;
  const open = new Set<string>();
  let idle: NodeJS.Timeout | undefined;
  const routes = approvalRoutes({ pending, secret, originAllowed: (o) => o === origin });

  const start = (): Promise<string> => {
    // node:http loads with the first page, not at every start.
    starting ??= import("node:http").then(
      ({ createServer }) =>
        new Promise<string>((resolve, reject) => {
          const listener = createServer((req, res) => {
            const path = (req.url ?? "/").split("?")[0] ?? "/";
            if (req.headers.host !== origin?.slice("http://".length) || !path.startsWith(APPROVE_PREFIX)) {
              res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("Not found.");
              return;
            }
            routes(req, res).catch((err: unknown) => {
              log(`approval page: ${err instanceof Error ? err.message : String(err)}`);
              if (!res.headersSent) res.writeHead(500).end();
              else res.end();
            });
          });
          listener.once("error", reject);
          // The stdio process lives as long as its client; this listener must not keep it alive after.
          listener.unref();
          listener.listen(0, "127.0.0.1", () => {
            server = listener;
            origin = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;
            log(`approval pages: listening on ${origin} while a change waits for approval`);
            resolve(origin);
          });
        }),
    );
    return starting;
  };

  const stop = async () => {
    const closing = server;
    server = undefined;
    starting = undefined;
    origin = undefined;
    if (!closing) return;
    closing.closeAllConnections();
    await new Promise((resolve) => closing.close(resolve));
  };

  return {
    get origin() {
      return origin;
    },
    async open(id, pageSecret) {
      clearTimeout(idle);
      open.add(id);
      return `${await start()}${approvalPath(id, pageSecret)}`;
    },
    close(id) {
      open.delete(id);
      if (open.size > 0) return;
      clearTimeout(idle);
      // Idle: the last page's outcome has been shown; a while later, nothing listens any more.
      idle = setTimeout(() => void stop(), idleMs);
      idle.unref();
    },
    shutdown: async () => {
      clearTimeout(idle);
      await stop();
    },
  };
}
