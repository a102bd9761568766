#!/usr/bin/env node
/**
 * The command line: flags -> config -> [sandbox] -> server -> transport (stdio or HTTP), and the
 * standalone emulator (`entitlement-mcp sandbox`). src/cli/bin.ts is the entry that loads it.
 * stdout carries only the MCP protocol; everything a person should read goes to stderr.
 */
import { parseArgs } from "node:util";
import { deferredOperations } from "../../tools/deferred.js";
import { loadOperations } from "../../tools/load.js";
import { registerSecret } from "../core/errors.js";
import { createLogger, type Logger } from "../core/log.js";
import { SubjectLimiter } from "../core/subject-limit.js";
import { VERSION } from "../core/version.js";
import { FileAuditLog } from "../guard/audit.js";
import { ConfirmationTokens, LocalSpentTokens } from "../guard/confirm-token.js";
import { PendingChanges } from "../guard/pending.js";
import type { ApprovalPageHost } from "../mcp/approval-page.js";
import { createServer } from "../mcp/server.js";
import { configuredEndpoints, sandboxEndpoints } from "../providers/index.js";
import { SANDBOX_CREDENTIALS } from "../sandbox/credentials.js";
import type { DeferredSandbox } from "../sandbox/deferred.js";
import { UpstreamClient } from "../upstream/client.js";
import { RateLimiter } from "../upstream/rate-limit.js";
import { loopbackApprovalPages } from "./approval-listener.js";
import { approvalPath } from "./approval-routes.js";
import { type Config, ConfigError, type Flags, isLoopbackHost, loadConfig } from "./config.js";
import { startupProblem } from "./startup-errors.js";
import { flushed, startStdio } from "./stdio.js";

