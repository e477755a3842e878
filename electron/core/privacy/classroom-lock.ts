import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { AtelierError } from '../../../shared/errors';
import { stripByteOrderMark } from '../../../shared/text';
import type { SecretStore } from '../secrets/secret-store';
import { isLockPins, type LockPins } from './lock-pins';
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
 * Whether the class is locked, with which hash and pins. `damaged`: the lock file exists but
 * cannot be read, which counts as locked: a lock must never open because its file was mangled.
 * `keychainCopy`: whether a copy is in the keychain (it then has to go when unlocking).
 */
export type LockState = { locked: false } | { locked: true; hash: string | null; pins: LockPins | null; damaged?: string };

interface StoredLock {
  /** null: a copy that cannot be read; it still locks, and only the administrator can reset it. */
  hash: string | null;
  pins: LockPins | null;
}

/** How long a read of the lock (a file and a keychain entry) is reused: the app asks per request. */
const STATE_MAX_AGE_MS = 2000;

/**
 * The classroom lock: a teacher sets a password; while the lock is on, the privacy tier, the
 * providers and their addresses, their keys and the allowed models cannot be changed, and the
 * ones in force when the teacher locked stay in force (they are pinned: see lock-pins.ts), so
 * neither editing settings.json nor an address variable moves words elsewhere.
 *
 * Locked state never depends on reaching the keychain: it is kept in the data folder
 * (`classroom-lock.json`, with the scrypt hash of the password and the pins), where every
 * process that reads settings looks. A copy goes to the keychain too: while it is there the
 * class is locked whatever the data folder says (a file edited to "unlocked", or another data
 * folder through ATELIER_HOME), since it guards the keys in that keychain. A damaged lock file
 * locks too, and every guarded change is then refused. A forgotten password is reset by the
 * computer's administrator (see the README): there is no back door in the app.
 */
export class ClassroomLock {
  readonly file: string;
  private cached: { at: number; state: LockState } | null = null;

  constructor(
    private readonly dataDir: string,
    private readonly secrets: SecretStore | null,
  ) {
    this.file = path.join(dataDir, LOCK_FILE_NAME);
  }

  /**
   * Reads the lock (the data folder's file and the keychain's copy); reused for a moment unless
   * `fresh` (a guarded change always reads it anew).
   */
  async state({ fresh = false }: { fresh?: boolean } = {}): Promise<LockState> {
    if (!fresh && this.cached && performance.now() - this.cached.at < STATE_MAX_AGE_MS) return this.cached.state;
    const state = await this.readState();
    this.cached = { at: performance.now(), state };
    return state;
  }

  /** The pins in force, from the last read (null when unlocked): for the settings and environment in force. */
  pins(): LockPins | null {
    const state = this.cached?.state;
    return state?.locked ? state.pins : null;
  }

  private async readState(): Promise<LockState> {
    const [file, copy] = await Promise.all([this.readFile(), this.keychainCopy()]);
    // While the keychain holds a copy, the copy decides (hash and pins): the file is in the
    // student's own folder and can be edited, the keychain entry cannot be without noticing.
    if (copy !== null) return { locked: true, hash: copy.hash, pins: copy.pins ?? (file.kind === 'locked' ? file.lock.pins : null), ...(file.kind === 'damaged' && { damaged: file.problem }) };
    if (file.kind === 'damaged') return { locked: true, hash: null, pins: null, damaged: file.problem };
    if (file.kind === 'locked') return { locked: true, hash: file.lock.hash, pins: file.lock.pins };
    return { locked: false };
  }

