import { createHash, randomBytes } from 'node:crypto';
import type { DatabaseSync } from 'node:sqlite';
import { AtelierError, describeIssues } from '../../../shared/errors';
import { ServeTokenNameSchema, type ServeToken } from '../../../shared/gateway';
import { maskSecret } from '../../../shared/secrets';
import type { SecretStore } from '../secrets/secret-store';
import { Statements } from '../store/statements';
import { asDiskError } from '../store/atomic-file';

/** What every token starts with, so a leaked one is recognisable (and secret scanners can find it). */
export const TOKEN_PREFIX = 'atl_';

/** A name as compared: Unicode-normalised and lower-cased, so "Ünï" and "ünï", "Ａ" and "A" are one name. */
function nameKey(name: string): string {
  return name.trim().normalize('NFKC').toLowerCase();
}

/** The keychain entry of a token. */
export function tokenSecretName(name: string): string {
  return `serve-token:${nameKey(name)}`;
}

function fingerprintOf(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

interface TokenRow {
  name: string;
  masked: string;
  created_at: string;
  last_used_at: string | null;
}

/**
 * Access tokens for the local endpoint, one per client. The token itself goes to the keychain
 * (shown once, when made); the database keeps its name and a SHA-256 fingerprint, which is what a
 * request is checked against: one indexed read, and a token revoked in the CLI is refused by the
 * app's endpoint at the next request.
 */
export class ServeTokens {
  private readonly sql: Statements;

  constructor(
    db: DatabaseSync,
    private readonly secrets: SecretStore,
  ) {
    this.sql = new Statements(db);
  }

  list(): ServeToken[] {
    const rows = this.sql.get('SELECT name, masked, created_at, last_used_at FROM serve_tokens ORDER BY name COLLATE NOCASE').all() as unknown as TokenRow[];
    return rows.map((row) => ({ name: row.name, masked: row.masked, createdAt: row.created_at, lastUsedAt: row.last_used_at }));
  }

  /**
   * Makes a token for a new client; the token is returned this once. It is kept in the keychain
   * where there is one (`inKeychain`); without one it still works (requests are checked against
   * its fingerprint), it is just kept nowhere else.
   */
  async add(rawName: string): Promise<ServeToken & { token: string; inKeychain: boolean }> {
    const parsed = ServeTokenNameSchema.safeParse(rawName);
    if (!parsed.success) throw new AtelierError('invalid_request', `That token name cannot be used: ${describeIssues(parsed.error.issues)}.`, 'Name it after the tool that will use it, such as "VS Code".');
    const name = parsed.data;
    if (this.find(name) !== null) {
      throw new AtelierError('invalid_request', `There is a token named “${name}” already.`, `Revoke it first (atelier serve tokens revoke "${name}"), or choose another name.`);
    }
    const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    // The keychain first: a token the database knows but the keychain lost is not one to hand out.
    let inKeychain = true;
    try {
      await this.secrets.set(tokenSecretName(name), token);
    } catch (error) {
      if ((await this.secrets.keychainStatus()).available) throw error;
      inKeychain = false;
    }
    const createdAt = new Date().toISOString();
    try {
      this.sql.get('INSERT INTO serve_tokens (name, fingerprint, masked, created_at) VALUES (?, ?, ?, ?)').run(name, fingerprintOf(token), maskSecret(token), createdAt);
    } catch (error) {
      await this.secrets.delete(tokenSecretName(name)).catch(() => false);
      if (String((error as Error).message).includes('UNIQUE')) {
        throw new AtelierError('invalid_request', `There is a token named “${name}” already.`, 'Choose another name.');
      }
      // A full disk or a read-only data folder is said as such, not as something that went wrong.
      throw asDiskError(error);
    }
    return { name, token, masked: maskSecret(token), createdAt, lastUsedAt: null, inKeychain };
  }

  /** Revokes a token: refused from the next request on. False when there was none of that name. */
  async revoke(name: string): Promise<boolean> {
    const found = this.find(name);
    if (found === null) return false;
    const row = this.sql.get('DELETE FROM serve_tokens WHERE name = ? RETURNING name').get(found) as { name: string } | undefined;
    if (!row) return false;
    await this.secrets.delete(tokenSecretName(row.name)).catch(() => false);
    return true;
  }

  /** The stored name that is `name`, compared as names are (see nameKey); null when there is none. */
  private find(name: string): string | null {
    const key = nameKey(name);
    const rows = this.sql.get('SELECT name FROM serve_tokens').all() as unknown as { name: string }[];
    return rows.find((row) => nameKey(row.name) === key)?.name ?? null;
  }

  /** The client's name for a presented token, or null when it is no (longer a) token. */
  verify(presented: string): string | null {
    if (!presented.startsWith(TOKEN_PREFIX) || presented.length > 200) return null;
    const row = this.sql.get('SELECT name FROM serve_tokens WHERE fingerprint = ?').get(fingerprintOf(presented)) as { name: string } | undefined;
    return row?.name ?? null;
  }

  /** Notes a token's use (at most once a minute per token, so a busy client writes little). */
  touch(name: string, now: Date = new Date()): void {
    const cutoff = new Date(now.getTime() - 60_000).toISOString();
    try {
      this.sql.get('UPDATE serve_tokens SET last_used_at = ? WHERE name = ? AND (last_used_at IS NULL OR last_used_at < ?)').run(now.toISOString(), name, cutoff);
    } catch {
      // A note for the list only; a busy or full database must not fail the request.
    }
  }
}
