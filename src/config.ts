/**
 * The only reader of process.env. Turns flags and environment into one frozen, validated Config.
 * Errors name the variable or flag and the rule; secrets never appear in them.
 */
import { randomBytes } from "node:crypto";
import { homedir } from "node:os";
import { join } from "node:path";
import type { Provider } from "./operation.js";

export const PROVIDERS: readonly Provider[] = ["okta", "atomicwork", "sailpoint-iiq"];
/** `--toolsets` names: the short forms the CLI documents. */
const TOOLSET_NAMES: Record<string, Provider> = {
  okta: "okta",
  atomicwork: "atomicwork",
  iiq: "sailpoint-iiq",
  "sailpoint-iiq": "sailpoint-iiq",
};

export type LogLevel = "debug" | "info" | "warn" | "error";

export interface OktaConfig {
  orgUrl: string;
  apiToken: string;
}

export interface Flags {
  sandbox?: boolean;
  readOnly?: boolean;
  toolsets?: string;
  auditLog?: string;
  logLevel?: string;
  confirmCreates?: boolean;
}

export interface Config {
  /** Providers with a base URL and credentials. Empty: the caller starts the sandbox. */
  okta?: OktaConfig;
  /** `--sandbox`, or nothing configured: serve the embedded emulator. */
  sandbox: boolean;
  sandboxReason?: "flag" | "unconfigured";
  readOnly: boolean;
  /** Providers whose tools are registered (toolsets ∩ configured). */
  toolsets: readonly Provider[];
  auditLogPath: string;
  logLevel: LogLevel;
  /** Key for confirmation tokens. */
  secret: Buffer;
  secretFromEnv: boolean;
  /** Widen the guard to creates of entitlements and bundles. */
  confirmCreates: boolean;
  /** Bounded wait for a human answering an elicitation (DESIGN §2.4: under 60 s). */
  elicitationTimeoutMs: number;
  tokenTtlMs: number;
  /** Values that must never be printed (tokens, keys). */
  secrets: readonly string[];
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK.has(host) || host.startsWith("127.");
}

function parseOrgUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError("OKTA_ORG_URL: must be an absolute URL such as https://acme.okta.com.");
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && isLoopbackHost(url.hostname))) {
    throw new ConfigError("OKTA_ORG_URL: must use https:// (http:// is allowed only for loopback hosts).");
  }
  if (url.search || url.hash || (url.pathname !== "/" && url.pathname !== "")) {
    throw new ConfigError("OKTA_ORG_URL: must be the org's origin only, without a path or query.");
  }
  return url.origin;
}

function oktaFromEnv(env: NodeJS.ProcessEnv): OktaConfig | undefined {
  const orgUrl = env.OKTA_ORG_URL?.trim();
  const token = env.OKTA_API_TOKEN?.trim();
  const oauth = ["OKTA_CLIENT_ID", "OKTA_PRIVATE_KEY", "OKTA_KEY_ID"].filter((k) => env[k]?.trim());
  if (!orgUrl && !token && oauth.length === 0) return undefined;
  if (!orgUrl)
    throw new ConfigError("OKTA_ORG_URL is missing: Okta credentials are set but not the org URL.");
  if (!token) {
    if (oauth.length > 0) {
      throw new ConfigError(
        "OKTA_API_TOKEN is missing: OAuth service-app auth (OKTA_CLIENT_ID, OKTA_PRIVATE_KEY) is not supported " +
          "in this version; set OKTA_API_TOKEN (SSWS) instead.",
      );
    }
    throw new ConfigError("OKTA_API_TOKEN is missing: OKTA_ORG_URL is set but no credentials are.");
  }
  return { orgUrl: parseOrgUrl(orgUrl), apiToken: token };
}

function parseToolsets(value: string | undefined): Provider[] {
  if (!value) return [...PROVIDERS];
  const out: Provider[] = [];
  for (const raw of value.split(",")) {
    const name = raw.trim().toLowerCase();
    if (!name) continue;
    if (name === "all") return [...PROVIDERS];
    const provider = TOOLSET_NAMES[name];
    if (!provider) {
      throw new ConfigError(`--toolsets: unknown toolset "${name}"; use okta, atomicwork, iiq or all.`);
    }
    if (!out.includes(provider)) out.push(provider);
  }
  return out;
}

function parseLogLevel(value: string | undefined): LogLevel {
  const level = (value ?? "info").toLowerCase();
  if (level === "debug" || level === "info" || level === "warn" || level === "error") return level;
  throw new ConfigError(`--log-level: "${value}" is not one of debug, info, warn, error.`);
}

/** The user's state directory (XDG on Unix, LOCALAPPDATA on Windows). */
export function defaultAuditLogPath(env: NodeJS.ProcessEnv): string {
  const base =
    env.XDG_STATE_HOME ||
    (process.platform === "win32" && env.LOCALAPPDATA
      ? env.LOCALAPPDATA
      : join(homedir(), ".local", "state"));
  return join(base, "entitlement-mcp", "audit.jsonl");
}

export function loadConfig(flags: Flags, env: NodeJS.ProcessEnv = process.env): Config {
  const okta = flags.sandbox ? undefined : oktaFromEnv(env);
  const configured: Provider[] = okta ? ["okta"] : [];
  const sandbox = Boolean(flags.sandbox) || configured.length === 0;
  const requested = parseToolsets(flags.toolsets ?? env.ENTITLEMENT_MCP_TOOLSETS);
  // The sandbox emulates Okta today; Atomicwork and IdentityIQ arrive with their providers.
  const available: Provider[] = sandbox ? ["okta"] : configured;
  const secretText = env.ENTITLEMENT_MCP_SECRET?.trim();
  if (secretText !== undefined && secretText.length > 0 && secretText.length < 32) {
    throw new ConfigError("ENTITLEMENT_MCP_SECRET: must be at least 32 characters long.");
  }
  const secrets = [okta?.apiToken, secretText].filter((s): s is string => Boolean(s));
  const config: Config = {
    okta,
    sandbox,
    sandboxReason: flags.sandbox ? "flag" : sandbox ? "unconfigured" : undefined,
    readOnly: Boolean(flags.readOnly),
    toolsets: requested.filter((p) => available.includes(p)),
    auditLogPath: flags.auditLog || env.ENTITLEMENT_MCP_AUDIT_LOG || defaultAuditLogPath(env),
    logLevel: parseLogLevel(flags.logLevel ?? env.ENTITLEMENT_MCP_LOG_LEVEL),
    secret: secretText ? Buffer.from(secretText, "utf8") : randomBytes(32),
    secretFromEnv: Boolean(secretText),
    confirmCreates: Boolean(flags.confirmCreates),
    elicitationTimeoutMs: 50_000,
    tokenTtlMs: 5 * 60_000,
    secrets,
  };
  return Object.freeze(config);
}
