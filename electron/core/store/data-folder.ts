import fs from 'node:fs';

/**
 * The data folder holds conversations and settings: personal data, so the folder is 0700 and
 * every file in it 0600 on POSIX systems (on Windows the user profile's default ACLs already keep
 * it private). Called before anything is written there; it also narrows what an older Atelier
 * left readable by others.
 */
export function preparePrivateDataDir(dataDir: string): void {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (process.platform === 'win32') return;
  const { mode } = fs.statSync(dataDir);
  if ((mode & 0o077) !== 0) fs.chmodSync(dataDir, 0o700);
}

/** Makes an existing file private (0600) if others may read it; a missing file is left missing. */
export function makeFilePrivate(file: string): void {
  if (process.platform === 'win32') return;
  try {
    const { mode } = fs.statSync(file);
    if ((mode & 0o077) !== 0) fs.chmodSync(file, 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/**
 * Creates a file as private before a library (SQLite) opens it, so it never exists readable by
 * others, not even for a moment; an existing one is narrowed. SQLite gives its -wal and -shm
 * files the database file's own permissions.
 */
export function createPrivateFile(file: string): void {
  fs.closeSync(fs.openSync(file, fs.constants.O_CREAT | fs.constants.O_RDWR, 0o600));
  makeFilePrivate(file);
  for (const companion of [`${file}-wal`, `${file}-shm`, `${file}-journal`]) makeFilePrivate(companion);
}