  private async readFile(): Promise<{ kind: 'missing' | 'unlocked' } | { kind: 'locked'; lock: StoredLock } | { kind: 'damaged'; problem: string }> {
    let text: string;
    try {
      const stat = await fs.lstat(this.file);
      if (!stat.isFile()) return { kind: 'damaged', problem: 'it is not a regular file' };
      text = stripByteOrderMark(await fs.readFile(this.file, 'utf8'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
      return { kind: 'damaged', problem: `it cannot be read (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})` };
    }
    try {
      const data = JSON.parse(text) as { locked?: unknown; hash?: unknown; pins?: unknown };
      if (data.locked === false) return { kind: 'unlocked' };
      if (data.locked === true && typeof data.hash === 'string' && isHash(data.hash)) return { kind: 'locked', lock: { hash: data.hash, pins: isLockPins(data.pins) ? data.pins : null } };
      return { kind: 'damaged', problem: 'it does not hold a lock Atelier can check' };
    } catch {
      return { kind: 'damaged', problem: 'it is not valid JSON' };
    }
  }

  async isLocked(): Promise<boolean> {
    return (await this.state()).locked;
  }

  /** Refuses when locked, saying why and what to do; used by every guarded change. */
  async assertUnlocked(): Promise<void> {
    const state = await this.state({ fresh: true });
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

  /**
   * Locks with `password`, pinning `pins` (the settings and address variables in force now).
   * Returns whether the keychain copy was written: without it the lock holds for this data folder only.
   */
  async lock(password: string, pins: LockPins): Promise<{ keychainCopy: boolean }> {
    if (password.length < 6) throw new AtelierError('invalid_request', 'The password is too short.', 'Use at least 6 characters, and not one the students know.');
    // The app's unlock takes at most 200 characters: a longer password could never be typed there.
    if (password.length > 200) throw new AtelierError('invalid_request', 'The password is too long.', 'Use at most 200 characters.');
    return withFolderLock(this.dataDir, async () => {
      if ((await this.state({ fresh: true })).locked) throw new AtelierError('settings_locked', 'Atelier is already locked.', 'Unlock it first with the current password.');
      const salt = randomBytes(16);
      const hash = await derive(password, salt, PARAMS);
      const stored = `scrypt$${PARAMS.N}$${PARAMS.r}$${PARAMS.p}$${salt.toString('base64')}$${hash.toString('base64')}`;
      // The copy in the keychain first: the file then records whether there is one to remove when unlocking.
      const keychainCopy = this.secrets ? await this.secrets.set(LOCK_ENTRY, JSON.stringify({ hash: stored, pins })).then(() => true, () => false) : false;
      await this.writeFile({ locked: true, hash: stored, pins, keychainCopy, lockedAt: new Date().toISOString() });
      this.cached = null;
      return { keychainCopy };
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

  /** Unlocks with the password; `wasLocked` false when there was no lock to open. */
  async unlock(password: string): Promise<{ wasLocked: boolean }> {
    return withFolderLock(this.dataDir, async () => {
      this.cached = null;
      const state = await this.state({ fresh: true });
      if (!state.locked) return { wasLocked: false };
      if (state.hash === null) await this.assertUnlocked();
      if (!(await this.verify(password))) {
        throw new AtelierError('settings_locked', 'That is not the password of the classroom lock.', 'Ask the teacher who locked Atelier. A forgotten password can be reset by the computer’s administrator (see the README).');
      }
      // The keychain's copy must go, or it would lock again: when the keychain cannot be reached, nothing changes.
      if (this.secrets && (await this.keychainCopy()) !== null) {
        const removed = await this.secrets.delete(LOCK_ENTRY).catch(() => false);
        if (!removed) throw new AtelierError('settings_locked', 'Atelier could not remove the lock’s copy in the keychain, so it stays locked.', 'Unlock the keychain (or start the desktop’s keyring) and try again.');
      }
      await this.writeFile({ locked: false, unlockedAt: new Date().toISOString() });
      this.cached = null;
      return { wasLocked: true };
    });
  }

  private async keychainCopy(): Promise<StoredLock | null> {
    if (!this.secrets) return null;
    const value = await this.secrets.get(LOCK_ENTRY).catch(() => null);
    if (value === null) return null;
    if (isHash(value)) return { hash: value, pins: null }; // written by an earlier Atelier
    try {
      const data = JSON.parse(value) as { hash?: unknown; pins?: unknown };
      if (typeof data.hash === 'string' && isHash(data.hash)) return { hash: data.hash, pins: isLockPins(data.pins) ? data.pins : null };
    } catch {
      // not ours, or damaged: a copy that is there still locks
    }
    return { hash: null, pins: null };
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
  'Atelier is locked for this class: the privacy setting, the providers, their keys and the budget cannot be changed.',
  'Ask your teacher to unlock it ("atelier unlock", or Settings → Privacy).',
);
