import type { DatabaseSync } from 'node:sqlite';
import { Statements } from '../store/statements';
import { roundUsd } from './prices';

/** The limits in force; null: no limit of that kind. */
export interface BudgetLimits {
  dailyUsd: number | null;
  monthlyUsd: number | null;
}

/** What is spent against the limits right now. */
export interface Spent {
  todayUsd: number;
  thisMonthUsd: number;
  /** Held for requests still on their way, at their worst case. */
  reservedUsd: number;
}

/** A limit a reservation would pass: which one, and the figures that say so. */
export interface BudgetOverrun {
  period: 'daily' | 'monthly';
  limitUsd: number;
  spent: Spent;
  /** The worst case of the request that did not fit. */
  requestUsd: number;
}

export type Reservation =
  | { ok: true; id: number; spent: Spent }
  | { ok: false; overrun: BudgetOverrun };

/** The limit most used up, spent and held together (`share` 1 = all of it); null without limits. */
export function fullestLimit(limits: BudgetLimits, spent: Spent): { period: 'daily' | 'monthly'; limitUsd: number; usedUsd: number; share: number } | null {
  const candidates = [
    { period: 'daily' as const, limitUsd: limits.dailyUsd, usedUsd: spent.todayUsd + spent.reservedUsd },
    { period: 'monthly' as const, limitUsd: limits.monthlyUsd, usedUsd: spent.thisMonthUsd + spent.reservedUsd },
  ].flatMap(({ period, limitUsd, usedUsd }) => (limitUsd === null ? [] : [{ period, limitUsd, usedUsd, share: usedUsd / limitUsd }]));
  return candidates.sort((a, b) => b.share - a.share)[0] ?? null;
}

/** The machine's local calendar day, YYYY-MM-DD. */
export function localDay(at: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;
}

/** When the local day and month of `at` end (the next midnight, the first of next month). */
export function resets(at: Date): { day: Date; month: Date } {
  return {
    day: new Date(at.getFullYear(), at.getMonth(), at.getDate() + 1),
    month: new Date(at.getFullYear(), at.getMonth() + 1, 1),
  };
}

/**
 * What cloud requests cost on this machine, in the app's database, so the app and every CLI
 * command share one budget. Before a request leaves, its worst case is reserved inside one
 * write transaction (SQLite's write lock serialises processes, and node:sqlite is synchronous, so
 * requests in one process cannot interleave either): requests at once can never together pass a
 * limit. When it ends, the reservation is settled with what it cost.
 *
 * A reservation whose process died without settling counts at its worst case: Atelier cannot know
 * what the provider billed, and a budget that holds errs on the side of the limit.
 */
export class BudgetLedger {
  private readonly sql: Statements;
  private lastReaped = 0;

  constructor(
    db: DatabaseSync,
    private readonly pid: number = process.pid,
    private readonly isAlive: (pid: number) => boolean = processIsAlive,
  ) {
    this.sql = new Statements(db);
  }

  /**
   * Holds `worstCaseUsd` for a request to `provider`/`modelId` if it fits every limit with what
   * is spent and held already; `worstCaseUsd` null (no price known) is only allowed without limits.
   */
  reserve(request: { provider: string; modelId: string; worstCaseUsd: number | null }, limits: BudgetLimits, now: Date = new Date()): Reservation {
    const unlimited = limits.dailyUsd === null && limits.monthlyUsd === null;
    if (unlimited) {
      // Nothing to check against: one insert, so what is spent is known when a limit is set later.
      return { ok: true, id: this.insert(request, now), spent: { todayUsd: 0, thisMonthUsd: 0, reservedUsd: 0 } };
    }
    return this.sql.transaction(() => {
      this.releaseAbandoned(false);
      const requestUsd = request.worstCaseUsd ?? Number.POSITIVE_INFINITY;
      let spent = this.spentAt(now);
      let overrun = exceeded(limits, spent, requestUsd);
      // Before refusing, a last look for reservations a dead process left.
      if (overrun && this.releaseAbandoned(true)) {
        spent = this.spentAt(now);
        overrun = exceeded(limits, spent, requestUsd);
      }
      if (overrun) return { ok: false, overrun } as const;
      return { ok: true, id: this.insert(request, now), spent } as const;
    });
  }

  /** Records what a reserved request cost (null: unknown, counted as nothing). */
  settle(id: number, costUsd: number | null): void {
    this.sql.transaction(() => {
      const row = this.sql.get('SELECT day FROM spending WHERE id = ? AND settled = 0').get(id) as { day: string } | undefined;
      if (!row) return;
      const cost = costUsd === null ? null : roundUsd(costUsd);
      this.sql.get('UPDATE spending SET settled = 1, cost_usd = ? WHERE id = ?').run(cost, id);
      if (cost !== null) this.addToDay(row.day, cost);
    });
  }

