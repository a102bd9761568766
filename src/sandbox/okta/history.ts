/**
 * A principal's entitlement history in one app (getPrincipalEntitlementsHistory): the periods between the
 * moments their grants began or ended, each with what the grants active then added up to, newest first.
 * The sandbox keeps no log: it rebuilds the periods from the grants' own times (created; ended when
 * replaced, revoked or expired) with what each grant gives now.
 */
import { isoSeconds } from "../kit/time.js";
import type { GrantRec, OktaStore } from "./store.js";

export interface HistoryRecord {
  startDate: string;
  /** Absent for the current period. */
  endDate?: string;
  lifecycle: "ACTIVE" | "INACTIVE";
  /** Entitlement id -> value ids held in the period. */
  held: Map<string, Set<string>>;
}

const BASE = new Set(["CUSTOM", "POLICY"]);

/** When a grant stopped giving access, or undefined while it still does. */
function endOf(store: OktaStore, g: GrantRec, all: readonly GrantRec[]): number | undefined {
  const start = Date.parse(g.created);
  switch (store.grantStatus(g)) {
    case "ACTIVE":
      return undefined;
    case "EXPIRED":
      return Date.parse(g.scheduleSettings?.expirationDate ?? g.lastUpdated);
    case "SCHEDULED":
      return start;
    default: {
      const last = Date.parse(g.lastUpdated);
      if (last > start) return last;
      // A demo grant replaced before the org was loaded carries no end of its own: the next base grant's start.
      const next = all.find((o) => o.seq > g.seq && BASE.has(o.grantType) && Date.parse(o.created) >= start);
      return next ? Date.parse(next.created) : last;
    }
  }
}

const sameHeld = (a: Map<string, Set<string>>, b: Map<string, Set<string>>) =>
  a.size === b.size &&
  [...a].every(([id, values]) => {
    const other = b.get(id);
    return other !== undefined && other.size === values.size && [...values].every((v) => other.has(v));
  });

/** The history of `userId` in `appId`, newest period first. */
export function historyOf(store: OktaStore, userId: string, appId: string): HistoryRecord[] {
  const grants = [...store.grants.values()]
    .filter((g) => g.userId === userId && g.appId === appId)
    .sort((a, b) => a.seq - b.seq);
  const now = store.cfg.now();
  const spans = grants.map((g) => ({ g, start: Date.parse(g.created), end: endOf(store, g, grants) }));
  const times = [
    ...new Set(
      spans.flatMap((s) => [s.start, ...(s.end !== undefined ? [s.end] : [])]).filter((t) => t <= now),
    ),
  ].sort((a, b) => a - b);
  const periods: { start: number; end?: number; held: Map<string, Set<string>> }[] = [];
  for (const t of times) {
    const active = spans.filter((s) => s.start <= t && (s.end === undefined || s.end > t)).map((s) => s.g);
    const held = store.effectiveOf(active);
    const last = periods.at(-1);
    if (last && sameHeld(last.held, held)) continue;
    if (!last && held.size === 0) continue;
    if (last) last.end = t;
    periods.push({ start: t, held });
  }
  return periods.reverse().map((p) => ({
    startDate: isoSeconds(p.start),
    ...(p.end !== undefined ? { endDate: isoSeconds(p.end) } : {}),
    lifecycle: p.end === undefined ? "ACTIVE" : "INACTIVE",
    held: p.held,
  }));
}
