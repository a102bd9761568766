/**
 * The only reader of process.env. Turns flags and environment into one frozen, validated Config.
 * Errors name the variable or flag and the rule; secrets never appear in them.
 */
import { randomBytes } from "node:crypto";
import { BlockList, isIP } from "node:net";
import { homedir } from "node:os";
import { join } from "node:path";
import { ConfigError } from "../core/errors.js";
import type { LogLevel } from "../core/log.js";
import type { Provider } from "../core/operation.js";
import { CHANNELS, type ChannelKind, channelAllowed, isChannelKind } from "../guard/channels.js";
import {
  type AtomicworkConfig,
  configuredProviders,
  type IiqConfig,
  type OktaConfig,
  PROVIDERS,
  providerOfToolset,
  TOOLSET_NAMES,
} from "../providers/index.js";
import { parsePrivateKey } from "../providers/okta-oauth.js";

export { ConfigError } from "../core/errors.js";
export type { LogLevel } from "../core/log.js";
export type { AtomicworkConfig, IiqAuth, IiqConfig, OktaConfig } from "../providers/index.js";

const DEFAULT_OKTA_SCOPES = ["okta.governance.entitlements.read", "okta.governance.entitlements.manage"];

export interface Flags {
  sandbox?: boolean;
  readOnly?: boolean;
  toolsets?: string;
  auditLog?: string;
  logLevel?: string;
  confirmCreates?: boolean;
  requireElicitation?: boolean;
  confirmChannel?: string;
  redisUrl?: string;
  http?: boolean;
  host?: string;
  port?: string;
  stateless?: boolean;
}

export interface HttpConfig {
  host: string;
  port: number;
  stateless: boolean;
  /** Bearer tokens HTTP clients may present, one per person or client; each is its own subject. */
  authTokens: string[];
  /** OAuth resource-server mode: JWT access tokens from this issuer, for this audience. */
  oauth?: { issuer: string; audience: string; jwksUrl?: string };
  allowedHosts: string[];
  allowedOrigins: string[];
  maxBodyBytes: number;
  /** JSON-RPC messages per minute per subject (a batch of N costs N). */
  rateLimitPerMinute: number;
  /** Open sessions per subject; at the cap the subject's least recently used idle one is closed. */
  maxSessionsPerSubject: number;
  /** Open sessions in all; at the cap the least recently used idle one is closed. */
  maxSessions: number;
  /**
   * The origin browsers reach this server at, for approval pages (ENTITLEMENT_MCP_PUBLIC_URL); by default
   * the OAuth audience's origin, else http://host:port.
   */
  publicUrl?: string;
}

export interface Config {
  /** Providers with a base URL and credentials. None: the caller starts the sandbox. */
  okta?: OktaConfig;
  atomicwork?: AtomicworkConfig;
  iiq?: IiqConfig;
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
  /**
   * Only a client's own dialog confirms (no tokens): tools that can need confirmation are offered only to
   * clients that can elicit. Set by `--require-elicitation` or ENTITLEMENT_MCP_REQUIRE_ELICITATION=1.
   */
  requireElicitation: boolean;
  /**
   * The weakest channel that may confirm a change (`--confirm-channel`, ENTITLEMENT_MCP_CONFIRM_CHANNEL):
   * form, card, page or token (the default). `--require-elicitation` means form; the stronger one wins.
   */
  confirmChannel: ChannelKind;
  /**
   * The longest a call waits for a slot under an upstream's rate limit before it fails fast with the time
   * to retry (ENTITLEMENT_MCP_UPSTREAM_RATE_WAIT, seconds; default 20, well under a client's 60 s timeout).
   */
  upstreamRateWaitMs: number;
  /** Bounded wait for a human answering an elicitation (DESIGN §2.4: under 60 s). */
  elicitationTimeoutMs: number;
  tokenTtlMs: number;
  /** Streamable HTTP instead of stdio (`--http`). */
  http?: HttpConfig;
  /** Replicas share spent tokens and rate budgets through this Redis (`--redis-url`, ENTITLEMENT_MCP_REDIS_URL). */
  redis?: { url: string; prefix: string };
  /** Values that must never be printed (tokens, keys). */
  secrets: readonly string[];
}

const LOOPBACK_ADDRESSES = new BlockList();
LOOPBACK_ADDRESSES.addSubnet("127.0.0.0", 8, "ipv4");
LOOPBACK_ADDRESSES.addAddress("::1", "ipv6");