const HELP = `entitlement-mcp ${VERSION}: an MCP server for identity-governance entitlements

Usage:
  entitlement-mcp [options]          MCP over stdio. Providers come from the environment; with none
                                     configured it serves the embedded sandbox and says so on stderr.
  entitlement-mcp --sandbox          Forces the embedded sandbox, whatever the environment says.
  entitlement-mcp sandbox [--port 8787] [--seed demo|empty] [--scale N] [--rate-limit N]
                                     Runs only the emulator, to point the server (or anything) at it.

Options:
  --read-only           Register only read tools (no tool that can change anything).
  --toolsets LIST       Comma-separated providers to expose: okta, atomicwork, iiq, all (default all
                        configured ones).
  --audit-log PATH      Where the JSON-lines audit log goes (default:
                        $XDG_STATE_HOME/entitlement-mcp/audit.jsonl, else ~/.local/state/...).
  --confirm-creates     Also ask for confirmation before creates (widens the guard; it never narrows).
  --confirm-channel form|card|page|token
                        The weakest way a person may confirm a change (default token): form (the client's
                        own dialog), card (an approval card in the conversation, MCP Apps), page (an
                        approval page the server hosts, URL elicitation), token (relayed by the assistant).
                        Tools that may need confirmation are hidden from clients that can confirm only in a
                        weaker way (ENTITLEMENT_MCP_CONFIRM_CHANNEL does the same).
  --require-elicitation The same as --confirm-channel form (ENTITLEMENT_MCP_REQUIRE_ELICITATION=1 too).
  --redis-url URL       Replicas share spent confirmation tokens and rate budgets through this Redis
                        (redis:// or rediss://; same as ENTITLEMENT_MCP_REDIS_URL; needs ENTITLEMENT_MCP_SECRET).
  --log-level LEVEL     debug, info (default), warn or error; logs go to stderr.
  --http                MCP over Streamable HTTP at /mcp (plus GET /healthz) instead of stdio.
  --host HOST           Address to bind with --http (default 127.0.0.1). Anything but localhost or a
                        loopback address (127.x.x.x, ::1) needs a bearer token.
  --port PORT           Port for --http (default 3000; 0 picks a free one).
  --stateless           With --http: no sessions, a fresh server per request (for load balancers);
                        confirmations use tokens only, verifiable by any replica sharing the secret.
  --help, --version

Environment:
  OKTA_ORG_URL                  e.g. https://acme.okta.com (http:// only for loopback hosts).
  OKTA_API_TOKEN                Okta SSWS API token (admin with the Application Administrator role), or
  OKTA_CLIENT_ID, OKTA_PRIVATE_KEY, OKTA_KEY_ID, OKTA_SCOPES
                                an OAuth service app: private_key_jwt (PEM or JWK key), DPoP when the org
                                requires it; scopes default to okta.governance.entitlements.read/manage.
  ATOMICWORK_TENANT             Atomicwork tenant sub-domain (or ATOMICWORK_BASE_URL, the base URL).
  ATOMICWORK_API_KEY            Atomicwork API key (X-Api-Key).
  ATOMICWORK_WORKSPACE_ID       Atomicwork workspace id (X-Workspace-Id).
  IIQ_BASE_URL                  IdentityIQ SCIM base, e.g. https://iiq.example.com/identityiq/scim/v2.
  IIQ_USERNAME, IIQ_PASSWORD    IdentityIQ Basic auth, or
  IIQ_CLIENT_ID, IIQ_CLIENT_SECRET  IdentityIQ OAuth client credentials.
  ENTITLEMENT_MCP_SECRET        Key for confirmation tokens (>= 32 chars); random per process when unset.
  ENTITLEMENT_MCP_AUTH_TOKEN    Bearer token(s) HTTP clients must present, comma-separated, one per person
                                or client (required off loopback); each is its own subject.
  ENTITLEMENT_MCP_OAUTH_ISSUER, ENTITLEMENT_MCP_OAUTH_AUDIENCE, ENTITLEMENT_MCP_OAUTH_JWKS_URL
                                OAuth resource-server mode for HTTP: JWT access tokens from this issuer
                                for this audience (this server's /mcp URL); JWKS found from the issuer.
  ENTITLEMENT_MCP_RATE_LIMIT    HTTP JSON-RPC messages per minute per subject (default 600; a batch of N
                                costs N; batches hold at most 50 messages).
  ENTITLEMENT_MCP_UPSTREAM_RATE_WAIT  Seconds a call waits for a slot under an upstream's rate limit before
                                it fails fast, naming the next slot (default 20, at most 45).
  ENTITLEMENT_MCP_MAX_SESSIONS_PER_SUBJECT, ENTITLEMENT_MCP_MAX_SESSIONS
                                HTTP sessions per subject (default 20) and in all (default 1000); at a cap
                                a new session replaces the least recently used idle one, or gets 429/503.
  ENTITLEMENT_MCP_ALLOWED_HOSTS, ENTITLEMENT_MCP_ALLOWED_ORIGINS
                                Extra Host and Origin values HTTP accepts (comma-separated).
  ENTITLEMENT_MCP_PUBLIC_URL    The origin browsers reach the HTTP server at, for approval pages (default
                                the OAuth audience's origin, else http://host:port).
  ENTITLEMENT_MCP_REDIS_URL     Same as --redis-url; ENTITLEMENT_MCP_REDIS_PREFIX starts every key (default
                                entitlement-mcp:).
  ENTITLEMENT_MCP_AUDIT_LOG     Same as --audit-log.
  ENTITLEMENT_MCP_TOOLSETS      Same as --toolsets.
  ENTITLEMENT_MCP_LOG_LEVEL     Same as --log-level.
  A provider is enabled when its URL and credentials are set; a half-configured one is a startup error.
`;

/** A start-up failure a person can fix: one line naming the cause and the fix, exit code 2. */
function fail(message: string): never {
  process.stderr.write(`entitlement-mcp: ${message}\n`);
  process.exit(2);
}

