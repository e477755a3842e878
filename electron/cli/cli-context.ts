import { AtelierError } from '../../shared/errors';
import { decodePersonsText } from '../../shared/text';
import os from 'node:os';
import type { DatabaseSync } from 'node:sqlite';
import { resolveDataDir } from '../core/paths';
import { ClassroomLock } from '../core/privacy/classroom-lock';
import { withPinnedEnvironment } from '../core/privacy/lock-pins';
import { EgressLog, type EgressRecorder } from '../core/privacy/egress-log';
import { openDatabase } from '../core/store/database';
import { PolicyFileReader } from '../core/privacy/policy-file';
import { SecretStore } from '../core/secrets/secret-store';
import type { BudgetLedger } from '../core/usage/budget-ledger';
import { Ledgers } from '../core/usage/ledgers';
import { RouteHealthStore } from '../core/reliability/route-health';
import { endQuietlyWhenOutputCloses, stdoutIsFile, wholeFileOutput } from './closed-output';
import { writeUserFile as writeUserFileIn } from './user-file';

/** Everything a command touches of the outside world, so tests can run the CLI in-process. */
export interface CliIo {
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Whether stdout is a terminal: progress bars redraw there, and print plain lines when piped. */
  stdoutIsTTY: boolean;
  /** Standard input: whether it is a terminal, and all of it as text. */
  stdin: { isTTY: boolean; readAll: () => Promise<string> };
  /** Calls `handler` on Ctrl-C until the returned function is called. */
  onInterrupt: (handler: () => void) => () => void;
  /** Asks the person at the terminal and returns their answer; null where there is no terminal to ask. */
  ask?: (question: string) => Promise<string | null>;
}

const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

const MAX_STDIN_BYTES = 16 * 1024 * 1024;

export function processIo(): CliIo {
  // `atelier … | head`: a reader that leaves ends the command quietly, not with a stack trace.
  endQuietlyWhenOutputCloses(process);
  // `atelier … > file`: every byte checked written, so a disk that fills up is an error, not a
  // cut-off file and exit 0 (Node's own stream to a file ignores a short write).
  const writeToFile = stdoutIsFile() ? wholeFileOutput(process) : null;
  return {
    env: process.env,
    // `npm run cli -- …` runs in the package's folder; a file the user names is relative to theirs.
    cwd: process.env.npm_lifecycle_event === 'cli' && process.env.INIT_CWD ? process.env.INIT_CWD : process.cwd(),
    stdout: writeToFile ?? ((text) => process.stdout.write(text)),
    stderr: (text) => process.stderr.write(text),
    stdoutIsTTY: process.stdout.isTTY === true,
    stdin: {
      isTTY: process.stdin.isTTY === true,
      // What a person pipes in: UTF-8 (a BOM is fine) or UTF-16 as PowerShell writes it, at most
      // 16 MB (`< /dev/zero` must end in an error, not in memory running out).
      readAll: async () => {
        const chunks: Buffer[] = [];
        let size = 0;
        for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
          size += chunk.length;
          if (size > MAX_STDIN_BYTES) {
            process.stdin.destroy();
            throw new AtelierError('invalid_request', 'Standard input is larger than 16 MB, more than Atelier reads from it.', 'Pipe in a text file, not a device or a large file.');
          }
          chunks.push(chunk);
        }
        return decodePersonsText(Buffer.concat(chunks));
      },
    },
    // A question on the terminal (a tool call to allow): only where both ends are one.
    ask: async (question) => {
      if (!process.stdin.isTTY || !process.stderr.isTTY) return null;
      const { createInterface } = await import('node:readline/promises');
      const terminal = createInterface({ input: process.stdin, output: process.stderr });
      try {
        return await terminal.question(question);
      } finally {
        terminal.close();
      }
    },
    // Ctrl-C, and a terminal closed (SIGHUP) or a polite kill (SIGTERM) alike: the answer or the
    // download stops cleanly, and what came (and the egress record) is kept.
    onInterrupt: (handler) => {
      for (const signal of STOP_SIGNALS) process.on(signal, handler);
      return () => {
        for (const signal of STOP_SIGNALS) process.off(signal, handler);
      };
    },
  };
}

export function dataDirFor(io: CliIo): string {
  return resolveDataDir({ env: io.env, platform: process.platform, homedir: os.homedir(), cwd: io.cwd });
}

/**
 * Writes a file the user named, relative to the current folder (see user-file.ts: atomically for
 * a file, into a device or pipe as it is, through a symbolic link to its target).
 */
export function writeUserFile(io: CliIo, file: string, content: string): Promise<string> {
  return writeUserFileIn(io.cwd, file, content);
}

/** The school's policy file, where ATELIER_POLICY_FILE or the system path says. */
export function policyFileFor(io: CliIo): PolicyFileReader {
  return PolicyFileReader.fromEnvironment(io.env, process.platform, () => classroomLockFor(io).pins() !== null);
}

const databases = new WeakMap<CliIo, DatabaseSync>();

/** The data folder's database, opened on first use (one per command run). */
export function databaseFor(io: CliIo): DatabaseSync {
  let db = databases.get(io);
  if (!db) {
    db = openDatabase(dataDirFor(io));
    databases.set(io, db);
  }
  return db;
}

/** Writes to the egress record in the data folder's database, opened on the first entry. */
export function egressRecorderFor(io: CliIo): EgressRecorder {
  let log: EgressLog | null = null;
  return (entry) => {
    log ??= new EgressLog(databaseFor(io));
    return log.record(entry);
  };
}

const ledgers = new WeakMap<CliIo, Ledgers>();

/** Where this command finds the budget's ledger (shared with the app; see core/usage/ledgers.ts). */
export function ledgersFor(io: CliIo): Ledgers {
  let found = ledgers.get(io);
  if (!found) {
    found = new Ledgers({ dataDir: dataDirFor(io), ownDatabase: () => databaseFor(io), policy: () => policyFileFor(io).read(), pins: () => classroomLockFor(io).pins() });
    ledgers.set(io, found);
  }
  return found;
}

const healthStores = new WeakMap<CliIo, RouteHealthStore>();

/** How routes have fared, in the data folder's database (shared with the app). */
export function healthFor(io: CliIo): () => RouteHealthStore {
  return () => {
    let store = healthStores.get(io);
    if (!store) {
      store = new RouteHealthStore(databaseFor(io));
      healthStores.set(io, store);
    }
    return store;
  };
}

/** The budget's ledger in force for each request, opened when first needed. */
export function ledgerFor(io: CliIo): () => BudgetLedger {
  return () => ledgersFor(io).current();
}

const locks = new WeakMap<CliIo, ClassroomLock>();

/** The classroom lock of the data folder this command uses (one per command run). */
export function classroomLockFor(io: CliIo): ClassroomLock {
  let lock = locks.get(io);
  if (!lock) {
    lock = new ClassroomLock(dataDirFor(io), SecretStore.fromEnvironment(io.env));
    locks.set(io, lock);
  }
  return lock;
}

/**
 * The command's world as the classroom lock has it: while locked, the address variables keep
 * the values they had when the teacher locked (see core/privacy/lock-pins.ts). runCli gives
 * every command this view; the lock is read when the settings are opened.
 */
export function inForce(io: CliIo): CliIo {
  const view: CliIo = { ...io, env: io.env };
  view.env = withPinnedEnvironment(io.env, () => classroomLockFor(view).pins());
  return view;
}


export function printJson(io: CliIo, value: unknown): void {
  io.stdout(`${JSON.stringify(value, null, 2)}\n`);
}


export { formatBytes } from '../../shared/format';
