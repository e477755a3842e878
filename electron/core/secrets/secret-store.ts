import { randomUUID } from 'node:crypto';
import type { AsyncEntry } from '@napi-rs/keyring';
import { AtelierError } from '../../../shared/errors';
import { builtinSecretNames, maskSecret, type KeychainStatus, type StoredSecret } from '../../../shared/secrets';

export const DEFAULT_KEYCHAIN_SERVICE = 'Atelier';
const PROBE_ACCOUNT = '__atelier_probe__';

function backendName(): KeychainStatus['backend'] {
  if (process.platform === 'darwin') return 'macos-keychain';
  if (process.platform === 'win32') return 'windows-credential-manager';
  return 'secret-service';
}

/**
 * Secrets in the OS keychain: service "Atelier" (ATELIER_KEYCHAIN_SERVICE for tests), one account
 * per secret. On Linux only the Secret Service is used: the library's silent fallback, the kernel
 * keyring, forgets everything at reboot, so instead Atelier says the keychain is unavailable and
 * offers to keep a secret for this session only, in memory. A secret never goes to a file, a log
 * or an error message.
 */
export class SecretStore {
  private readonly session = new Map<string, string>();
  private status: Promise<KeychainStatus> | null = null;
  private cached: { at: number; names: string; values: Promise<ReadonlyMap<string, string>> } | null = null;

  constructor(readonly service: string = DEFAULT_KEYCHAIN_SERVICE) {}

  static fromEnvironment(env: Readonly<Record<string, string | undefined>>): SecretStore {
    return new SecretStore(env.ATELIER_KEYCHAIN_SERVICE?.trim() || DEFAULT_KEYCHAIN_SERVICE);
  }

  /** A keychain entry; the native keyring module loads on first use. */
  private async entry(account: string): Promise<AsyncEntry> {
    const { AsyncEntry } = await import('@napi-rs/keyring');
    return new AsyncEntry(this.service, account, { linux: { store: 'secret-service' } });
  }

  /**
   * Whether the keychain works: written, read back and deleted once. Reading alone cannot tell
   * "not set" from "cannot reach the keychain".
   */
  keychainStatus(): Promise<KeychainStatus> {
    this.status ??= this.probe();
    return this.status;
  }

  private async probe(): Promise<KeychainStatus> {
    const backend = backendName();
    try {
      // An entry of this process's own: processes probing at once never read each other's token.
      const entry = await this.entry(`${PROBE_ACCOUNT}${randomUUID()}`);
      const token = randomUUID();
      await entry.setPassword(token);
      const read = await entry.getPassword();
      await entry.deletePassword();
      if (read !== token) throw new Error('the value read back differs');
      return { available: true, backend, problem: null, hint: null };
    } catch (error) {
      return {
        available: false,
        backend: 'none',
        problem: `The ${describe(backend)} cannot be used: ${firstLine(error)}.`,
        hint:
          backend === 'secret-service'
            ? 'Start a Secret Service (GNOME Keyring or KWallet, normally part of the desktop) and unlock it. Until then Atelier can keep keys for this session only; they are forgotten when it quits.'
            : 'Unlock the keychain and try again. Until then Atelier can keep keys for this session only; they are forgotten when it quits.',
      };
    }
  }

  /** The secret, from this session's memory or the keychain; null when it is not set. */
  async get(name: string): Promise<string | null> {
    const kept = this.session.get(name);
    if (kept !== undefined) return kept;
    // Read straight away: the write-read-delete probe runs only when a read fails (to tell "no
    // keychain" from "a keychain that refused"), so reading writes nothing to the keychain.
    try {
      return await (await this.entry(name)).getPassword();
    } catch (error) {
      if (!(await this.keychainStatus()).available) return null;
      throw new AtelierError('credentials_missing', `Atelier could not read “${name}” from the keychain: ${firstLine(error)}.`, 'Unlock the keychain and try again.');
    }
  }

