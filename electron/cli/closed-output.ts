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
    try {
      const why = error.code === 'ENOSPC' ? 'the disk is full (ENOSPC)' : (error.code ?? 'unknown error');
      target.stderr.write(`Error: Atelier could not write its output: ${why}.\n`);
    } finally {
      target.exit(EXIT_FAILED);
    }
  });
  target.stderr.on('error', () => undefined);
}
