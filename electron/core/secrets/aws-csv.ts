import { parse } from 'csv-parse/sync';
import { AtelierError } from '../../../shared/errors';
import type { SecretStore } from './secret-store';

export interface AwsAccessKey {
  accessKeyId: string;
  secretAccessKey: string;
}

const HINT = 'Download a new access key CSV in the AWS console (IAM → Users → Security credentials → Create access key), then import that file.';

/**
 * Reads the CSV the AWS console gives for an access key, in either layout ("Access key
 * ID,Secret access key", or with user name, password and console link), with or without a
 * UTF-8 byte-order mark. Every problem is named; nothing of the file is kept.
 */
export function parseAwsAccessKeyCsv(text: string): AwsAccessKey {
  let rows: Record<string, string>[];
  try {
    rows = parse(text, { bom: true, columns: (header: string[]) => header.map((name) => name.trim().toLowerCase()), skip_empty_lines: true, trim: true, relax_column_count: true });
  } catch (error) {
    throw new AtelierError('invalid_request', `The file is not a readable CSV (${(error as Error).message.split('\n')[0]}).`, HINT);
  }
  if (rows.length === 0) throw new AtelierError('invalid_request', 'The CSV has no access key in it: it is empty, or has only a header line.', HINT);
  const first = rows[0] ?? {};
  if (!('access key id' in first) || !('secret access key' in first)) {
    throw new AtelierError(
      'invalid_request',
      `The CSV has no "Access key ID" and "Secret access key" columns (its columns: ${Object.keys(first).join(', ') || 'none'}).`,
      HINT,
    );
  }
  if (rows.length > 1) throw new AtelierError('invalid_request', `The CSV holds ${rows.length} access keys; Atelier needs exactly one.`, 'Import the file of the one key this computer should use.');
  const accessKeyId = first['access key id'] ?? '';
  const secretAccessKey = first['secret access key'] ?? '';
  if (/^ASIA/.test(accessKeyId)) {
    throw new AtelierError('invalid_request', 'This is a temporary access key (it starts with ASIA) and needs a session token, which a CSV does not carry.', 'Use a long-term access key (AKIA…), or an AWS profile with SSO.');
  }
  if (!/^AKIA[A-Z0-9]{16}$/.test(accessKeyId)) {
    throw new AtelierError('invalid_request', 'The access key ID in the CSV is not valid: it should be 20 characters starting with AKIA.', HINT);
  }
  if (!/^[A-Za-z0-9/+=]{40}$/.test(secretAccessKey)) {
    throw new AtelierError('invalid_request', 'The secret access key in the CSV is not valid: it should be 40 characters.', HINT);
  }
  return { accessKeyId, secretAccessKey };
}

/** Parses the CSV and saves the key in the keychain, replacing any session token of older keys. */
export async function importAwsAccessKeyCsv(text: string, secrets: SecretStore): Promise<{ accessKeyIdMasked: string }> {
  const key = parseAwsAccessKeyCsv(text);
  await secrets.set('aws-access-key-id', key.accessKeyId);
  await secrets.set('aws-secret-access-key', key.secretAccessKey);
  await secrets.delete('aws-session-token');
  return { accessKeyIdMasked: `${key.accessKeyId.slice(0, 4)}…${key.accessKeyId.slice(-4)}` };
}
