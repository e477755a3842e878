import type { DatabaseSync } from 'node:sqlite';
import { Statements } from '../store/statements';
import type { ErrorCode } from '../../../shared/errors';
import type { RouteHealth, RouteState } from '../../../shared/reliability';
import { isRetryable } from './retry';

/** Where a request goes, as far as its health goes: provider, model (`*` for the provider as a whole), region or host. */
export interface HealthKey {
  provider: string;
  modelId: string;
  /** The AWS region for Bedrock, else the host. */
  place: string;
}

/** Failures in a row after which a route cools down. */
export const FAILURES_TO_COOL = 3;
const FIRST_COOLDOWN_MS = 30_000;
const LONGEST_COOLDOWN_MS = 5 * 60_000;
const LONGEST_RETRY_AFTER_MS = 60 * 60_000;
/** The longest a server's budget refusal rests a route. */
const BUDGET_REST_MS = 24 * 60 * 60 * 1000;

interface HealthRow {
  provider: string;
  model_id: string;
  place: string;
  failures: number;
  cooling_until: string | null;
  last_error_code: string | null;
  last_error_at: string | null;
  last_ok_at: string | null;
}

/**
 * How routes have fared lately, in the app's database: the app and every CLI command see the
 * same. Health comes from real traffic (every try of every answer) and from model listings
 * (free), never from billed test prompts. After FAILURES_TO_COOL failures in a row that may pass
 * (busy, failing, unreachable, too slow), a route cools down: 30 s, doubling up to 5 minutes, or
 * as long as the provider's Retry-After asked. One success ends it.
 */
export class RouteHealthStore {
  private readonly sql: Statements;
  /** Routes known to be fine (no failures), so a success does not write every time. */
  private readonly knownFine = new Map<string, number>();

  constructor(db: DatabaseSync) {
    this.sql = new Statements(db);
  }

  /** Until when the route cools down, or null when it may be used. */
  coolingUntil(key: HealthKey, now: Date = new Date()): Date | null {
    const row = this.sql.get('SELECT cooling_until FROM route_health WHERE provider = ? AND model_id = ? AND place = ?').get(key.provider, key.modelId, key.place) as { cooling_until: string | null } | undefined;
    if (!row?.cooling_until) return null;
    const until = new Date(row.cooling_until);
    return until > now ? until : null;
  }

  /** A try that worked: the failures are forgotten, a cool-down ends. */
  succeeded(key: HealthKey, now: Date = new Date()): void {
    const id = `${key.provider}\u0000${key.modelId}\u0000${key.place}`;
    const fineSince = this.knownFine.get(id);
    // A route known fine is written at most once a minute (for "last worked at").
    if (fineSince !== undefined && now.getTime() - fineSince < 60_000) return;
    this.sql.get(
      `INSERT INTO route_health (provider, model_id, place, failures, cooling_until, last_ok_at) VALUES (?, ?, ?, 0, NULL, ?)
       ON CONFLICT (provider, model_id, place) DO UPDATE SET failures = 0, cooling_until = NULL, last_ok_at = excluded.last_ok_at`,
    ).run(key.provider, key.modelId, key.place, now.toISOString());
    this.knownFine.set(id, now.getTime());
  }

  /**
   * A try that failed. Only failures that may pass count against a route (a wrong key or a bad
   * request say nothing about its health); the last error is kept either way.
   */
  failed(key: HealthKey, code: ErrorCode, retryAfterMs?: number, now: Date = new Date()): void {
    this.knownFine.delete(`${key.provider}\u0000${key.modelId}\u0000${key.place}`);
    const counts = isRetryable(code);
    // Read and written in one transaction: the app and a CLI command failing at once both count.
    this.sql.transaction(() => {
      const row = this.sql.get('SELECT failures, cooling_until FROM route_health WHERE provider = ? AND model_id = ? AND place = ?').get(key.provider, key.modelId, key.place) as
        | { failures: number; cooling_until: string | null }
        | undefined;
      const failures = (row?.failures ?? 0) + (counts ? 1 : 0);
      // A failure that does not count leaves a cool-down as it is: only a success ends one.
      let coolingUntil: string | null = counts ? null : (row?.cooling_until ?? null);
      // A server's own budget refusal (a school's LiteLLM key) rests the route until the budget
      // starts again, at most a day: asking again before then only gets the same refusal.
      if (code === 'budget_exceeded' && retryAfterMs !== undefined && retryAfterMs > 0) {
        coolingUntil = new Date(now.getTime() + Math.min(retryAfterMs, BUDGET_REST_MS)).toISOString();
      }
      if (counts && failures >= FAILURES_TO_COOL) {
        const backoff = Math.min(LONGEST_COOLDOWN_MS, FIRST_COOLDOWN_MS * 2 ** (failures - FAILURES_TO_COOL));
        // A Retry-After is honoured up to an hour: a server asking for years cannot shut a route for good.
        const asked = Math.min(retryAfterMs ?? 0, LONGEST_RETRY_AFTER_MS);
        coolingUntil = new Date(now.getTime() + Math.max(backoff, asked)).toISOString();
      }
      this.sql.get(
        `INSERT INTO route_health (provider, model_id, place, failures, cooling_until, last_error_code, last_error_at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (provider, model_id, place) DO UPDATE SET failures = excluded.failures, cooling_until = excluded.cooling_until,
           last_error_code = excluded.last_error_code, last_error_at = excluded.last_error_at`,
      ).run(key.provider, key.modelId, key.place, failures, coolingUntil, code, now.toISOString());
    });
  }

  /** Every route seen, worst first. */
  list(now: Date = new Date()): RouteHealth[] {
    const rows = this.sql.get('SELECT * FROM route_health').all() as unknown as HealthRow[];
    const order: Record<RouteState, number> = { down: 0, cooling: 1, degraded: 2, ok: 3 };
    return rows
      .map((row) => ({
        provider: row.provider,
        modelId: row.model_id,
        place: row.place,
        state: stateOf(row, now),
        failures: row.failures,
        coolingUntil: row.cooling_until && new Date(row.cooling_until) > now ? row.cooling_until : null,
        lastErrorCode: row.last_error_code,
        lastErrorAt: row.last_error_at,
        lastOkAt: row.last_ok_at,
      }))
      .sort((a, b) => order[a.state] - order[b.state] || a.provider.localeCompare(b.provider) || a.modelId.localeCompare(b.modelId));
  }
}

/**
 * `down`: cooling down after it could not be reached at all; `cooling`: cooling down after
 * repeated failures; `degraded`: failed lately, not (or no longer) cooling; `ok`: the last try worked.
 */
function stateOf(row: HealthRow, now: Date): RouteState {
  const cooling = row.cooling_until !== null && new Date(row.cooling_until) > now;
  if (cooling) return row.last_error_code === 'provider_unreachable' ? 'down' : 'cooling';
  return row.failures > 0 ? 'degraded' : 'ok';
}

/** The health key of a route as the router classifies it. */
export function healthKey(route: { provider: string; modelId: string; region: string | null; host: string }): HealthKey {
  return { provider: route.provider, modelId: route.modelId, place: route.region ?? route.host };
}