/**
 * True only for `localhost` and literal loopback addresses: 127.0.0.0/8 written as a dotted IPv4 address,
 * and ::1 in any IPv6 spelling (bracketed or not). A name that merely starts like one (`127.evil.example`,
 * `localhost.evil`) or another spelling of a number (`0x7f.1`) is not loopback: DNS decides where it goes.
 */
export function isLoopbackHost(host: string): boolean {
  const name = (host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host).toLowerCase();
  if (name === "localhost") return true;
  const family = isIP(name);
  if (family === 0) return false;
  try {
    return LOOPBACK_ADDRESSES.check(name, family === 4 ? "ipv4" : "ipv6");
  } catch {
    // An address BlockList cannot parse (an IPv6 zone id, say) is not a loopback literal.
    return false;
  }
}

/** An https URL (http only on loopback), without query or fragment; `originOnly` also refuses a path. */
function parseBaseUrl(variable: string, value: string, example: string, originOnly: boolean): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${variable}: must be an absolute URL such as ${example}.`);
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && isLoopbackHost(url.hostname))) {
    throw new ConfigError(`${variable}: must use https:// (http:// is allowed only for loopback hosts).`);
  }
  if (url.search || url.hash || url.username || url.password) {
    throw new ConfigError(`${variable}: must not carry a query, fragment or credentials.`);
  }
  if (originOnly && url.pathname !== "/" && url.pathname !== "") {
    throw new ConfigError(`${variable}: must be the origin only, without a path.`);
  }
  return originOnly ? url.origin : `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}

function parseOrgUrl(value: string): string {
  return parseBaseUrl("OKTA_ORG_URL", value, "https://acme.okta.com", true);
}

function trimmed(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

function atomicworkFromEnv(env: NodeJS.ProcessEnv): AtomicworkConfig | undefined {
  const baseUrl = trimmed(env, "ATOMICWORK_BASE_URL");
  const tenant = trimmed(env, "ATOMICWORK_TENANT");
  const apiKey = trimmed(env, "ATOMICWORK_API_KEY");
  const workspaceId = trimmed(env, "ATOMICWORK_WORKSPACE_ID");
  if (!baseUrl && !tenant && !apiKey && !workspaceId) return undefined;
  if (baseUrl && tenant)
    throw new ConfigError("ATOMICWORK_BASE_URL and ATOMICWORK_TENANT: set one, not both.");
  if (!baseUrl && !tenant) {
    throw new ConfigError(
      "ATOMICWORK_BASE_URL (or ATOMICWORK_TENANT) is missing: Atomicwork credentials are set.",
    );
  }
  if (!apiKey)
    throw new ConfigError("ATOMICWORK_API_KEY is missing: the Atomicwork URL is set but no API key is.");
  if (tenant && !/^[a-z0-9][a-z0-9-]{0,62}$/i.test(tenant)) {
    throw new ConfigError(
      "ATOMICWORK_TENANT: must be the tenant's sub-domain only (letters, digits, dashes).",
    );
  }
  if (workspaceId && !/^\d{1,19}$/.test(workspaceId)) {
    throw new ConfigError("ATOMICWORK_WORKSPACE_ID: must be the numeric workspace id.");
  }
  const url = baseUrl
    ? parseBaseUrl("ATOMICWORK_BASE_URL", baseUrl, "https://acme.atomicwork.com", true)
    : `https://${tenant}.atomicwork.com`;
  return { baseUrl: url, apiKey, workspaceId };
}

function iiqFromEnv(env: NodeJS.ProcessEnv): IiqConfig | undefined {
  const baseUrl = trimmed(env, "IIQ_BASE_URL");
  const username = trimmed(env, "IIQ_USERNAME");
  const password = env.IIQ_PASSWORD ? env.IIQ_PASSWORD : undefined;
  const clientId = trimmed(env, "IIQ_CLIENT_ID");
  const clientSecret = env.IIQ_CLIENT_SECRET ? env.IIQ_CLIENT_SECRET : undefined;
  if (!baseUrl && !username && !password && !clientId && !clientSecret) return undefined;
  if (!baseUrl)
    throw new ConfigError("IIQ_BASE_URL is missing: IdentityIQ credentials are set but not its URL.");
  const url = parseBaseUrl("IIQ_BASE_URL", baseUrl, "https://iiq.example.com/identityiq/scim/v2", false);
  const basic = Boolean(username || password);
  const oauth = Boolean(clientId || clientSecret);
  if (basic && oauth) {
    throw new ConfigError(
      "IIQ_USERNAME/IIQ_PASSWORD and IIQ_CLIENT_ID/IIQ_CLIENT_SECRET: set one pair, not both.",
    );
  }
  if (basic) {
    if (!username) throw new ConfigError("IIQ_USERNAME is missing: IIQ_PASSWORD is set.");
    if (!password) throw new ConfigError("IIQ_PASSWORD is missing: IIQ_USERNAME is set.");
    return { baseUrl: url, auth: { kind: "basic", username, password } };
  }
  if (oauth) {
    if (!clientId) throw new ConfigError("IIQ_CLIENT_ID is missing: IIQ_CLIENT_SECRET is set.");
    if (!clientSecret) throw new ConfigError("IIQ_CLIENT_SECRET is missing: IIQ_CLIENT_ID is set.");
    // The token endpoint sits beside the SCIM API: {context root}/oauth2/token (upstream-apis §3.2).
    const tokenUrl = `${url.replace(/\/scim\/v2$/i, "")}/oauth2/token`;
    return { baseUrl: url, auth: { kind: "oauth", clientId, clientSecret, tokenUrl } };
  }
  throw new ConfigError(
    "IIQ_USERNAME and IIQ_PASSWORD (or IIQ_CLIENT_ID and IIQ_CLIENT_SECRET) are missing.",
  );
}

