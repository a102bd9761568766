/**
 * Diagnostics for operators, on stderr only: stdout belongs to the MCP protocol.
 * Every line passes through the secret redaction of errors.ts.
 */
import { redactSecrets } from "./errors.js";

export type LogLevel = "debug" | "info" | "warn" | "error";

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export function createLogger(level: LogLevel, secrets: readonly string[] = []): Logger {
  const write = (at: LogLevel, message: string) => {
    if (ORDER[at] < ORDER[level]) return;
    process.stderr.write(`entitlement-mcp ${at}: ${redactSecrets(message, [...secrets])}\n`);
  };
  return {
    debug: (m) => write("debug", m),
    info: (m) => write("info", m),
    warn: (m) => write("warn", m),
    error: (m) => write("error", m),
  };
}
