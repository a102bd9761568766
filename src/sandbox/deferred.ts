/**
 * The sandbox as the bin serves it: the loopback port is bound at once, so the server knows its URL, and the
 * emulator with its demo data loads on the first request. A client that starts the server and lists its
 * tools, which every client does at launch, never waits for it.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { closer, listen } from "./kit/listen.js";

export interface DeferredSandbox {
  url: string;
  close(): Promise<void>;
}

export async function startDeferredSandbox(host = "127.0.0.1"): Promise<DeferredSandbox> {
  let url = "";
  let handler: Promise<(req: IncomingMessage, res: ServerResponse) => Promise<void>> | undefined;
  const server = createServer((req, res) => {
    handler ??= import("./index.js").then((m) => m.createSandboxEmulator({}, () => url).handle);
    handler.then(
      (handle) => handle(req, res),
      (err: unknown) => {
        process.stderr.write(`sandbox: ${err instanceof Error ? err.message : String(err)}\n`);
        res.statusCode = 500;
        res.end();
      },
    );
  });
  url = await listen(server, 0, host);
  return {
    url,
    close: closer(server),
  };
}
