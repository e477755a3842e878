import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { AtelierError } from '../../../shared/errors';
import { stripByteOrderMark } from '../../../shared/text';
import type { SecretStore } from '../secrets/secret-store';
import { fileWriteError, writeFileAtomically } from '../store/atomic-file';
import { withFolderLock } from '../store/folder-lock';

/** The keychain entry that holds a copy of the lock's password hash (never the password). */
export const LOCK_ENTRY = 'classroom-lock';
/** The file in the data folder that says whether the class is locked, with the password hash. */
export const LOCK_FILE_NAME = 'classroom-lock.json';

/** scrypt cost: about a tenth of a second per try, so guessing a teacher's password is slow. */
const PARAMS = { N: 2 ** 15, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;

function derive(password: string, salt: Buffer, params: { N: number; r: number; p: number }): Promise<Buffer> {
  const options: ScryptOptions = { ...params, maxmem: 128 * params.N * params.r * 2 };
  return new Promise((resolve, reject) => scrypt(password.normalize('NFC'), salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key))));
}

/**
 * Whether the class is locked, and with which hash. `damaged`: the lock file exists but cannot
 * be read, which counts as locked: a lock must never open because its file was mangled.
 */
export type LockState = { locked: false } | { locked: true; hash: string | null; damaged?: string };

/**
 * The classroom lock: a teacher sets a password; while the lock is on, the privacy tier, the
 * providers, their keys and the allowed models cannot be changed.
 *
 * Locked state never depends on reaching the keychain: it is kept in the data folder
 * (`classroom-lock.json`, with the scrypt hash of the password), where every process that could
 * change settings looks. A copy of the hash goes to the keychain too, so a data folder of its own
 * (`ATELIER_HOME`) does not escape a lock that guards the keys in that keychain. When the lock
 * cannot be checked (the file is damaged), every guarded change is refused. A forgotten password
 * is reset by the computer's administrator (see the README): there is no back door in the app.
 */
export class ClassroomLock {
  readonly file: string;

  constructor(
    private readonly dataDir: string,
    private readonly secrets: SecretStore | null,
  ) {
    this.file = path.join(dataDir, LOCK_FILE_NAME);
  }

  async state(): Promise<LockState> {
    let text: string;
    try {
      text = stripByteOrderMark(await fs.readFile(this.file, 'utf8'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return { locked: true, hash: null, damaged: `it cannot be read (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})` };
      // No file in this data folder: a lock set on the same keychain from another data folder still holds.
      const copy = await this.keychainCopy();
      return copy === null ? { locked: false } : { locked: true, hash: copy };
    }
    try {
      const data = JSON.parse(text) as { locked?: unknown; hash?: unknown };
      if (data.locked === false) return { locked: false };
      if (data.locked === true && typeof data.hash === 'string' && isHash(data.hash)) return { locked: true, hash: data.hash };
      return { locked: true, hash: null, damaged: 'it does not hold a lock Atelier can check' };
    } catch {
      return { locked: true, hash: null, damaged: 'it is not valid JSON' };
    }
  }

  async isLocked(): Promise<boolean> {
    return (await this.state()).locked;
  }

  /** Refuses when locked, saying why and what to do; used by every guarded change. */
  async assertUnlocked(): Promise<void> {
    const state = await this.state();
    if (!state.locked) return;
    if (state.damaged) {
      throw new AtelierError(
        'settings_locked',
        `Atelier is locked for this class, and the lock cannot be checked: ${this.file} ${state.damaged}.`,
        'Ask your teacher, or the computer’s administrator, to reset the lock (see the README, “Classroom lock”).',
      );
    }
    throw CLASSROOM_LOCKED;
  }

  async lock(password: string): Promise<void> {
    if (password.length < 6) throw new AtelierError('invalid_request', 'The password is too short.', 'Use at least 6 characters, and not one the students know.');
    if (password.length > 1024) throw new AtelierError('invalid_request', 'The password is too long.', 'Use at most 1,024 characters.');
    await withFolderLock(this.dataDir, async () => {
      if (await this.isLocked()) throw new AtelierError('settings_locked', 'Atelier is already locked.', 'Unlock it first with the current password.');
      const salt = randomBytes(16);
      const hash = await derive(password, salt, PARAMS);
      const stored = `scrypt$${PARAMS.N}$${PARAMS.r}$${PARAMS.p}$${salt.toString('base64')}$${hash.toString('base64')}`;
      await this.writeFile({ locked: true, hash: stored, lockedAt: new Date().toISOString() });
      // The copy in the keychain is a second line: the file already locks this data folder.
      await this.secrets?.set(LOCK_ENTRY, stored).catch(() => undefined);
    });
  }

  /** True if `password` is the lock's; false if wrong, not locked, or the lock cannot be checked. */
  async verify(password: string): Promise<boolean> {
    const state = await this.state();
    if (!state.locked || state.hash === null) return false;
    const [, n, r, p, salt, hash] = state.hash.split('$') as [string, string, string, string, string, string];
    const expected = Buffer.from(hash, 'base64');
    const actual = await derive(password, Buffer.from(salt, 'base64'), { N: Number(n), r: Number(r), p: Number(p) });
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  }

  async unlock(password: string): Promise<void> {
    await withFolderLock(this.dataDir, async () => {
      const state = await this.state();
      if (!state.locked) return;
      if (state.damaged) await this.assertUnlocked();
      if (!(await this.verify(password))) {
        throw new AtelierError('settings_locked', 'That is not the password of the classroom lock.', 'Ask the teacher who locked Atelier. A forgotten password can be reset by the computer’s administrator (see the README).');
      }
      // "Unlocked" is written down, so a copy left in an unreachable keychain cannot lock this folder again.
      await this.writeFile({ locked: false, unlockedAt: new Date().toISOString() });
      await this.secrets?.delete(LOCK_ENTRY).catch(() => false);
    });
  }

  private async keychainCopy(): Promise<string | null> {
    if (!this.secrets) return null;
    const value = await this.secrets.get(LOCK_ENTRY).catch(() => null);
    return value !== null && isHash(value) ? value : null;
  }

  private async writeFile(content: object): Promise<void> {
    try {
      await writeFileAtomically(this.file, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600 });
    } catch (error) {
      throw fileWriteError(this.file, error, 'settings_unwritable');
    }
  }
}

function isHash(value: string): boolean {
  const parts = value.split('$');
  return parts.length === 6 && parts[0] === 'scrypt' && parts.slice(1, 4).every((part) => /^\d+$/.test(part));
}

export const CLASSROOM_LOCKED = new AtelierError(
  'settings_locked',
  'Atelier is locked for this class: the privacy setting, the providers and their keys cannot be changed.',
  'Ask your teacher to unlock it ("atelier unlock", or Settings → Privacy).',
);
