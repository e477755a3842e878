import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { setTimeout as sleep } from 'node:timers/promises';
import { AtelierError } from '../../../shared/errors';
import { describeWriteError } from './atomic-file';
import { createPrivateFile, preparePrivateDataDir } from './data-folder';

/** The lock file in the data folder: an empty SQLite database, used only for its lock. */
export const FOLDER_LOCK_FILE_NAME = 'atelier.lock';

/**
 * Runs `work` while this process holds the data folder's lock, so the app and any number of CLI
 * processes read, change and write settings (and the classroom lock) one after another and
 * never lose each other's changes.
 *
 * The lock is SQLite's exclusive lock on a small file: an operating-system lock (fcntl on POSIX,
 * LockFileEx on Windows) that the system releases when a process dies, so a crash never leaves a
 * stale lock behind. It is asked for without blocking and retried on a timer, so a process
 * waiting for it keeps its event loop (the app's window stays responsive).
 */
export async function withFolderLock<T>(dataDir: string, work: () => Promise<T>, { timeoutMs = 20_000 }: { timeoutMs?: number } = {}): Promise<T> {
  const file = path.join(dataDir, FOLDER_LOCK_FILE_NAME);
  let db: DatabaseSync;
  try {
    preparePrivateDataDir(dataDir);
    createPrivateFile(file);
    db = new DatabaseSync(file, { timeout: 0 });
  } catch (error) {
    const { reason, hint } = describeWriteError(error);
    throw new AtelierError('settings_unwritable', `Atelier could not use its data folder ${dataDir}: ${reason}.`, hint, { cause: error });
  }
  try {
    const deadline = performance.now() + timeoutMs;
    let journalOff = false;
    for (let delay = 2; ; delay = Math.min(delay * 2, 50)) {
      try {
        // No journal file: the lock writes nothing, so it works on a full disk too. (Setting it
        // reads the file's header, which waits for the lock like everything else.)
        if (!journalOff) db.exec('PRAGMA journal_mode = OFF');
        journalOff = true;
        db.exec('BEGIN EXCLUSIVE');
        break;
      } catch (error) {
        if (!isBusy(error)) {
          const { reason, hint } = describeWriteError(error);
          throw new AtelierError('settings_unwritable', `Atelier could not lock its data folder ${dataDir}: ${reason}.`, hint, { cause: error });
        }
        if (performance.now() > deadline) {
          throw new AtelierError('settings_unwritable', 'Another Atelier (the app or a command) has been changing the settings for too long.', 'Wait a moment and try again; if it stays so, quit the other Atelier.');
        }
        await sleep(delay);
      }
    }
    try {
      return await work();
    } finally {
      db.exec('ROLLBACK');
    }
  } finally {
    db.close();
  }
}

function isBusy(error: unknown): boolean {
  const { errcode, message } = error as { errcode?: number; message?: string };
  // SQLITE_BUSY (5) and SQLITE_LOCKED (6), with or without extended bits.
  return (errcode !== undefined && [5, 6].includes(errcode & 0xff)) || /database is locked|busy/i.test(message ?? '');
}
