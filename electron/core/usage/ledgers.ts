import os from 'node:os';
import path from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { resolveDataDir } from '../paths';
import type { LockPins } from '../privacy/lock-pins';
import { systemPolicyFilePath, type ManagedPolicy } from '../privacy/policy-file';
import { openDatabase } from '../store/database';
import { BudgetLedger } from './budget-ledger';

export interface LedgersOptions {
  /** The data folder in use (ATELIER_HOME or the default); its database is `ownDatabase`. */
  dataDir: string;
  ownDatabase: () => DatabaseSync;
  /** The school's policy file as it is now. */
  policy: () => ManagedPolicy;
  /** The classroom lock's pins (null: not locked). */
  pins: () => LockPins | null;
  /** Where the system's policy file is (a school's, not one a user named). */
  systemPolicyFile?: string;
  /** The account's own data folder, whatever ATELIER_HOME, HOME or XDG_CONFIG_HOME say. */
  accountDataDir?: () => string;
}

/**
 * Which database keeps the budget's ledger. A budget the user sets is kept in their data
 * folder. One that holds for the computer is not moved by pointing ATELIER_HOME (or HOME, or
 * XDG_CONFIG_HOME) at an empty folder: while the class is locked, the folder it was locked in
 * keeps it; a budget in the system's policy file is kept in the account's own data folder, found
 * from the home folder in the system's user database, not from the environment.
 */
export class Ledgers {
  private readonly open = new Map<string, BudgetLedger>();
  private readonly databases: DatabaseSync[] = [];
  private readonly systemPolicyFile: string;
  private readonly accountDataDir: () => string;

  constructor(private readonly options: LedgersOptions) {
    this.systemPolicyFile = options.systemPolicyFile ?? systemPolicyFilePath(process.env);
    this.accountDataDir = options.accountDataDir ?? (() => resolveDataDir({ env: {}, platform: process.platform, homedir: os.userInfo().homedir, cwd: os.userInfo().homedir }));
  }

  /** The folder whose database keeps the ledger now. */
  folder(): string {
    const pinned = this.options.pins()?.ledgerDir;
    if (pinned) return pinned;
    const managed = this.options.policy();
    if (managed.state === 'valid' && managed.policy.budget !== undefined && path.resolve(managed.file) === path.resolve(this.systemPolicyFile)) return this.accountDataDir();
    return this.options.dataDir;
  }

  /** The ledger in force now (opened on first use). */
  current(): BudgetLedger {
    const folder = this.folder();
    let ledger = this.open.get(folder);
    if (!ledger) {
      const own = path.resolve(folder) === path.resolve(this.options.dataDir);
      const db = own ? this.options.ownDatabase() : openDatabase(folder);
      if (!own) this.databases.push(db);
      ledger = new BudgetLedger(db);
      this.open.set(folder, ledger);
    }
    return ledger;
  }

  /** Closes the databases this opened besides the data folder's own. */
  close(): void {
    for (const db of this.databases.splice(0)) db.close();
    this.open.clear();
  }
}
