/**
 * How IdentityIQ authenticates (upstream-apis §3.2): HTTP Basic with the admin's credentials, or a Bearer
 * token from the OAuth client-credentials endpoint (`/identityiq/oauth2/token`, Basic client auth,
 * tokens valid 1200 s by default).
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import type { RouteTable, SandboxRequest, SandboxResponse } from "../kit/http.js";
import { ScimError } from "./scim.js";

export interface IiqAuthConfig {
  username: string;
  password: string;
  clientId: string;
  clientSecret: string;
  now: () => number;
  /** Lifetime of OAuth tokens (IdentityIQ's default is 1200 s). */
  tokenTtlSeconds?: number;
}

/** The user and password of a `Basic` authorization header, or [] for any other. */
function basicCredentials(header: string): string[] {
  if (!header.startsWith("Basic ")) return [];
  const [user, ...rest] = Buffer.from(header.slice(6), "base64").toString("utf8").split(":");
  return [user as string, rest.join(":")];
}

export class IiqAuth {
  /** Issued tokens and when they expire (ms). */
  private readonly tokens = new Map<string, number>();

  constructor(private readonly cfg: IiqAuthConfig) {}

  /** Passes a request with the admin's Basic credentials or a live token; anything else is a SCIM 401. */
  authenticate(req: SandboxRequest): void {
    const header = String(req.headers.authorization ?? "");
    const [user, password] = basicCredentials(header);
    if (user === this.cfg.username && password === this.cfg.password) return;
    if (header.toLowerCase().startsWith("bearer ")) {
      const expiry = this.tokens.get(header.slice(7));
      if (expiry !== undefined && expiry > this.cfg.now()) return;
    }
    throw new ScimError(
      401,
      "Authentication failed: credentials are missing or invalid",
      "invalidCredentials",
    );
  }

  /** The token endpoint: client credentials in Basic auth, `grant_type=client_credentials`. */
  issueToken(req: SandboxRequest): SandboxResponse {
    const form = new URLSearchParams(req.body);
    const grant = form.get("grant_type") ?? req.query.get("grant_type");
    const [id, secret = ""] = basicCredentials(String(req.headers.authorization ?? ""));
    const same = (a: string, b: string) =>
      a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
    if (id !== this.cfg.clientId || !same(secret, this.cfg.clientSecret)) {
      return { status: 401, body: { error: "invalid_client", error_description: "Bad client credentials" } };
    }
    if (grant !== "client_credentials") {
      return {
        status: 400,
        body: { error: "unsupported_grant_type", error_description: "Use client_credentials" },
      };
    }
    const token = randomBytes(24).toString("base64url");
    const ttl = this.cfg.tokenTtlSeconds ?? 1200;
    this.tokens.set(token, this.cfg.now() + ttl * 1000);
    return { status: 200, body: { expires_in: ttl, token_type: "bearer", access_token: token } };
  }
}

export const TOKEN_PATH = "/identityiq/oauth2/token";
/** The token route; it authenticates the client itself, whatever the method. */
export const TOKEN_ROUTE = `POST ${TOKEN_PATH}`;

export const tokenRoutes: RouteTable<IiqAuth> = {
  [TOKEN_ROUTE]: (auth, req) => auth.issueToken(req),
};
