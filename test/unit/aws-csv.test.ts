import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAwsAccessKeyCsv } from '../../electron/core/secrets/aws-csv';

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
    ['a broken quote', 'Access key ID,Secret access key\n"AKIA,x\n', /not a readable CSV/],
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
});