async function runSandboxOnly(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: "string", default: "8787" },
      host: { type: "string", default: "127.0.0.1" },
      seed: { type: "string", default: "demo" },
      scale: { type: "string", default: "0" },
      "rate-limit": { type: "string" },
      help: { type: "boolean" },
    },
    strict: true,
  });
  if (values.help) {
    process.stderr.write(HELP);
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    fail(`--port: "${values.port}" is not a port number.`);
  if (values.seed !== "demo" && values.seed !== "empty")
    fail(`--seed: use demo or empty, not "${values.seed}".`);
  const scale = Number(values.scale);
  if (!Number.isInteger(scale) || scale < 0 || scale > 1_000_000)
    fail("--scale: a whole number from 0 to 1000000.");
  const limit = values["rate-limit"] === undefined ? undefined : Number(values["rate-limit"]);
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1))
    fail("--rate-limit: a whole number >= 1.");
  const { startSandbox } = await import("../sandbox/index.js");
  const sandbox = await startSandbox({
    port,
    host: values.host,
    seed: values.seed,
    scale,
    rateLimit: limit ? { limit } : undefined,
  });
  process.stderr.write(
    `entitlement-mcp sandbox: the Okta, Atomicwork and IdentityIQ emulators are listening on ${sandbox.url}\n` +
      `  point the server at it like at real tenants, e.g. OKTA_ORG_URL=${sandbox.url} OKTA_API_TOKEN=${SANDBOX_CREDENTIALS.okta.apiToken}\n` +
      `  ATOMICWORK_BASE_URL=${sandbox.url} ATOMICWORK_API_KEY=${SANDBOX_CREDENTIALS.atomicwork.apiKey} ` +
      `ATOMICWORK_WORKSPACE_ID=${SANDBOX_CREDENTIALS.atomicwork.workspaceId}\n` +
      `  IIQ_BASE_URL=${sandbox.url}/identityiq/scim/v2 IIQ_USERNAME=${SANDBOX_CREDENTIALS.iiq.username} ` +
      `IIQ_PASSWORD=${SANDBOX_CREDENTIALS.iiq.password}\n`,
  );
  const stop = () => void sandbox.close().then(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

function parseServerFlags(args: string[]): Flags & { help?: boolean; version?: boolean } {
  const { values } = parseArgs({
    args,
    options: {
      sandbox: { type: "boolean" },
      "read-only": { type: "boolean" },
      toolsets: { type: "string" },
      "audit-log": { type: "string" },
      "log-level": { type: "string" },
      "confirm-creates": { type: "boolean" },
      "require-elicitation": { type: "boolean" },
      "confirm-channel": { type: "string" },
      "redis-url": { type: "string" },
      http: { type: "boolean" },
      host: { type: "string" },
      port: { type: "string" },
      stateless: { type: "boolean" },
      help: { type: "boolean", short: "h" },
      version: { type: "boolean", short: "v" },
    },
    strict: true,
  });
  return {
    sandbox: values.sandbox,
    readOnly: values["read-only"],
    toolsets: values.toolsets,
    auditLog: values["audit-log"],
    logLevel: values["log-level"],
    confirmCreates: values["confirm-creates"],
    requireElicitation: values["require-elicitation"],
    confirmChannel: values["confirm-channel"],
    redisUrl: values["redis-url"],
    http: values.http,
    host: values.host,
    port: values.port,
    stateless: values.stateless,
    help: values.help,
    version: values.version,
  };
}

function announceSandbox(config: Config, sandbox: DeferredSandbox, log: Logger): void {
  const why = config.sandboxReason === "flag" ? "--sandbox was given" : "no provider is configured";
  // Over HTTP the address to connect to follows (announceHttp); over stdio a client already started us.
  const connect = config.http
    ? ""
    : "To add it to Claude Code: claude mcp add entitlements -- entitlement-mcp --sandbox. ";
  log.info(
    `${why}: serving the embedded sandbox, emulators of Okta Identity Governance, Atomicwork and ` +
      `SailPoint IdentityIQ with a demo org, at ${sandbox.url} (no tenant, no credentials needed). ${connect}` +
      "Set a provider's variables (e.g. OKTA_ORG_URL and OKTA_API_TOKEN) to manage a real one.",
  );
}

async function runServer(args: string[]): Promise<void> {
  const flags = parseServerFlags(args);
  if (flags.help) {
    process.stderr.write(HELP);
    return;
  }
  if (flags.version) {
    process.stderr.write(`${VERSION}\n`);
    return;
  }
  const config = loadConfig(flags);
  for (const secret of config.secrets) registerSecret(secret);
  const log = createLogger(config.logLevel, config.secrets);

  let sandbox: DeferredSandbox | undefined;
  let endpoints = configuredEndpoints(config);
  if (config.sandbox) {
    const { startDeferredSandbox } = await import("../sandbox/deferred.js");
    sandbox = await startDeferredSandbox();
    endpoints = sandboxEndpoints(sandbox.url);
  }
  // Replicas share spent tokens and rate budgets through Redis when one is named (loaded only then).
  const shared = config.redis
    ? (await import("../replicas/redis.js")).connectSharedState({
        ...config.redis,
        log: (line) => log.warn(line),
      })
    : undefined;
  const upstream = new UpstreamClient({
    providers: endpoints,
    budget: shared?.rateBudget(new RateLimiter()),
    maxRateWaitMs: config.upstreamRateWaitMs,
  });
  const audit = new FileAuditLog(config.auditLogPath, config.secrets, (err) =>
    log.error(`could not write the audit log ${config.auditLogPath}: ${(err as Error).message}`),
  );
  const tokens = new ConfirmationTokens(config.secret, config.tokenTtlMs, Date.now, shared?.spentTokens);
  // The bin registers stand-ins and loads the definitions after the session's first answers (stdio) or
  // before it listens (HTTP); elsewhere they load now.
  const deferred = deferredOperations(config.toolsets);
  const operations = deferred?.operations ?? (await loadOperations(config.toolsets));
  // Approval cards' and pages' changes wait here; a decision spends them through the same store as tokens.
  const pending = new PendingChanges(
    config.tokenTtlMs,
    Date.now,
    shared?.spentTokens ?? new LocalSpentTokens(),
  );
  // Approval pages: under the HTTP server's own origin, or on a loopback listener opened on demand (stdio).
  let pageHost: ApprovalPageHost | undefined;
  let pageOrigin: string | undefined;
  let stopPages: () => Promise<void> = async () => {};
  if (config.http && !config.http.stateless) {
    pageHost = {
      open: async (id, secret) => `${pageOrigin}${approvalPath(id, secret)}`,
      close: () => {},
    };
  } else if (!config.http) {
    const pages = loopbackApprovalPages(pending, config.secret, (line) => log.info(line));
    pageHost = pages;
    stopPages = pages.shutdown;
  }
  const makeServer = () =>
    createServer(
      {
        toolsets: config.toolsets,
        readOnly: config.readOnly,
        confirmCreates: config.confirmCreates,
        requireElicitation: config.requireElicitation,
        confirmChannel: config.confirmChannel,
        elicitationTimeoutMs: config.elicitationTimeoutMs,
        processCaller: `stdio:${process.pid}`,
        elicitation: !config.http?.stateless,
      },
      {
        upstream,
        audit,
        tokens,
        onAuditError: (err) => log.error(`audit log write failed: ${(err as Error).message}`),
        operations,
        pending,
        pageHost,
        definitionsLoaded: deferred?.load,
      },
    );
  log.debug(`audit log: ${config.auditLogPath}; toolsets: ${config.toolsets.join(",") || "none"}`);
  if (config.confirmChannel !== "token" && config.http?.stateless) {
    log.warn(
      `--confirm-channel ${config.confirmChannel} with --stateless: only tokens can confirm without sessions, so tools that may need confirmation are not offered.`,
    );
  }

  // Shutdown (stdin EOF, SIGINT, SIGTERM): take no new requests, let the running ones answer (a write
  // already sent upstream is answered and audited), flush the audit log and stdout, close, exit.
  const graceMs = shutdownGraceMs();
  let stopTransport: () => Promise<void> = async () => {};
  let closeTransport: () => Promise<void> = async () => {};
  let closing = false;
  const shutdown = async (reason: string) => {
    if (closing) return;
    closing = true;
    log.info(
      `shutting down (${reason}): taking no new requests, waiting up to ${graceMs / 1000} s for the running ` +
        "ones. A second SIGINT or SIGTERM stops at once.",
    );
    await stopTransport().catch((err) =>
      log.error(`stopping the transport failed: ${(err as Error).message}`),
    );
    // Past this point nothing may hold the exit for long: a reader that never reads, a stuck close.
    setTimeout(() => {
      log.error(`shutdown took more than ${graceMs / 1000} s after the requests ended; exiting now.`);
      process.exit(1);
    }, graceMs);
    await audit.flush().catch(() => {});
    await flushed(process.stdout);
    await closeTransport().catch(() => {});
    await stopPages().catch(() => {});
    await upstream.close().catch(() => {});
    await shared?.close().catch(() => {});
    await sandbox?.close().catch(() => {});
    await flushed(process.stderr);
    process.exit(0);
  };
  if (config.http) {
    await deferred?.load();
    const { startHttp } = await import("./http.js");
    const perMinute = config.http.rateLimitPerMinute;
    const http = await startHttp(
      makeServer,
      {
        ...config.http,
        sessionIdleMs: 30 * 60_000,
        subjectLimit: shared?.subjectLimit(new SubjectLimiter(perMinute), perMinute),
        health: shared?.health,
        approvals: config.http.stateless ? undefined : { pending, secret: config.secret },
      },
      (line) => log.warn(line),
    );
    if (
      !config.http.stateless &&
      !config.http.publicUrl &&
      !config.http.oauth &&
      !isLoopbackHost(config.http.host)
    ) {
      log.warn(
        `approval pages will be linked under ${new URL(http.url).origin}; set ENTITLEMENT_MCP_PUBLIC_URL to the origin browsers reach this server at.`,
      );
    }
    pageOrigin =
      config.http.publicUrl ??
      (config.http.oauth ? new URL(config.http.oauth.audience).origin : new URL(http.url).origin);
    // close() answers new requests 503 and waits (bounded) for the running ones.
    stopTransport = () => http.close();
    // Announced once the transport is up, so a start that fails says only why.
    if (sandbox) announceSandbox(config, sandbox, log);
    announceHttp(http.url, config);
  } else {
    const stdio = await startStdio(
      makeServer(),
      (reason) => void shutdown(reason),
      deferred && {
        run: deferred.load,
        onError: (err) => log.error(`could not load the operation definitions: ${(err as Error).message}`),
      },
    );
    stopTransport = async () => {
      if (stdio.stopTaking() === 0) return;
      const abandoned = await stdio.settled(graceMs);
      if (abandoned.length > 0) {
        log.warn(
          `${abandoned.length} request(s) still running after ${graceMs / 1000} s are abandoned: ` +
            `${abandoned.join(", ")}. An audit line "executing" with no outcome after it marks a write ` +
            "whose result is unknown: read the object upstream to see whether it changed.",
        );
      }
    };
    closeTransport = stdio.close;
    if (sandbox) announceSandbox(config, sandbox, log);
  }
  const onSignal = (signal: NodeJS.Signals) => {
    if (!closing) {
      void shutdown(signal);
      return;
    }
    log.warn(`${signal} during shutdown: exiting at once; requests still running are abandoned.`);
    process.exit(1);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
}

/**
 * How long shutdown waits for running requests: 30 s. ENTITLEMENT_MCP_SHUTDOWN_GRACE_MS overrides it for
 * tests only (not documented in --help).
 */
function shutdownGraceMs(): number {
  const fromEnv = Number(process.env.ENTITLEMENT_MCP_SHUTDOWN_GRACE_MS);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : 30_000;
}

/** One way to connect each client to this server, printed once it listens. */
function announceHttp(url: string, config: Config): void {
  const token = config.http?.authTokens.length ? "<your token>" : undefined;
  const header = token ? ` --header "Authorization: Bearer ${token}"` : "";
  const headers = token ? `, "headers": {"Authorization": "Bearer ${token}"}` : "";
  process.stderr.write(
    `entitlement-mcp: MCP over Streamable HTTP at ${url}${config.http?.stateless ? " (stateless)" : ""}\n` +
      "Connect a client to it:\n" +
      `  Claude Code: claude mcp add --transport http entitlements ${url}${header}\n` +
      `  Cursor (~/.cursor/mcp.json): {"mcpServers": {"entitlements": {"url": "${url}"${headers}}}}\n` +
      `  VS Code (.vscode/mcp.json): {"servers": {"entitlements": {"type": "http", "url": "${url}"${headers}}}}\n` +
      "  Claude Desktop starts its own server over stdio instead: see the README's Claude Desktop section.\n",
  );
}

async function main(argv: string[]): Promise<void> {
  try {
    if (argv[0] === "sandbox") await runSandboxOnly(argv.slice(1));
    else await runServer(argv);
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message);
    if (err instanceof TypeError && "code" in err && String(err.code).startsWith("ERR_PARSE_ARGS"))
      fail(`${err.message} (entitlement-mcp --help lists the options)`);
    const problem = startupProblem(err);
    if (problem) fail(problem);
    process.stderr.write(`entitlement-mcp: failed to start: ${(err as Error)?.stack ?? String(err)}\n`);
    process.exit(1);
  }
}

void main(process.argv.slice(2));