function oktaFromEnv(env: NodeJS.ProcessEnv): OktaConfig | undefined {
  const orgUrl = trimmed(env, "OKTA_ORG_URL");
  const token = trimmed(env, "OKTA_API_TOKEN");
  const clientId = trimmed(env, "OKTA_CLIENT_ID");
  const privateKey = env.OKTA_PRIVATE_KEY?.trim() ? env.OKTA_PRIVATE_KEY : undefined;
  const keyId = trimmed(env, "OKTA_KEY_ID");
  if (!orgUrl && !token && !clientId && !privateKey && !keyId) return undefined;
  if (!orgUrl)
    throw new ConfigError("OKTA_ORG_URL is missing: Okta credentials are set but not the org URL.");
  const url = parseOrgUrl(orgUrl);
  if (token) return { orgUrl: url, apiToken: token };
  if (!clientId && !privateKey) {
    throw new ConfigError(
      "OKTA_API_TOKEN is missing: OKTA_ORG_URL is set but no credentials are. Set OKTA_API_TOKEN (or OKTA_CLIENT_ID " +
        "and OKTA_PRIVATE_KEY), or leave OKTA_ORG_URL unset to run on the sandbox.",
    );
  }
  if (!clientId) throw new ConfigError("OKTA_CLIENT_ID is missing: OKTA_PRIVATE_KEY is set.");
  if (!privateKey) throw new ConfigError("OKTA_PRIVATE_KEY is missing: OKTA_CLIENT_ID is set.");
  parsePrivateKey(privateKey); // throws ConfigError naming OKTA_PRIVATE_KEY
  const scopes = (trimmed(env, "OKTA_SCOPES") ?? DEFAULT_OKTA_SCOPES.join(" ")).split(/\s+/).filter(Boolean);
  return { orgUrl: url, oauth: { clientId, privateKey, keyId, scopes } };
}

