import os from 'node:os';
import path from 'node:path';
import { resolveDataDir } from '../core/paths';
import { ClassroomLock } from '../core/privacy/classroom-lock';
import { EgressLog, type EgressRecorder } from '../core/privacy/egress-log';
import { openDatabase } from '../core/store/database';
import { PolicyFileReader } from '../core/privacy/policy-file';
import { SecretStore } from '../core/secrets/secret-store';
import { fileWriteError, writeFileAtomically } from '../core/store/atomic-file';
import { endQuietlyWhenOutputCloses, stdoutIsFile, wholeFileOutput } from './closed-output';

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
}

export function processIo(): CliIo {
  // `atelier … | head`: a reader that leaves ends the command quietly, not with a stack trace.
  endQuietlyWhenOutputCloses(process);
  // `atelier … > file`: every byte checked written, so a disk that fills up is an error, not a
  // cut-off file and exit 0 (Node's own stream to a file ignores a short write).
  const writeToFile = stdoutIsFile() ? wholeFileOutput(process) : null;
  return {
    env: process.env,
    cwd: process.cwd(),
    stdout: writeToFile ?? ((text) => process.stdout.write(text)),
    stderr: (text) => process.stderr.write(text),
    stdoutIsTTY: process.stdout.isTTY === true,
    stdin: {
      isTTY: process.stdin.isTTY === true,
      readAll: async () => {
        let text = '';
        process.stdin.setEncoding('utf8');
        for await (const chunk of process.stdin) text += chunk as string;
        return text;
      },
    },
    onInterrupt: (handler) => {
      process.on('SIGINT', handler);
      return () => process.off('SIGINT', handler);
    },
  };
}

export function dataDirFor(io: CliIo): string {
  return resolveDataDir({ env: io.env, platform: process.platform, homedir: os.homedir(), cwd: io.cwd });
}

/**
 * Writes a file the user named (relative to the current folder), atomically: it is whole or not
 * there, and an older file of that name stays as it was. Returns the absolute path; a full disk
 * or a folder that cannot be written gets a clear error (exit 1).
 */
export async function writeUserFile(io: CliIo, file: string, content: string): Promise<string> {
  const target = path.resolve(io.cwd, file);
  try {
    await writeFileAtomically(target, content);
  } catch (error) {
    // A path that cannot be written is a wrong argument (exit 2); a full disk is a failure (exit 1).
    const wrongPath = ['ENOENT', 'ENOTDIR', 'EISDIR', 'EACCES', 'EPERM', 'EROFS', 'EEXIST'].includes((error as NodeJS.ErrnoException).code ?? '');
    throw fileWriteError(target, error, wrongPath ? 'invalid_request' : 'file_unwritable');
  }
  return target;
}

/** The school's policy file, where ATELIER_POLICY_FILE or the system path says. */
export function policyFileFor(io: CliIo): PolicyFileReader {
  return PolicyFileReader.fromEnvironment(io.env);
}

/** Writes to the egress record in the data folder's database, opened on the first entry. */
export function egressRecorderFor(io: CliIo): EgressRecorder {
  let log: EgressLog | null = null;
  return (entry) => {
    log ??= new EgressLog(openDatabase(dataDirFor(io)));
    log.record(entry);
  };
}

/** The classroom lock of the data folder this command uses. */
export function classroomLockFor(io: CliIo): ClassroomLock {
  return new ClassroomLock(dataDirFor(io), SecretStore.fromEnvironment(io.env));
}


export function printJson(io: CliIo, value: unknown): void {
  io.stdout(`${JSON.stringify(value, null, 2)}\n`);
}


export { formatBytes } from '../../shared/format';