  /**
   * Saves a secret in the keychain, or, with `sessionOnly` (or when the keychain is unavailable
   * and the user agreed), in memory until Atelier quits.
   */
  async set(name: string, value: string, options: { sessionOnly?: boolean; anyText?: boolean } = {}): Promise<StoredSecret> {
    // `anyText`: a value that is not a key (a tool server's variable): taken as it is, up to the same length.
    const secret = options.anyText ? checkAnyText(name, value) : checkSecretValue(name, value);
    this.cached = null;
    if (options.sessionOnly) {
      this.session.set(name, secret);
      return { name, storage: 'session', masked: maskSecret(secret) };
    }
    const status = await this.keychainStatus();
    if (!status.available) throw new AtelierError('credentials_missing', status.problem ?? 'The keychain cannot be used.', status.hint ?? undefined);
    try {
      await (await this.entry(name)).setPassword(secret);
    } catch (error) {
      throw new AtelierError('credentials_missing', `Atelier could not save “${name}” in the keychain: ${firstLine(error)}.`, 'Unlock the keychain and try again.');
    }
    this.session.delete(name);
    return { name, storage: 'keychain', masked: maskSecret(secret) };
  }

  /** Removes a secret from memory and the keychain; false if it was in neither. */
  async delete(name: string): Promise<boolean> {
    this.cached = null;
    const inSession = this.session.delete(name);
    if (!(await this.keychainStatus()).available) return inSession;
    try {
      return (await (await this.entry(name)).deletePassword()) || inSession;
    } catch {
      return inSession;
    }
  }

  /**
   * The values of `names` that are set, read at most every `maxAgeMs`: a keychain read is a D-Bus
   * (or XPC) round trip per entry, too slow for every request. A change made in this process
   * shows at once; one made by another process (the CLI) within `maxAgeMs`.
   */
  snapshot(names: readonly string[], maxAgeMs = 10_000): Promise<ReadonlyMap<string, string>> {
    const key = names.join('\n');
    const now = performance.now();
    if (this.cached && this.cached.names === key && now - this.cached.at < maxAgeMs) return this.cached.values;
    const values = (async () => {
      const found = new Map<string, string>();
      for (const name of names) {
        const value = await this.get(name).catch(() => null);
        if (value !== null) found.set(name, value);
      }
      return found;
    })();
    this.cached = { at: now, names: key, values };
    return values;
  }

  /** The secrets that are set, masked. `extraNames`: custom endpoints' `endpoint:<prefix>`. */
  async list(extraNames: readonly string[] = []): Promise<StoredSecret[]> {
    const names = [...builtinSecretNames, ...extraNames];
    const listed: StoredSecret[] = [];
    for (const name of names) {
      const kept = this.session.get(name);
      if (kept !== undefined) {
        listed.push({ name, storage: 'session', masked: maskSecret(kept) });
        continue;
      }
      const value = await this.get(name).catch(() => null);
      if (value !== null) listed.push({ name, storage: 'keychain', masked: maskSecret(value) });
    }
    return listed;
  }
}

/** The longest value kept: AWS session tokens run to a few KB, API keys to a few hundred characters. */
export const MAX_SECRET_LENGTH = 8 * 1024;

/** The shortest: no provider's key is shorter, and a shorter value is a typo or a fragment. */
export const MIN_SECRET_LENGTH = 8;

/** An AWS access key ID: upper-case letters and digits (AKIA… long-term, ASIA… temporary), 16 to 128 of them, usually 20. */
const AWS_ACCESS_KEY_ID = /^[A-Z0-9]{16,128}$/;
/** What an access key ID starts with: a value of this shape is never a secret key or a token. */
const AWS_ACCESS_KEY_ID_SHAPE = /^(AKIA|ASIA)[A-Z0-9]{12,}$/;
/** An AWS secret access key: 40 characters of base64 (letters of both cases, digits, / and +). */
const AWS_SECRET_ACCESS_KEY_SHAPE = /^[A-Za-z0-9/+=]{40}$/;

/**
 * A value that is plainly the other half of an AWS key pair, or no access key ID at all: the two
 * are easily swapped when copied by hand, and a swapped pair fails only at the first request,
 * with an error about signatures. Says what is wrong, never quoting the value.
 */
