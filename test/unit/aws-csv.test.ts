import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAwsAccessKeyCsv } from '../../electron/core/secrets/aws-csv';
import { secretRunsIn } from '../support/secret-runs';

const fixture = (name: string) => fs.readFileSync(path.resolve(import.meta.dirname, '../fixtures/aws', name), 'utf8');

describe('parseAwsAccessKeyCsv', () => {
  it('reads the console’s access-key CSV (CRLF, no BOM)', () => {
    expect(parseAwsAccessKeyCsv(fixture('accessKeys.csv'))).toEqual({
      accessKeyId: 'AKIAFAKEFAKEFAKE0001',
      secretAccessKey: 'fakeSecretAccessKey/0123456789abcdefghij',
    });
  });

  it('reads the layout with user name, password and console link, with a UTF-8 BOM and quotes', () => {
    expect(parseAwsAccessKeyCsv(fixture('credentials-with-user.csv'))).toEqual({
      accessKeyId: 'AKIAFAKEFAKEFAKE0002',
      secretAccessKey: 'fakeSecretAccessKey+0123456789abcdefghij',
    });
  });

  it.each([
    ['an empty file', '', /no access key in it/],
    ['only a header', 'Access key ID,Secret access key\n', /no access key in it/],
    ['other columns', 'Name,Key\nx,y\n', /no "Access key ID" and "Secret access key" columns \(its columns: name, key\)/],
    ['two keys', 'Access key ID,Secret access key\nAKIAFAKEFAKEFAKE0001,fakeSecretAccessKey/0123456789abcdefghij\nAKIAFAKEFAKEFAKE0003,fakeSecretAccessKey/0123456789abcdefghij\n', /holds 2 access keys/],
    ['a temporary key', 'Access key ID,Secret access key\nASIAFAKEFAKEFAKE0001,fakeSecretAccessKey/0123456789abcdefghij\n', /temporary access key/],
    ['a mangled key id', 'Access key ID,Secret access key\nAKIA123,fakeSecretAccessKey/0123456789abcdefghij\n', /access key ID in the CSV is not valid/],
    ['a cut-off secret', 'Access key ID,Secret access key\nAKIAFAKEFAKEFAKE0001,tooShort\n', /secret access key in the CSV is not valid/],
    ['a broken quote', 'Access key ID,Secret access key\n"AKIA,x\n', /not a readable CSV: it has a quote mark that is never closed on line 2/],
  ])('names the problem with %s', (_what, text, message) => {
    expect(() => parseAwsAccessKeyCsv(text)).toThrow(message);
  });

  it('never puts the secret into an error message', () => {
    const secret = 'fakeSecretAccessKey/0123456789abcdefghij';
    try {
      parseAwsAccessKeyCsv(`Access key ID,Secret access key\nAKIA123,${secret}\n`);
    } catch (error) {
      expect(JSON.stringify({ message: (error as Error).message, hint: (error as { hint?: string }).hint })).not.toContain(secret);
    }
  });

  /** The message and hint of what parsing `input` throws. */
  function refusal(input: string | Uint8Array): string {
    try {
      parseAwsAccessKeyCsv(input);
    } catch (error) {
      return `${(error as Error).message}\n${(error as { hint?: string }).hint ?? ''}`;
    }
    throw new Error('the CSV was accepted');
  }

  const ID = 'AKIAFAKEFAKEFAKE0001';
  const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

  it('names a quote in the middle of a field by line and column, without quoting the field', () => {
    const text = `Access key ID,Secret access key\n${ID},${SECRET.slice(0, 23)}"${SECRET.slice(23)}\n`;
    const message = refusal(text);
    expect(message).toMatch(/not a readable CSV: it has a quote mark in the middle of a field on line 2, column 2/);
    expect(secretRunsIn(message, [SECRET, ID])).toEqual([]);
  });

  it.each([
    ['text right after a closing quote', `Access key ID,Secret access key\n${ID},"${SECRET.slice(0, 20)}"${SECRET.slice(20)}\n`],
    ['an unclosed quote', `Access key ID,Secret access key\n${ID},"${SECRET}\n`],
  ])('never quotes the file for %s', (_what, text) => {
    expect(secretRunsIn(refusal(text), [SECRET, ID])).toEqual([]);
  });

  it.each([
    ['NUL bytes', Buffer.concat([Buffer.from(`Access key ID,Secret access key\n${ID},`), Buffer.from([0, 0, 1, 2]), Buffer.from(SECRET)])],
    ['invalid UTF-8', Buffer.concat([Buffer.from(`${ID},${SECRET}`), Buffer.from([0xff, 0xfe, 0xc3, 0x28])])],
    ['a PNG image', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52])],
    ['text with an escape sequence', `Access key ID,Secret access key\n\u001b[31m${ID},${SECRET}\n`],
    ['text that was binary before it was decoded', `${ID},${SECRET}\uFFFD\uFFFD`],
  ])('calls %s not a text/CSV file, and echoes none of it', (_what, input) => {
    const message = refusal(input);
    expect(message).toContain('This is not a text/CSV file');
    expect(secretRunsIn(message, [SECRET, ID])).toEqual([]);
    // eslint-disable-next-line no-control-regex -- no byte of the file may come back
    expect(message).not.toMatch(/[\u0000-\u0008\u000E-\u001F\u007F\uFFFD]|PNG/);
  });

  it('reads the bytes of a file, with a byte-order mark', () => {
    expect(parseAwsAccessKeyCsv(Buffer.from(`\uFEFFAccess key ID,Secret access key\r\n${ID},${SECRET}\r\n`))).toEqual({ accessKeyId: ID, secretAccessKey: SECRET });
  });

  it('refuses a file far too large for an access key, without reading it as one', () => {
    expect(refusal(Buffer.alloc(200_000, 'a'))).toMatch(/too large to be an access key CSV/);
  });

  it('a file without a header line: the key is not echoed as column names', () => {
    for (const text of [`${ID},${SECRET}\n`, `${SECRET},${ID}\n`, `teacher,Sommer2024!xyz,${ID},${SECRET}\n`]) {
      const message = refusal(text);
      expect(message).toMatch(/no header line|no "Access key ID" and "Secret access key" columns/);
      expect(secretRunsIn(message, [SECRET, ID, 'Sommer2024!xyz'])).toEqual([]);
    }
  });

  it('echoes only column names that look like column names', () => {
    const message = refusal('User name,correct horse battery staple,Pass#word 99,Console login link\nteacher,x,y,z\n');
    expect(message).toContain('(its columns: user name, console login link, 2 others not shown)');
    expect(message).not.toMatch(/horse|Pass#word/i);
  });
});
