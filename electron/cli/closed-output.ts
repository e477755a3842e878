import fs from 'node:fs';
import { describeWriteError } from '../core/store/atomic-file';
import { EXIT_FAILED, EXIT_OK } from './exit-codes';

interface OutputStream {
  on(event: 'error', listener: (error: NodeJS.ErrnoException) => void): unknown;
}

interface OutputProcess {
  stdout: OutputStream;
  stderr: OutputStream & { write(text: string): unknown };
  exitCode?: number | string | null | undefined;
  exit(code: number): never;
}

const guarded = new WeakSet<object>();

/** The one line the CLI prints when it cannot write its output: `… the disk is full (ENOSPC).` */
export function outputFailureLine(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? 'unknown error';
  const { reason } = describeWriteError(error);
  return `Error: Atelier could not write its output: ${reason}${reason.includes(code) ? '' : ` (${code})`}.\n`;
}

/**
 * What the CLI does when its output goes nowhere. `atelier models | head -1`: once `head` has its
 * line it closes the pipe, and the next write fails with EPIPE. Node ignores SIGPIPE, so without
 * a listener that error is thrown as an unhandled 'error' event: a stack trace and exit 1. The
 * reader is gone on purpose, so the command ends at once and quietly, as a Unix tool killed by
 * SIGPIPE would, with the exit code it had already decided (0 if none). Any other failure to
 * write standard output (a full disk behind `> file`) is a short error and exit 1. A closed
 * stderr leaves nowhere to complain, so its errors are dropped.
 */
export function endQuietlyWhenOutputCloses(target: OutputProcess): void {
  if (guarded.has(target)) return;
  guarded.add(target);
  target.stdout.on('error', (error) => {
    if (error.code === 'EPIPE') {
      target.exit(typeof target.exitCode === 'number' ? target.exitCode : EXIT_OK);
    }
    failOutput(target, error);
  });
  target.stderr.on('error', () => undefined);
}

function failOutput(target: OutputProcess, error: unknown): never {
  try {
    target.stderr.write(outputFailureLine(error));
  } catch {
    // stderr is gone too: the exit code still says it failed.
  }
  return target.exit(EXIT_FAILED);
}

/**
 * Whether standard output (fd 1) is a file rather than a terminal or a pipe: `atelier … > out.md`,
 * or a device such as /dev/full. Node writes to those through a SyncWriteStream, which issues
 * one write() per chunk and ignores a short one: on a disk that fills up, the command went on as
 * if everything had been written, and ended with exit 0 over a cut-off file.
 */
export function stdoutIsFile(fd = 1): boolean {
  try {
    const stats = fs.fstatSync(fd);
    return stats.isFile() || (stats.isCharacterDevice() && !process.stdout.isTTY);
  } catch {
    return false;
  }
}

/**
 * Writes every byte of `data` to `fd`, looping over short writes; throws what the system said
 * when it cannot go on (ENOSPC on a full disk). A write of no bytes at all counts as a full disk.
 */
export function writeAllSync(fd: number, data: Uint8Array): void {
  for (let offset = 0; offset < data.byteLength; ) {
    let written: number;
    try {
      written = fs.writeSync(fd, data, offset, data.byteLength - offset);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EAGAIN') continue; // a non-blocking device: try again
      throw error;
    }
    if (written <= 0) throw Object.assign(new Error(`wrote ${offset} of ${data.byteLength} bytes`), { code: 'ENOSPC' });
    offset += written;
  }
}

/**
 * The CLI's stdout when it is a file: each chunk written whole, or one error line on stderr and
 * exit 1 (the file holds only part of the output, so the command must not report success).
 */
export function wholeFileOutput(target: OutputProcess, fd = 1): (text: string) => void {
  return (text) => {
    try {
      writeAllSync(fd, Buffer.from(text, 'utf8'));
    } catch (error) {
      failOutput(target, error);
    }
  };
}
