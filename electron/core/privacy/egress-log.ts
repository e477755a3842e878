import type { DatabaseSync } from 'node:sqlite';
import type { EgressEntry } from '../../../shared/egress';
import { AtelierError } from '../../../shared/errors';
import { describeWriteError } from '../store/atomic-file';

/** What a caller reports; `purpose` is `chat` unless said otherwise. */
export type NewEgressEntry = Omit<EgressEntry, 'id' | 'at' | 'purpose' | 'costUsd' | 'client'> & { at?: string; purpose?: EgressEntry['purpose']; costUsd?: number | null; client?: string | null };

/**
 * Receives one entry per request sent or refused; never the prompt or the answer. It may return
 * a function that completes the entry (outcome, tokens), for one written before the request left.
 */
export type EgressRecorder = (entry: NewEgressEntry) => EgressCompletion | void;

/**
 * Writes `entry` as "sent" before a request leaves, and returns the function that records how it
 * ended. Throws the refusal (`file_unwritable`) when the record cannot be written: a request the
 * record would not show is not sent.
 */
export function recordBeforeSending(recorder: EgressRecorder | undefined, entry: NewEgressEntry): EgressCompletion {
  if (!recorder) return () => undefined;
  let completion: EgressCompletion | void;
  try {
    completion = recorder({ ...entry, outcome: 'sent', errorCode: null, inputTokens: null, outputTokens: null, costUsd: null });
  } catch (error) {
    const { reason, hint } = describeWriteError(error);
    throw new AtelierError('file_unwritable', `Atelier could not write the record of what leaves this computer (${reason}), so nothing was sent.`, hint, { cause: error });
  }
  return (end) => {
    try {
      if (typeof completion === 'function') completion(end);
      else recorder({ ...entry, ...end });
    } catch {
      // The entry stands as "sent"; a failing database shows elsewhere.
    }
  };
}

/** Completes an entry written before its request left: how it ended, and the tokens. */
export type EgressCompletion = (end: Pick<NewEgressEntry, 'outcome' | 'errorCode' | 'inputTokens' | 'outputTokens' | 'costUsd'>) => void;

const COLUMNS = ['id', 'at', 'purpose', 'tier', 'routeClass', 'provider', 'region', 'host', 'modelId', 'inputTokens', 'outputTokens', 'outcome', 'errorCode', 'costUsd', 'client'] as const;

/** The egress record in the app's database: written once per request, read by the UI and exported as CSV. */
export class EgressLog {
  constructor(private readonly db: DatabaseSync) {}

  /** Writes an entry; returns the function that completes it later (see EgressRecorder). */
  record(entry: NewEgressEntry): EgressCompletion {
    const { lastInsertRowid } = this.db
      .prepare(
        `INSERT INTO egress (at, purpose, tier, route_class, provider, region, host, model_id, input_tokens, output_tokens, outcome, error_code, cost_usd, client)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        entry.at ?? new Date().toISOString(),
        entry.purpose ?? 'chat',
        entry.tier,
        entry.routeClass,
        entry.provider,
        entry.region,
        entry.host,
        entry.modelId,
        entry.inputTokens,
        entry.outputTokens,
        entry.outcome,
        entry.errorCode,
        entry.costUsd ?? null,
        entry.client ?? null,
      );
    return (end) => {
      this.db
        .prepare('UPDATE egress SET outcome = ?, error_code = ?, input_tokens = ?, output_tokens = ?, cost_usd = ? WHERE id = ?')
        .run(end.outcome, end.errorCode, end.inputTokens, end.outputTokens, end.costUsd ?? null, lastInsertRowid);
    };
  }

  /** Newest first. */
  list(options: { limit?: number; offset?: number } = {}): EgressEntry[] {
    const rows = this.db
      .prepare(
        `SELECT id, at, purpose, tier, route_class AS routeClass, provider, region, host, model_id AS modelId,
                input_tokens AS inputTokens, output_tokens AS outputTokens, outcome, error_code AS errorCode, cost_usd AS costUsd, client
         FROM egress ORDER BY id DESC LIMIT ? OFFSET ?`,
      )
      .all(options.limit ?? 200, options.offset ?? 0);
    return rows.map((row) => ({ ...row }) as unknown as EgressEntry);
  }

  count(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM egress').get() as { n: number }).n;
  }

  /** Every entry, oldest first, as RFC 4180 CSV with a header line. */
  toCsv(): string {
    const rows = this.db
      .prepare(
        `SELECT id, at, purpose, tier, route_class AS routeClass, provider, region, host, model_id AS modelId,
                input_tokens AS inputTokens, output_tokens AS outputTokens, outcome, error_code AS errorCode, cost_usd AS costUsd, client
         FROM egress ORDER BY id ASC`,
      )
      .all() as Record<string, unknown>[];
    const lines = [COLUMNS.join(','), ...rows.map((row) => COLUMNS.map((column) => csvField(row[column])).join(','))];
    return `${lines.join('\r\n')}\r\n`;
  }
}

function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  // Quote what needs it, and defuse spreadsheet formulas (a host or model id starting with = + - @).
  const safe = /^[=+\-@]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
