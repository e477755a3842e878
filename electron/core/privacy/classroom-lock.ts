import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { AtelierError } from '../../../shared/errors';
import type { SecretStore } from '../secrets/secret-store';

/** The keychain entry that holds the lock's password hash (never the password). */
export const LOCK_ENTRY = 'classroom-lock';

/** scrypt cost: about a tenth of a second per try, so guessing a teacher's password is slow. */
const PARAMS = { N: 2 ** 15, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;

function derive(password: string, salt: Buffer, params: { N: number; r: number; p: number }): Promise<Buffer> {
  const options: ScryptOptions = { ...params, maxmem: 128 * params.N * params.r * 2 };
  return new Promise((resolve, reject) => scrypt(password.normalize('NFC'), salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key))));
}

/**
 * The classroom lock: a teacher sets a password; while the lock is on, the privacy tier, the
 * providers, their keys and the allowed models cannot be changed. Only the scrypt hash is kept,
 * in the keychain. A forgotten password is reset by deleting that keychain entry with the
 * operating system's own tools (see the README): there is no back door in the app.
 */
export class ClassroomLock {
  constructor(private readonly secrets: SecretStore) {}

  async isLocked(): Promise<boolean> {
    return (await this.secrets.get(LOCK_ENTRY)) !== null;
  }

  async lock(password: string): Promise<void> {
    if (password.length < 6) throw new AtelierError('invalid_request', 'The password is too short.', 'Use at least 6 characters, and not one the students know.');
    if (await this.isLocked()) throw new AtelierError('settings_locked', 'Atelier is already locked.', 'Unlock it first with the current password.');
    const salt = randomBytes(16);
    const hash = await derive(password, salt, PARAMS);
    await this.secrets.set(LOCK_ENTRY, `scrypt$${PARAMS.N}$${PARAMS.r}$${PARAMS.p}$${salt.toString('base64')}$${hash.toString('base64')}`);
  }

  /** True if `password` is the lock's; false if wrong or not locked. */
  async verify(password: string): Promise<boolean> {
    const stored = await this.secrets.get(LOCK_ENTRY);
    const parts = stored?.split('$');
    if (!parts || parts.length !== 6 || parts[0] !== 'scrypt') return false;
    const [, n, r, p, salt, hash] = parts as [string, string, string, string, string, string];
    const expected = Buffer.from(hash, 'base64');
    const actual = await derive(password, Buffer.from(salt, 'base64'), { N: Number(n), r: Number(r), p: Number(p) });
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  }

  async unlock(password: string): Promise<void> {
    if (!(await this.isLocked())) return;
    if (!(await this.verify(password))) {
      throw new AtelierError('settings_locked', 'That is not the password of the classroom lock.', 'Ask the teacher who locked Atelier. A forgotten password can be reset by the computer’s administrator (see the README).');
    }
    await this.secrets.delete(LOCK_ENTRY);
  }
}