  /** What is spent today and this month, and held for requests on their way. */
  spent(now: Date = new Date()): Spent {
    return this.spentAt(now);
  }

  private insert(request: { provider: string; modelId: string; worstCaseUsd: number | null }, now: Date): number {
    const { lastInsertRowid } = this.sql.get('INSERT INTO spending (at, day, provider, model_id, reserved_usd, pid) VALUES (?, ?, ?, ?, ?, ?)').run(
      now.toISOString(),
      localDay(now),
      request.provider,
      request.modelId,
      request.worstCaseUsd === null ? null : roundUsd(request.worstCaseUsd),
      this.pid,
    );
    return Number(lastInsertRowid);
  }

  private addToDay(day: string, usd: number): void {
    this.sql.get('INSERT INTO spending_days (day, cost_usd) VALUES (?, ?) ON CONFLICT (day) DO UPDATE SET cost_usd = cost_usd + excluded.cost_usd').run(day, usd);
  }

  private spentAt(now: Date): Spent {
    const today = localDay(now);
    const monthStart = `${today.slice(0, 8)}01`;
    const row = this.sql.get(
      `SELECT (SELECT COALESCE(SUM(cost_usd), 0) FROM spending_days WHERE day = ?1) AS today,
              (SELECT COALESCE(SUM(cost_usd), 0) FROM spending_days WHERE day >= ?2 AND day <= ?1) AS month,
              (SELECT COALESCE(SUM(reserved_usd), 0) FROM spending WHERE settled = 0) AS reserved`,
    ).get(today, monthStart) as { today: number; month: number; reserved: number };
    return { todayUsd: roundUsd(row.today), thisMonthUsd: roundUsd(row.month), reservedUsd: roundUsd(row.reserved) };
  }

  /**
   * Settles, at their worst case, the reservations of processes that ended without settling.
   * Checked at most every few seconds, and always before a refusal.
   */
  private releaseAbandoned(force: boolean): boolean {
    const now = Date.now();
    if (!force && now - this.lastReaped < REAP_EVERY_MS) return false;
    this.lastReaped = now;
    // A reservation older than any answer takes is settled at its worst case, whoever left it.
    const stale = this.sql.get('SELECT id, day, reserved_usd AS reserved FROM spending WHERE settled = 0 AND at < ?').all(new Date(now - STALE_AFTER_MS).toISOString()) as {
      id: number;
      day: string;
      reserved: number | null;
    }[];
    let released = stale.length > 0;
    for (const row of stale) this.settleAtWorstCase(row);
    const open = this.sql.get('SELECT DISTINCT pid FROM spending WHERE settled = 0 AND pid <> ?').all(this.pid) as { pid: number }[];
    for (const { pid } of open) {
      if (this.isAlive(pid)) continue;
      const rows = this.sql.get('SELECT id, day, reserved_usd AS reserved FROM spending WHERE settled = 0 AND pid = ?').all(pid) as { id: number; day: string; reserved: number | null }[];
      for (const row of rows) this.settleAtWorstCase(row);
      released ||= rows.length > 0;
    }
    return released;
  }

  private settleAtWorstCase(row: { id: number; day: string; reserved: number | null }): void {
    this.sql.get('UPDATE spending SET settled = 1, cost_usd = reserved_usd WHERE id = ?').run(row.id);
    if (row.reserved !== null) this.addToDay(row.day, row.reserved);
  }

}

/** How often a ledger looks for reservations left by processes that died. */
const REAP_EVERY_MS = 5000;
/** Longer than any answer runs: a reservation still open after this was lost (a bug, a hung process). */
const STALE_AFTER_MS = 6 * 60 * 60 * 1000;

function exceeded(limits: BudgetLimits, spent: Spent, requestUsd: number): BudgetOverrun | null {
  // A cent's millionth of slack, so a request that exactly fills the limit is allowed.
  const fits = (used: number, limit: number) => used + spent.reservedUsd + requestUsd <= limit + 1e-9;
  if (limits.dailyUsd !== null && !fits(spent.todayUsd, limits.dailyUsd)) return { period: 'daily', limitUsd: limits.dailyUsd, spent, requestUsd };
  if (limits.monthlyUsd !== null && !fits(spent.thisMonthUsd, limits.monthlyUsd)) return { period: 'monthly', limitUsd: limits.monthlyUsd, spent, requestUsd };
  return null;
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
