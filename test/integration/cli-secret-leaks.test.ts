import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAtelier } from '../support/run-cli';
import { filesWithSecretRuns, secretRunsIn } from '../support/secret-runs';
import { keychainEntries } from '../support/secret-tool';
import { ANY_PROVIDER, writeSettings } from '../support/settings-file';
import { tempDir } from '../support/temp-dir';

/** 33 characters, like the key in the issue; the server echoes 27 of them. */
const ENDPOINT_KEY = 'sk-echo-fakeProxyKey0123456789abc';
const AWS_ID = 'AKIAFAKEFAKEFAKE0001';
const AWS_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

/**
 * A misbehaving OpenAI-compatible server: it refuses every request and quotes most of the key
 * it was sent (all but the "sk-" and the last three characters), as some proxies do.
 */
let echoServer: http.Server;
let echoUrl = '';
beforeAll(async () => {
  echoServer = http.createServer((request, response) => {
    const key = (request.headers.authorization ?? '').replace(/^Bearer /, '');
    response.writeHead(401, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ error: { message: `Incorrect API key provided: ${key.slice(3, 30)}. Check your proxy settings.`, type: 'invalid_request_error', code: 'invalid_api_key' } }));
  });
  await new Promise<void>((done) => echoServer.listen(0, '127.0.0.1', done));
  echoUrl = `http://127.0.0.1:${(echoServer.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((done) => echoServer.close(() => done())));

async function setup() {
  const home = await tempDir();
  await writeSettings(home, ANY_PROVIDER);
  const service = `Atelier-test-${randomUUID()}`;
  const base = { ATELIER_HOME: home, ATELIER_KEYCHAIN_SERVICE: service };
  const atelier = (argv: string[], options: { stdin?: string; env?: Record<string, string | undefined> } = {}) =>
    runAtelier(argv, { env: { ...base, ...options.env }, ...(options.stdin !== undefined && { stdin: options.stdin }) });
  return { home, service, atelier };
}

describe('no piece of a secret in what a provider sends back', () => {
  it.each([
    ['a chat', ['chat', '-m', 'echo/some-model', 'hallo']],
    ['a connection test', ['auth', 'test', 'echo']],
    ['a connection test, as JSON', ['auth', 'test', 'echo', '--json']],
    ['the model list', ['models']],
    ['the model list, as JSON', ['models', '--json']],
  ])('%s: the 27 characters the server echoes are scrubbed', async (_what, argv) => {
    const { home, atelier } = await setup();
    await writeSettings(home, { endpoints: [{ prefix: 'echo', name: 'Echo proxy', baseUrl: `${echoUrl}/v1` }] });
    const result = await atelier(argv, { env: { ATELIER_ENDPOINT_ECHO_KEY: ENDPOINT_KEY } });
    const output = result.stdout + result.stderr;
    expect(output).toMatch(/did not accept the API key|auth_invalid/);
    expect(secretRunsIn(output, [ENDPOINT_KEY])).toEqual([]);
    expect(await filesWithSecretRuns(home, [ENDPOINT_KEY])).toEqual([]);
  });

  it('the CLI’s last error printer scrubs keys set in the environment', async () => {
    const { atelier } = await setup();
    const piece = AWS_SECRET.slice(0, 13).toLowerCase();
    const result = await atelier(['endpoints', 'remove', piece], { env: { AWS_SECRET_ACCESS_KEY: AWS_SECRET.toLowerCase() } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('There is no endpoint');
    expect(secretRunsIn(result.stderr + result.stdout, [AWS_SECRET.toLowerCase()])).toEqual([]);
  });
});

describe('atelier auth import-aws-csv never echoes the file', () => {
  async function importing(content: string | Buffer) {
    const { home, service, atelier } = await setup();
    const file = path.join(home, 'accessKeys.csv');
    await fs.writeFile(file, content);
    const result = await atelier(['auth', 'import-aws-csv', file]);
    expect(result.code).toBe(2);
    expect(secretRunsIn(result.stdout + result.stderr, [AWS_SECRET, AWS_ID])).toEqual([]);
    expect(await keychainEntries(service)).toEqual([]);
    return result;
  }

  it('a quote inside the secret: named by line and column, in Atelier’s words', async () => {
    const result = await importing(`Access key ID,Secret access key\r\n${AWS_ID},${AWS_SECRET.slice(0, 23)}"${AWS_SECRET.slice(23)}\r\n`);
    expect(result.stderr).toContain('not a readable CSV: it has a quote mark in the middle of a field on line 2, column 2');
    expect(result.stderr).not.toMatch(/Invalid Opening Quote|value is/);
  });

  it('binary junk: "not a text/CSV file", none of its bytes', async () => {
    const result = await importing(Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x1b, 0x5b, 0x33, 0x31, 0x6d]), Buffer.from(`${AWS_ID},${AWS_SECRET}`), Buffer.from([0xff, 0xfe, 0x00])]));
    expect(result.stderr).toContain('This is not a text/CSV file');
    // eslint-disable-next-line no-control-regex -- no byte of the file may come back
    expect(result.stderr).not.toMatch(/[\u0000-\u0008\u000E-\u001F\u007F\uFFFD]/);
  });

  it('a file without its header line: the key is not echoed as column names', async () => {
    const result = await importing(`${AWS_ID},${AWS_SECRET}\n`);
    expect(result.stderr).toContain('no header line');
  });
});

