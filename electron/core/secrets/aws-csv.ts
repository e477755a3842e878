import { parse } from 'csv-parse/sync';
import { AtelierError } from '../../../shared/errors';
import type { SecretStore } from './secret-store';

export interface AwsAccessKey {
  accessKeyId: string;
  secretAccessKey: string;
}

const HINT = 'Download a new access key CSV in the AWS console (IAM → Users → Security credentials → Create access key), then import that file.';

/** An access key CSV is about 200 bytes; anything far larger is some other file. */
export const MAX_CSV_BYTES = 64 * 1024;

const REQUIRED_COLUMNS = ['access key id', 'secret access key'] as const;

/**
 * Text from the bytes of a file that should be a CSV, or an error that quotes none of it: a
 * credentials file may hold a secret anywhere, so nothing of it is ever echoed. Binary files
 * (NUL bytes, invalid UTF-8, control characters) are named as such.
 */
function csvText(input: string | Uint8Array): string {
  if (input.length > MAX_CSV_BYTES) {
    throw new AtelierError('invalid_request', `The file is too large to be an access key CSV (over ${MAX_CSV_BYTES / 1024} KB; the AWS console's is a few hundred bytes).`, HINT);
  }
  let text: string;
  if (typeof input === 'string') text = input;
  else {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(input);
    } catch {
      throw notText();
    }
  }
  // U+FFFD: invalid UTF-8 that was decoded before it got here (the app reads the file as text).
  // eslint-disable-next-line no-control-regex -- control characters are what marks a binary file
  if (/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFD]/.test(text)) throw notText();
  return text;
}

function notText(): AtelierError {
  return new AtelierError('invalid_request', 'This is not a text/CSV file: it holds binary data, so it cannot be an access key CSV.', HINT);
}

/** csv-parse's error codes in Atelier's words; its own messages quote the field, which may be a secret. */
const CSV_PROBLEMS: Record<string, string> = {
  INVALID_OPENING_QUOTE: 'a quote mark in the middle of a field',
  CSV_INVALID_OPENING_QUOTE: 'a quote mark in the middle of a field',
  CSV_QUOTE_NOT_CLOSED: 'a quote mark that is never closed',
  CSV_INVALID_CLOSING_QUOTE: 'text right after a closing quote mark',
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: 'text right after a closing quote mark',
  CSV_MAX_RECORD_SIZE: 'a field far too long for an access key',
};

/** Where csv-parse stopped and what kind of problem it met, never the text it met. */
function describeCsvError(error: unknown): string {
  const details = (error ?? {}) as { code?: unknown; lines?: unknown; index?: unknown };
  const problem = (typeof details.code === 'string' && CSV_PROBLEMS[details.code]) || 'a line that is not laid out as CSV';
  const line = typeof details.lines === 'number' && Number.isInteger(details.lines) ? ` on line ${details.lines}` : '';
  const column = typeof details.index === 'number' && Number.isInteger(details.index) ? `, column ${details.index + 1}` : '';
  return `The file is not a readable CSV: it has ${problem}${line}${column}.`;
}

/** A key id or secret key where a column name should be: shaped like one, so never echoed. */
const KEY_SHAPED = /^(AKIA|ASIA)[A-Z0-9]{12,}$|^[A-Za-z0-9/+=]{16,}$/;

/** Words of column names in the CSVs of AWS, IAM and the like: a header cell of these may be echoed. */
const COLUMN_WORDS = new Set(
  'user users name names password access key keys id ids secret console login link url created creation date last used status active region account arn type token session email description value label note notes'.split(' '),
);

/**
 * A header cell that may be echoed in an error: a few words that column names are made of.
 * Anything else (a password or key where a header should be, a passphrase) is only counted.
 */
function showableColumn(name: string): boolean {
  const words = name.split(/[ _-]+/);
  return name.length <= 40 && words.length <= 5 && words.every((word) => COLUMN_WORDS.has(word));
}

/**
 * Reads the CSV the AWS console gives for an access key, in either layout ("Access key
 * ID,Secret access key", or with user name, password and console link), with or without a
 * UTF-8 byte-order mark. Every problem is named by line, column and kind; nothing of the file is
 * echoed (a field may be the secret), apart from column names that look like column names.
 */
export function parseAwsAccessKeyCsv(input: string | Uint8Array): AwsAccessKey {
  const text = csvText(input);
  let rows: string[][];
  try {
    rows = parse(text, { bom: true, skip_empty_lines: true, trim: true, relax_column_count: true, max_record_size: 16 * 1024 });
  } catch (error) {
    throw new AtelierError('invalid_request', describeCsvError(error), HINT);
  }
  const [headerRow, ...records] = rows;
  if (!headerRow) throw new AtelierError('invalid_request', 'The CSV has no access key in it: it is empty, or has only a header line.', HINT);
  const header = headerRow.map((name) => name.trim().toLowerCase());
  const at = REQUIRED_COLUMNS.map((name) => header.indexOf(name));
  if (at.some((index) => index < 0)) {
    if (headerRow.some((cell) => KEY_SHAPED.test(cell.trim()))) {
      throw new AtelierError(
        'invalid_request',
        'The CSV has no header line: its first line holds what looks like a key, not the column names "Access key ID" and "Secret access key".',
        HINT,
      );
    }
    const shown = header.filter(showableColumn);
    const hidden = header.length - shown.length;
    const columns = [...shown, ...(hidden > 0 ? [`${hidden} ${hidden === 1 ? 'other' : 'others'} not shown`] : [])].join(', ') || 'none';
    throw new AtelierError('invalid_request', `The CSV has no "Access key ID" and "Secret access key" columns (its columns: ${columns}).`, HINT);
  }
  if (records.length === 0) throw new AtelierError('invalid_request', 'The CSV has no access key in it: it is empty, or has only a header line.', HINT);
  if (records.length > 1) throw new AtelierError('invalid_request', `The CSV holds ${records.length} access keys; Atelier needs exactly one.`, 'Import the file of the one key this computer should use.');
  const record = records[0] ?? [];
  const accessKeyId = record[at[0] ?? -1] ?? '';
  const secretAccessKey = record[at[1] ?? -1] ?? '';
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
export async function importAwsAccessKeyCsv(text: string | Uint8Array, secrets: SecretStore): Promise<{ accessKeyIdMasked: string }> {
  const key = parseAwsAccessKeyCsv(text);
  await secrets.set('aws-access-key-id', key.accessKeyId);
  await secrets.set('aws-secret-access-key', key.secretAccessKey);
  await secrets.delete('aws-session-token');
  return { accessKeyIdMasked: `${key.accessKeyId.slice(0, 4)}…${key.accessKeyId.slice(-4)}` };
}
