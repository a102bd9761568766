/**
 * Cold starts as a user meets them, for run.mjs: a server spawned and asked for tools/list by a raw
 * JSON-RPC client, or by a fresh TypeScript SDK client process (sdk-client-cold.mjs). `home` is the
 * children's HOME; everything stays on this machine.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const CLIENT = fileURLToPath(new URL("./sdk-client-cold.mjs", import.meta.url));

/** Spawn to the answer of tools/list with a raw JSON-RPC client (no SDK on the client side). */
export function rawColdStart(home, args, env = {}) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, args, {
      env: { PATH: process.env.PATH ?? "", HOME: home, ...env },
      stdio: ["pipe", "pipe", "ignore"],
    });
    const send = (message) => child.stdin.write(`${JSON.stringify({ jsonrpc: "2.0", ...message })}\n`);
    let buffered = "";
    child.stdout.on("data", (chunk) => {
      buffered += chunk;
      for (let end = buffered.indexOf("\n"); end >= 0; end = buffered.indexOf("\n")) {
        const message = JSON.parse(buffered.slice(0, end));
        buffered = buffered.slice(end + 1);
        if (message.id === 1) {
          send({ method: "notifications/initialized" });
          send({ id: 2, method: "tools/list" });
        } else if (message.id === 2) {
          const ms = performance.now() - t0;
          child.kill();
          resolve(ms);
        }
      }
    });
    child.on("error", reject);
    send({
      id: 1,
      method: "initialize",
      params: {
        protocolVersion: "2025-06-18",
        capabilities: {},
        clientInfo: { name: "bench", version: "1" },
      },
    });
  });
}

/** A fresh TypeScript SDK client process (sdk-client-cold.mjs): spawn to listTools(), validators compiled. */
export function sdkClientColdStart(home, args, env = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLIENT, ...args], {
      env: { PATH: process.env.PATH ?? "", HOME: home, ...env },
      stdio: ["ignore", "pipe", "ignore"],
    });
    let out = "";
    child.stdout.on("data", (chunk) => {
      out += chunk;
    });
    child.on("error", reject);
    child.on("close", () => {
      try {
        resolve(JSON.parse(out).ms);
      } catch {
        reject(new Error(`sdk-client-cold.mjs printed ${JSON.stringify(out)}`));
      }
    });
  });
}