function parseToolsets(value: string | undefined): Provider[] {
  if (!value) return [...PROVIDERS];
  const out: Provider[] = [];
  for (const raw of value.split(",")) {
    const name = raw.trim().toLowerCase();
    if (!name) continue;
    if (name === "all") return [...PROVIDERS];
    const provider = providerOfToolset(name);
    if (!provider) {
      throw new ConfigError(`--toolsets: unknown toolset "${name}"; use ${TOOLSET_NAMES.join(", ")} or all.`);
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

function positiveInt(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = trimmed(env, name);
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new ConfigError(`${name}: must be a whole number of at least 1.`);
  return n;
}

function httpFromFlags(flags: Flags, env: NodeJS.ProcessEnv): HttpConfig | undefined {
  if (!flags.http) return undefined;
  // `[::1]` and `::1` name the same address; the brackets belong in URLs only.
  const host = (flags.host ?? "127.0.0.1").replace(/^\[(.*)\]$/, "$1");
  const port = flags.port === undefined ? 3000 : Number(flags.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`--port: "${flags.port}" is not a port number (0-65535).`);
  }
  const authTokens = (trimmed(env, "ENTITLEMENT_MCP_AUTH_TOKEN") ?? "")
    .split(",")
    .map((t) => t.trim())
    .filter(Boolean);
  if (authTokens.some((t) => t.length < 16)) {
    throw new ConfigError("ENTITLEMENT_MCP_AUTH_TOKEN: each token must be at least 16 characters long.");
  }
  const issuer = trimmed(env, "ENTITLEMENT_MCP_OAUTH_ISSUER");
  let oauth: HttpConfig["oauth"];
  if (issuer) {
    const audience = trimmed(env, "ENTITLEMENT_MCP_OAUTH_AUDIENCE");
    if (!audience) {
      throw new ConfigError(
        "ENTITLEMENT_MCP_OAUTH_AUDIENCE is missing: with ENTITLEMENT_MCP_OAUTH_ISSUER set, name this server's resource URL (e.g. https://mcp.example.com/mcp).",
      );
    }
    const jwksUrl = trimmed(env, "ENTITLEMENT_MCP_OAUTH_JWKS_URL");
    oauth = {
      issuer: parseBaseUrl("ENTITLEMENT_MCP_OAUTH_ISSUER", issuer, "https://login.example.com", false),
      audience,
      jwksUrl: jwksUrl
        ? parseBaseUrl("ENTITLEMENT_MCP_OAUTH_JWKS_URL", jwksUrl, "https://login.example.com/keys", false)
        : undefined,
    };
  }
  if (!isLoopbackHost(host) && authTokens.length === 0 && !oauth) {
    throw new ConfigError(
      `ENTITLEMENT_MCP_AUTH_TOKEN is missing: --host ${host} is not a loopback address, so HTTP clients must present a bearer token.`,
    );
  }
  const list = (name: string) =>
    (trimmed(env, name) ?? "")
      .split(",")
      .map((v) => v.trim())
      .filter(Boolean);
  return {
    host,
    port,
    stateless: Boolean(flags.stateless),
    authTokens,
    oauth,
    allowedHosts: list("ENTITLEMENT_MCP_ALLOWED_HOSTS"),
    allowedOrigins: list("ENTITLEMENT_MCP_ALLOWED_ORIGINS"),
    maxBodyBytes: 1024 * 1024,
    publicUrl: publicUrlOf(env),
    rateLimitPerMinute: positiveInt(env, "ENTITLEMENT_MCP_RATE_LIMIT", 600),
    ...sessionLimits(env),
  };
}

function sessionLimits(env: NodeJS.ProcessEnv): Pick<HttpConfig, "maxSessions" | "maxSessionsPerSubject"> {
  const maxSessions = positiveInt(env, "ENTITLEMENT_MCP_MAX_SESSIONS", 1000);
  // Lowering only the total lowers the default per subject with it.
  const maxSessionsPerSubject = positiveInt(
    env,
    "ENTITLEMENT_MCP_MAX_SESSIONS_PER_SUBJECT",
    Math.min(20, maxSessions),
  );
  if (maxSessionsPerSubject > maxSessions) {
    throw new ConfigError(
      `ENTITLEMENT_MCP_MAX_SESSIONS_PER_SUBJECT: must not exceed ENTITLEMENT_MCP_MAX_SESSIONS (${maxSessions}); lower it or raise the total.`,
    );
  }
  return { maxSessions, maxSessionsPerSubject };
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
  const atomicwork = flags.sandbox ? undefined : atomicworkFromEnv(env);
  const iiq = flags.sandbox ? undefined : iiqFromEnv(env);
  const configured = configuredProviders({ okta, atomicwork, iiq });
  const sandbox = Boolean(flags.sandbox) || configured.length === 0;
  const requested = parseToolsets(flags.toolsets ?? env.ENTITLEMENT_MCP_TOOLSETS);
  const available: Provider[] = sandbox ? [...PROVIDERS] : configured;
  const secretText = env.ENTITLEMENT_MCP_SECRET?.trim();
  if (secretText !== undefined && secretText.length > 0 && secretText.length < 32) {
    throw new ConfigError("ENTITLEMENT_MCP_SECRET: must be at least 32 characters long.");
  }
  const iiqSecrets =
    iiq?.auth.kind === "basic"
      ? [iiq.auth.password]
      : iiq?.auth.kind === "oauth"
        ? [iiq.auth.clientSecret]
        : [];
  const http = httpFromFlags(flags, env);
  const redis = redisFromFlags(flags, env, Boolean(secretText));
  const secrets = [
    redis?.url,
    redis ? new URL(redis.url).password || undefined : undefined,
    okta?.apiToken,
    atomicwork?.apiKey,
    ...iiqSecrets,
    secretText,
    ...(http?.authTokens ?? []),
  ].filter((s): s is string => Boolean(s));
  const requireElicitation =
    Boolean(flags.requireElicitation) || parseSwitch(env, "ENTITLEMENT_MCP_REQUIRE_ELICITATION");
  const config: Config = {
    okta,
    atomicwork,
    iiq,
    sandbox,
    sandboxReason: flags.sandbox ? "flag" : sandbox ? "unconfigured" : undefined,
    readOnly: Boolean(flags.readOnly),
    toolsets: requested.filter((p) => available.includes(p)),
    auditLogPath: flags.auditLog || env.ENTITLEMENT_MCP_AUDIT_LOG || defaultAuditLogPath(env),
    logLevel: parseLogLevel(flags.logLevel ?? env.ENTITLEMENT_MCP_LOG_LEVEL),
    secret: secretText ? Buffer.from(secretText, "utf8") : randomBytes(32),
    secretFromEnv: Boolean(secretText),
    confirmCreates: Boolean(flags.confirmCreates),
    requireElicitation,
    confirmChannel: confirmChannelOf(flags, env, requireElicitation),
    upstreamRateWaitMs: Math.min(45, positiveInt(env, "ENTITLEMENT_MCP_UPSTREAM_RATE_WAIT", 20)) * 1000,
    elicitationTimeoutMs: 50_000,
    tokenTtlMs: 5 * 60_000,
    http,
    redis,
    secrets,
  };
  return Object.freeze(config);
}

/** The weakest channel allowed: the stronger of `--confirm-channel` and `--require-elicitation`. */
function confirmChannelOf(flags: Flags, env: NodeJS.ProcessEnv, requireElicitation: boolean): ChannelKind {
  const source = flags.confirmChannel !== undefined ? "--confirm-channel" : "ENTITLEMENT_MCP_CONFIRM_CHANNEL";
  const value =
    (flags.confirmChannel ?? env.ENTITLEMENT_MCP_CONFIRM_CHANNEL)?.trim().toLowerCase() || "token";
  if (!isChannelKind(value)) {
    throw new ConfigError(
      `${source}: "${value}" is not a confirmation channel; use one of ${CHANNELS.join(", ")} (strongest first).`,
    );
  }
  return requireElicitation && !channelAllowed(value, "form") ? "form" : value;
}

/** ENTITLEMENT_MCP_PUBLIC_URL: an origin (https, or http on loopback), where browsers open approval pages. */
function publicUrlOf(env: NodeJS.ProcessEnv): string | undefined {
  const value = trimmed(env, "ENTITLEMENT_MCP_PUBLIC_URL");
  return value
    ? parseBaseUrl("ENTITLEMENT_MCP_PUBLIC_URL", value, "https://mcp.example.com", true)
    : undefined;
}

const REDIS_PREFIX = /^[A-Za-z0-9:_.-]{1,64}$/;

/** The shared Redis, if one is named: redis:// or rediss://, with the secret every replica must share. */
function redisFromFlags(flags: Flags, env: NodeJS.ProcessEnv, sharedSecret: boolean): Config["redis"] {
  const source = flags.redisUrl !== undefined ? "--redis-url" : "ENTITLEMENT_MCP_REDIS_URL";
  const url = (flags.redisUrl ?? env.ENTITLEMENT_MCP_REDIS_URL)?.trim();
  if (!url) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError(
      `${source}: not a URL; use redis://host:6379 or rediss://host:6380 (the value is not shown).`,
    );
  }
  if (parsed.protocol !== "redis:" && parsed.protocol !== "rediss:") {
    throw new ConfigError(`${source}: use a redis:// or rediss:// URL, not ${parsed.protocol}//.`);
  }
  if (!sharedSecret) {
    throw new ConfigError(
      `ENTITLEMENT_MCP_SECRET is missing: with ${source}, replicas share spent confirmation tokens, so they must also share the key that seals them (at least 32 characters).`,
    );
  }
  const prefix = env.ENTITLEMENT_MCP_REDIS_PREFIX?.trim() || "entitlement-mcp:";
  if (!REDIS_PREFIX.test(prefix)) {
    throw new ConfigError(
      "ENTITLEMENT_MCP_REDIS_PREFIX: 1-64 letters, digits and : _ . - (it starts every key).",
    );
  }
  return { url, prefix };
}

/** An on/off variable: 1/true/yes or 0/false/no (or unset); anything else is an error naming it. */
function parseSwitch(env: NodeJS.ProcessEnv, name: string): boolean {
  const value = env[name]?.trim().toLowerCase();
  if (value === undefined || value === "" || value === "0" || value === "false" || value === "no")
    return false;
  if (value === "1" || value === "true" || value === "yes") return true;
  throw new ConfigError(`${name}: use 1 or 0 (true or false), not "${env[name]}".`);
}
