import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { AtelierError } from '../../../shared/errors';

export interface AtomicWriteOptions {
  /**
   * The new file's permissions. Files in the data folder are private (0600); a file the user
   * named keeps the mode of the one it replaces, or gets the usual 0666 less the umask.
   */
  mode?: number;
}

/**
 * Writes a file whole or not at all: the content goes to a temporary file beside the target,
 * every byte is checked written (a full disk fails here, never as a cut-off file), synced to
 * disk, and only then renamed over the target. On any failure the temporary file is removed
 * and the old file stays as it was.
 *
 * Why not write-file-atomic: it issues a single write() and ignores a short one, so on a full
 * disk it renamed a truncated file over the good one and reported success.
 */
export async function writeFileAtomically(file: string, content: string | Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  const data = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  const directory = path.dirname(file);
  const temp = path.join(directory, `.${path.basename(file)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  const mode = options.mode ?? (await existingMode(file)) ?? 0o666;
  let handle: fs.FileHandle | null = null;
  try {
    handle = await fs.open(temp, 'wx', mode);
    // FileHandle.writeFile loops until every byte is written, and throws ENOSPC when it cannot.
    await handle.writeFile(data);
    await handle.sync();
    const { size } = await handle.stat();
    if (size !== data.byteLength) throw Object.assign(new Error(`wrote ${size} of ${data.byteLength} bytes`), { code: 'ENOSPC' });
    if (options.mode !== undefined) await handle.chmod(options.mode); // the umask must not widen or narrow it
    await handle.close();
    handle = null;
    await fs.rename(temp, file);
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await fs.rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
  await syncDirectory(directory);
}

/** Makes the rename itself durable (POSIX); Windows cannot open a folder for syncing, nor needs to. */
async function syncDirectory(directory: string): Promise<void> {
  if (process.platform === 'win32') return;
  try {
    const handle = await fs.open(directory, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Some file systems refuse fsync on a folder; the data itself is already synced.
  }
}

async function existingMode(file: string): Promise<number | null> {
  try {
    return (await fs.stat(file)).mode & 0o777;
  } catch {
    return null;
  }
}

/** A write's failure in words a teacher can act on: disk full, no permission, or what the system said. */
export function describeWriteError(error: unknown): { reason: string; hint: string } {
  // SQLite says "database or disk is full" (SQLITE_FULL, 13) where the system says ENOSPC.
  const sqlite = ((error as { errcode?: number } | undefined)?.errcode ?? 0) % 256;
  // SQLITE_IOERR (10): a write the system refused (a full disk most often, or a failing one).
  if (sqlite === 10) return { reason: 'the disk is full or failing', hint: 'Free some space on the disk (or check it), then try again. Nothing was changed.' };
  const code = sqlite === 13 ? 'ENOSPC' : ((error as NodeJS.ErrnoException | undefined)?.code ?? 'unknown error');
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return { reason: 'the disk is full', hint: 'Free some space on the disk, then try again. Nothing was changed.' };
    case 'EACCES':
    case 'EPERM':
      return { reason: 'Atelier may not write there', hint: 'Choose a folder you may write to. Nothing was changed.' };
    case 'EROFS':
      return { reason: 'the disk is read-only', hint: 'Choose a folder on a disk you may write to. Nothing was changed.' };
    case 'ENOENT':
    case 'ENOTDIR':
      return { reason: 'the folder does not exist', hint: 'Create the folder first, or choose another one. Nothing was changed.' };
    case 'EEXIST':
      return { reason: 'a file is in the way of the folder', hint: 'Move that file away, then try again. Nothing was changed.' };
    case 'EISDIR':
      return { reason: 'that is a folder, not a file', hint: 'Give a file name. Nothing was changed.' };
    default:
      return { reason: `the system said ${code}`, hint: 'Check the disk and the folder, then try again. Nothing was changed.' };
  }
}

/** The error for a file Atelier could not write: whole or not at all, and why. */
export function fileWriteError(file: string, error: unknown, code: 'file_unwritable' | 'settings_unwritable' | 'invalid_request' = 'file_unwritable'): AtelierError {
  const { reason, hint } = describeWriteError(error);
  return new AtelierError(code, `Atelier could not write ${file}: ${reason}.`, hint, { cause: error });
}

/**
 * A full disk (or one that fails) met anywhere, a database write included, as the error a person
 * can act on; anything else as it was. SQLite says "database or disk is full" (SQLITE_FULL) or
 * "disk I/O error" (SQLITE_IOERR) where the system says ENOSPC.
 */
export function asDiskError(error: unknown): unknown {
  if (error instanceof AtelierError) return error;
  const errcode = ((error as { errcode?: number } | undefined)?.errcode ?? 0) % 256;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (errcode === 13 || errcode === 10 || code === 'ENOSPC' || code === 'EDQUOT') {
    return new AtelierError('file_unwritable', 'Atelier could not write to its data folder: the disk is full (or failing).', 'Free some space on the disk, then try again. Nothing was changed.', { cause: error });
  }
  // No permission (EACCES, EPERM), a read-only disk (EROFS), or SQLite's SQLITE_PERM (3),
  // SQLITE_READONLY (8), SQLITE_CANTOPEN (14): a file Atelier needs cannot be opened as it must.
  if (errcode === 3 || errcode === 8 || errcode === 14 || code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    const where = (error as NodeJS.ErrnoException).path;
    return new AtelierError(
      'file_unwritable',
      `Atelier may not read or write ${where ? where : 'a file in its data folder'}${code === 'EROFS' ? ': the disk is read-only' : ''}.`,
      'Check that the data folder (shown by "atelier info") and the files in it belong to you and may be written, then try again. Nothing was changed.',
      { cause: error },
    );
  }
  // SQLITE_CORRUPT (11), SQLITE_NOTADB (26): atelier.db is damaged or not a database at all.
  if (errcode === 11 || errcode === 26) {
    return new AtelierError(
      'file_unwritable',
      'Atelier’s database (atelier.db in its data folder) is damaged, so it cannot be read or written.',
      'Quit Atelier, move atelier.db (with atelier.db-wal and atelier.db-shm, if there) out of the data folder and keep it for support; Atelier starts a new one. "atelier info" shows the data folder.',
      { cause: error },
    );
  }
  return error;
}