function awsShapeProblem(name: string, secret: string): { message: string; hint: string } | null {
  const swapHint = 'The access key ID is the shorter one, 20 upper-case letters and digits starting with AKIA (or ASIA); the secret access key is 40 characters of mixed case. Save each under its own name, or import the CSV the AWS console gives: atelier auth import-aws-csv FILE';
  if (name === 'aws-access-key-id' && !AWS_ACCESS_KEY_ID.test(secret)) {
    return AWS_SECRET_ACCESS_KEY_SHAPE.test(secret) || /[a-z/+]/.test(secret)
      ? { message: `The value for “${name}” looks like a secret access key, not an access key ID: were the two swapped?`, hint: swapHint }
      : { message: `The value for “${name}” is not an access key ID: those are 16 to 128 upper-case letters and digits, usually 20 starting with AKIA or ASIA.`, hint: swapHint };
  }
  if ((name === 'aws-secret-access-key' || name === 'aws-session-token') && AWS_ACCESS_KEY_ID_SHAPE.test(secret)) {
    return { message: `The value for “${name}” looks like an access key ID (AKIA… or ASIA…), not ${name === 'aws-session-token' ? 'a session token' : 'the secret access key'}: were they swapped?`, hint: swapHint };
  }
  return null;
}

const WHAT_A_KEY_LOOKS_LIKE = 'A key is one line of letters, digits and a few symbols, such as sk-ant-… or AKIA…, usually 20 to 200 characters (a session token up to a few thousand).';

/**
 * The value, trimmed, if it can be a key; otherwise an error that says what is wrong without
 * quoting any of it: a wrong value may still be most of a real key, or something else secret.
 */
export function checkSecretValue(name: string, value: string): string {
  const secret = value.trim();
  if (secret === '') throw new AtelierError('invalid_request', `The value for “${name}” is empty.`, 'Paste the key itself, without quotes.');
  if (secret.length > MAX_SECRET_LENGTH) {
    throw new AtelierError('invalid_request', `The value for “${name}” is ${secret.length.toLocaleString('en')} characters long, too long for a key (at most ${MAX_SECRET_LENGTH.toLocaleString('en')}).`, `Check that you gave the key and not a file holding something else. ${WHAT_A_KEY_LOOKS_LIKE}`);
  }
  if (/\s/.test(secret)) throw new AtelierError('invalid_request', `The value for “${name}” contains spaces or line breaks.`, 'Paste only the key, on one line.');
  if (/[^\x21-\x7E]/.test(secret)) {
    throw new AtelierError('invalid_request', `The value for “${name}” contains characters a key never has (control characters, binary data or letters outside ASCII).`, WHAT_A_KEY_LOOKS_LIKE);
  }
  if (secret.length < MIN_SECRET_LENGTH) {
    throw new AtelierError('invalid_request', `The value for “${name}” is ${secret.length} characters long, too short for a key (at least ${MIN_SECRET_LENGTH}).`, `Check that you pasted the whole key. ${WHAT_A_KEY_LOOKS_LIKE}`);
  }
  const aws = awsShapeProblem(name, secret);
  if (aws) throw new AtelierError('invalid_request', aws.message, aws.hint);
  return secret;
}

function checkAnyText(name: string, value: string): string {
  if (value.length > MAX_SECRET_LENGTH) throw new AtelierError('invalid_request', `The value for “${name}” is longer than ${MAX_SECRET_LENGTH.toLocaleString('en')} characters.`, 'Give a shorter value.');
  if (value.includes('\0')) throw new AtelierError('invalid_request', `The value for “${name}” contains a NUL character.`, 'Give it as text.');
  return value;
}

function describe(backend: KeychainStatus['backend']): string {
  return backend === 'macos-keychain' ? 'macOS Keychain' : backend === 'windows-credential-manager' ? 'Windows Credential Manager' : 'Secret Service (the desktop keyring)';
}

/** The first line of an error's message: keychain errors can be long, and never hold the secret. */
function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]?.replace(/[.\s]+$/, '') ?? 'unknown error';
}
