/**
 * A real `redis-server` (Debian's package) on a free loopback port for the tests of shared replica state:
 * never a mock. `.ci/run` installs it; elsewhere, a machine without it reports those tests as skipped with
 * the reason (`redisMissing`), except under CI, where its absence fails them.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { connect, createServer } from "node:net";

/** Why the Redis tests cannot run here, or undefined when they can (under CI they always must). */
export function redisMissing(): string | undefined {
  try {
    execFileSync("redis-server", ["--version"], { stdio: "ignore" });
    return undefined;
  } catch {
    if (process.env.CI) return undefined; // CI installs it: let the tests fail loudly if it did not.
    return "redis-server is not installed (apt-get install redis-server; .ci/run does it)";
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

export interface RedisServer {
  url: string;
  /** Stops it (the data goes: nothing is saved), as an outage would. */
  stop(): Promise<void>;
  /** Starts it again on the same port. */
  start(): Promise<void>;
}

/** Starts redis-server on a free loopback port, without persistence. */
export async function startRedis(): Promise<RedisServer> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = async () => {
    const proc = spawn(
      "redis-server",
      [
        "--port",
        String(port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "no",
        "--loglevel",
        "warning",
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    child = proc;
    let output = "";
    await new Promise<void>((resolve, reject) => {
      const started = Date.now();
      const poll = async () => {
        if (proc.exitCode !== null) return reject(new Error(`redis-server exited: ${output}`));
        const open = await new Promise<boolean>((res) => {
          const socket = connect(port, "127.0.0.1");
          socket.once("connect", () => {
            socket.end();
            res(true);
          });
          socket.once("error", () => res(false));
        });
        if (open) return resolve();
        if (Date.now() - started > 10_000) return reject(new Error(`redis-server did not listen: ${output}`));
        setTimeout(poll, 50);
      };
      proc.stdout?.on("data", (chunk: Buffer) => {
        output += chunk.toString();
      });
      proc.stderr?.on("data", (chunk: Buffer) => {
        output += chunk.toString();
      });
      void poll();
    });
  };
  const stop = async () => {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null) return;
    const exited = new Promise((resolve) => proc.once("exit", resolve));
    proc.kill("SIGKILL");
    await exited;
  };
  await start();
  return { url: `redis://127.0.0.1:${port}`, stop, start };
}
