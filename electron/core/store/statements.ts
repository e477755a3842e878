import type { DatabaseSync, StatementSync } from 'node:sqlite';

/**
 * A database's prepared statements, each prepared once, and its write transactions. Shared by
 * the stores that keep their data in the app's database (conversations, the budget's ledger,
 * route health).
 */
export class Statements {
  private readonly prepared = new Map<string, StatementSync>();

  constructor(readonly db: DatabaseSync) {}

  get(sql: string): StatementSync {
    let statement = this.prepared.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.prepared.set(sql, statement);
    }
    return statement;
  }

  /**
   * Runs `work` in one write transaction (BEGIN IMMEDIATE: another process waits for the lock
   * rather than failing half-way). A transaction SQLite ended itself (a full disk) is not rolled
   * back again: the error the caller sees is the disk's. Called inside another transaction, the
   * work joins it (the outer one commits or rolls back both).
   */
  transaction<T>(work: () => T): T {
    if (this.db.isTransaction) return work();
    this.get('BEGIN IMMEDIATE').run();
    try {
      const result = work();
      this.get('COMMIT').run();
      return result;
    } catch (error) {
      if (this.db.isTransaction) this.get('ROLLBACK').run();
      throw error;
    }
  }
}
