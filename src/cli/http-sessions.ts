/**
 * The Streamable HTTP sessions of one server, with their limits: at most `maxSessionsPerSubject` per
 * subject and `maxSessions` in all. At a cap, a new session takes the place of the least recently used
 * idle one; when every session at the cap is busy, the new one is refused. Idle means no POST being
 * answered and no JSON-RPC request being handled (a listening GET stream does not count; a call whose
 * client went away does, because closing its session would abort it). Sessions idle for `idleMs` close.
 */
import type { ServerResponse } from "node:http";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";

export interface SessionLimits {
  maxSessions: number;
  maxSessionsPerSubject: number;
  idleMs: number;
}

interface Session {
  transport: StreamableHTTPServerTransport;
  server: McpServer;
  subject: string;
  /** POSTs of this session being answered. */
  busy: number;
  /** JSON-RPC requests of this session being handled. */
  handling: number;
  lastUsed: number;
  idle?: NodeJS.Timeout;
}

/** Why a new session cannot open: the HTTP status and a message naming the limit. */
export interface SessionRefusal {
  status: 429 | 503;
  message: string;
}

export class HttpSessions {
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly limits: SessionLimits,
    private readonly log: (line: string) => void,
  ) {}

  get size(): number {
    return this.sessions.size;
  }

  /** The session `id` if `subject` opened it: another subject's session looks exactly like an unknown one. */
  find(id: string, subject: string): Session | undefined {
    const session = this.sessions.get(id);
    return session?.subject === subject ? session : undefined;
  }

  /** Makes room for one more session of `subject` (closing an idle one at a cap), or says why it cannot. */
  admit(subject: string): SessionRefusal | undefined {
    const own = [...this.sessions].filter(([, s]) => s.subject === subject);
    if (own.length >= this.limits.maxSessionsPerSubject) {
      const victim = leastRecentlyUsedIdle(own);
      if (!victim) {
        return {
          status: 429,
          message:
            `Too many sessions: this caller already has ${own.length} open sessions, each answering a request ` +
            `(ENTITLEMENT_MCP_MAX_SESSIONS_PER_SUBJECT=${this.limits.maxSessionsPerSubject}). Close a session ` +
            "you no longer use (HTTP DELETE with its Mcp-Session-Id) or retry when a request has finished.",
        };
      }
      this.close(victim, "its caller reached ENTITLEMENT_MCP_MAX_SESSIONS_PER_SUBJECT");
    }
    if (this.sessions.size >= this.limits.maxSessions) {
      const victim = leastRecentlyUsedIdle([...this.sessions]);
      if (!victim) {
        return {
          status: 503,
          message:
            `Too many sessions: the server has ${this.sessions.size} open sessions, each answering a request ` +
            `(ENTITLEMENT_MCP_MAX_SESSIONS=${this.limits.maxSessions}). Retry when a request has finished.`,
        };
      }
      this.close(victim, "the server reached ENTITLEMENT_MCP_MAX_SESSIONS");
    }
    return undefined;
  }

  /** Registers a session before its initialize is answered, so concurrent initializes count against the caps. */
  add(id: string, session: Pick<Session, "transport" | "server" | "subject">): void {
    this.sessions.set(id, { ...session, busy: 0, handling: 0, lastUsed: Date.now() });
  }

  /** Counts a JSON-RPC request of session `id` as being handled (+1) or done (-1). */
  handled(id: string, delta: 1 | -1): void {
    const session = this.sessions.get(id);
    if (!session) return;
    session.handling += delta;
    this.touch(id, session);
  }

  /** Counts `res` as a request in progress on session `id` until it closes. */
  track(id: string, res: ServerResponse): void {
    const session = this.sessions.get(id);
    if (!session) return;
    session.busy += 1;
    this.touch(id, session);
    res.once("close", () => {
      session.busy -= 1;
      this.touch(id, session);
    });
  }

  close(id: string, reason?: string): void {
    const session = this.sessions.get(id);
    if (!session) return;
    this.sessions.delete(id);
    clearTimeout(session.idle);
    if (reason) this.log(`http: closed an idle session because ${reason}`);
    void session.transport.close().catch(() => {});
    void session.server.close().catch(() => {});
  }

  closeAll(): void {
    for (const id of [...this.sessions.keys()]) this.close(id);
  }

  private touch(id: string, session: Session): void {
    session.lastUsed = Date.now();
    clearTimeout(session.idle);
    session.idle = setTimeout(() => {
      if (isBusy(session)) this.touch(id, session);
      else this.close(id);
    }, this.limits.idleMs);
    session.idle.unref();
  }
}

const isBusy = (session: Session) => session.busy > 0 || session.handling > 0;

function leastRecentlyUsedIdle(entries: [string, Session][]): string | undefined {
  let victim: [string, Session] | undefined;
  for (const entry of entries) {
    if (!isBusy(entry[1]) && (!victim || entry[1].lastUsed < victim[1].lastUsed)) victim = entry;
  }
  return victim?.[0];
}