describe('atelier auth set refuses what cannot be a key, without echoing it', () => {
  it.each([
    ['a 1 MB value', `sk-${'a'.repeat(1024 * 1024)}`, /too long for a key[\s\S]*Hint: .*A key is one line/],
    ['control characters', `sk-ant-\u001b[2Jkey0123456789`, /characters a key never has/],
    ['binary junk', `sk-\u0000\u0001\uFFFDkey0123456789`, /characters a key never has/],
    ['a 5-character value', 'sk-ab', /is 5 characters long, too short for a key \(at least 8\)/],
    ['a 7-character value', 'abcdefg', /too short for a key/],
  ])('%s', async (_what, value, message) => {
    const { service, atelier } = await setup();
    const result = await atelier(['auth', 'set', 'openai'], { stdin: value });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.length).toBeLessThan(1000);
    expect(secretRunsIn(result.stdout + result.stderr, [value])).toEqual([]);
    expect(await keychainEntries(service)).toEqual([]);
  });
});

describe('atelier auth set with the halves of an AWS key pair swapped', () => {
  it.each([
    ['aws-access-key-id', AWS_SECRET, /looks like a secret access key, not an access key ID: were the two swapped\?/],
    ['aws-access-key-id', 'wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY12', /looks like a secret access key/],
    ['aws-access-key-id', 'AKIA-NOT-AN-ID-0001', /is not an access key ID/],
    ['aws-secret-access-key', AWS_ID, /looks like an access key ID \(AKIA… or ASIA…\), not the secret access key: were they swapped\?/],
    ['aws-session-token', AWS_ID, /looks like an access key ID .*not a session token/],
  ])('auth set %s is refused, saying which is which, nothing saved', async (name, value, message) => {
    const { service, atelier } = await setup();
    const result = await atelier(['auth', 'set', name], { stdin: value });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toContain('upper-case letters and digits starting with AKIA');
    expect(secretRunsIn(result.stdout + result.stderr, [value])).toEqual([]);
    expect(await keychainEntries(service)).toEqual([]);
  });

  it('the right halves under the right names are taken', async () => {
    const { service, atelier } = await setup();
    expect(await atelier(['auth', 'set', 'aws-access-key-id'], { stdin: AWS_ID })).toMatchObject({ code: 0 });
    expect(await atelier(['auth', 'set', 'aws-secret-access-key'], { stdin: AWS_SECRET })).toMatchObject({ code: 0 });
    expect((await keychainEntries(service)).map((entry) => entry.account).sort()).toEqual(['aws-access-key-id', 'aws-secret-access-key']);
  });
});

describe('credentials in an endpoint URL', () => {
  it.each([
    'http://teacher:Hunter2pw@proxy.example/v1',
    'http://tokenTok3nTok3n@proxy.example/v1',
    'https://proxy.example/v1?api_key=s3cretValue42',
    'https://proxy.example/v1?key=s3cretValue42',
    // In a fragment, a path segment shaped like a key, a matrix parameter named like one.
    'http://proxy.example/v1#token=sk-proj-s3cretValue42',
    'http://proxy.example/sk-proj-s3cretValue42/v1',
    'http://proxy.example/v1;api_key=s3cretValue42',
  ])(
    'are refused, with a hint to use the keychain: %s',
    async (url) => {
      const { home, atelier } = await setup();
      const result = await atelier(['endpoints', 'add', 'school', url]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('atelier auth set endpoint:school');
      expect(result.stdout + result.stderr).not.toMatch(/Hunter2pw|tokenTok3n|s3cretValue42/);
      expect(await filesWithSecretRuns(home, ['Hunter2pw', 'tokenTok3nTok3n', 's3cretValue42'])).toEqual([]);
      expect((await atelier(['endpoints', 'list', '--json'])).stdout).toBe('[]\n');
    },
  );

  it('a settings file that still holds them shows none of them in the listing', async () => {
    const { home, atelier } = await setup();
    const file = path.join(home, 'settings.json');
    const settings = JSON.parse(await fs.readFile(file, 'utf8')) as Record<string, unknown>;
    await fs.writeFile(file, JSON.stringify({ ...settings, endpoints: [{ prefix: 'old', name: 'Old', baseUrl: 'http://teacher:Hunter2pw@proxy.example/v1' }] }));
    for (const argv of [['endpoints', 'list'], ['endpoints', 'list', '--json']]) {
      const listed = await atelier(argv);
      expect(listed.code).toBe(0);
      expect(listed.stdout).not.toContain('Hunter2pw');
    }
  });
});

describe('atelier endpoints add', () => {
  it('over an existing prefix is refused unless --replace; the keychain is named for the key', async () => {
    const { atelier } = await setup();
    const added = await atelier(['endpoints', 'add', 'school', 'https://one.example/v1']);
    expect(added).toMatchObject({ code: 0 });
    expect(added.stdout).toContain('Added school');
    expect(added.stdout).toContain('atelier auth set endpoint:school');

    const again = await atelier(['endpoints', 'add', 'school', 'https://two.example/v1']);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('There is already an endpoint "school"');
    expect(again.stderr).toMatch(/--replace|endpoints remove school/);
    expect((await atelier(['endpoints', 'list'])).stdout).toContain('https://one.example/v1');

    const replaced = await atelier(['endpoints', 'add', 'school', 'https://two.example/v1', '--replace']);
    expect(replaced).toMatchObject({ code: 0 });
    expect(replaced.stdout).toContain('Replaced school');
    const listed = await atelier(['endpoints', 'list', '--json']);
    expect(JSON.parse(listed.stdout)).toEqual([{ prefix: 'school', name: 'school', baseUrl: 'https://two.example/v1' }]);
  });
});
