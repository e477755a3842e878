import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { redactSecrets } from '../../electron/core/providers/provider-errors';
import { environmentSecrets, scrubPayload, scrubSecrets } from '../../electron/core/secrets/scrub';
import { longestSecretRun, secretRunsIn } from '../support/secret-runs';

const KEY = 'sk-school-fakeProxyKey0123456789'; // 33 characters
const AWS_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

describe('scrubSecrets', () => {
  it('removes a key a server echoes in part (27 of its 33 characters)', () => {
    const echoed = `Invalid key ${KEY.slice(3, 30)} for this project`;
    expect(longestSecretRun(echoed, KEY)).toHaveLength(27);
    const scrubbed = scrubSecrets(echoed, [KEY]);
    expect(secretRunsIn(scrubbed, [KEY])).toEqual([]);
    expect(scrubbed).toBe('Invalid key [redacted] for this project');
  });

  it('removes the start of an AWS secret key that a parser quoted', () => {
    const scrubbed = scrubSecrets('Invalid Opening Quote: value is "wJalrXUtnFEMI/K7MDENG/b"', [AWS_SECRET]);
    expect(secretRunsIn(scrubbed, [AWS_SECRET])).toEqual([]);
    expect(scrubbed).toContain('Invalid Opening Quote');
  });

  it('leaves no piece of 8 or more characters of any secret, wherever it sits in the text', () => {
    const secret = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/+=-_'), minLength: 8, maxLength: 60 });
    fc.assert(
      fc.property(fc.array(secret, { minLength: 1, maxLength: 3 }), fc.string({ maxLength: 40 }), fc.string({ maxLength: 40 }), fc.nat(), fc.nat(), (secrets, before, after, from, length) => {
        const source = secrets[from % secrets.length] ?? '';
        const start = from % source.length;
        const piece = source.slice(start, start + 8 + (length % 60));
        const scrubbed = scrubSecrets(`${before}${piece}${after}${piece.toUpperCase()}`, secrets);
        expect(secretRunsIn(scrubbed, secrets)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps text that shares less than 8 characters with a secret', () => {
    expect(scrubSecrets('The project sk-scho was refused (code 0123456).', [KEY])).toBe('The project sk-scho was refused (code 0123456).');
  });

  it('keeps a provider’s name that a test key happens to contain, but not a longer piece around it', () => {
    const key = 'sk-ant-api03-fakeAnthropicKey0123456789';
    expect(scrubSecrets('Anthropic did not accept anthropic.claude-haiku', [key])).toBe('Anthropic did not accept anthropic.claude-haiku');
    expect(scrubSecrets('bad key fakeAnthropicKey', [key])).toBe('bad key [redacted]');
  });

  it('finds a secret URL-encoded or JSON-escaped', () => {
    const url = scrubSecrets(`GET /v1?key=${encodeURIComponent(AWS_SECRET).slice(0, 30)}`, [AWS_SECRET]);
    const json = scrubSecrets(JSON.stringify({ key: 'K7MDENG/bPxRfiCY' }).replaceAll('/', '\\/'), [AWS_SECRET]);
    expect(url).not.toContain('K7MDENG');
    expect(json).not.toContain('K7MDENG');
  });

  it('still removes what is shaped like a key, and credentials in URLs, with no secret known', () => {
    const text = 'key sk-ant-api03-somethingElse1234 id AKIAIOSFODNN7EXAMPLE at http://teacher:hunter2@proxy.example/v1 or https://h.example/v1?api_key=abc123&v=1';
    const scrubbed = scrubSecrets(text);
    for (const leaked of ['somethingElse', 'AKIAIOSFODNN7', 'hunter2', 'teacher', 'abc123']) expect(scrubbed).not.toContain(leaked);
    expect(scrubbed).toContain('proxy.example/v1');
    expect(scrubbed).toContain('v=1');
  });

  it('replaces control characters, so no escape sequence reaches a terminal', () => {
    expect(scrubSecrets('bad \u001b[31mred\u001b[0m\u0007 text\nnext')).toBe('bad \uFFFD[31mred\uFFFD[0m\uFFFD text\nnext');
  });

  it('scrubs an error payload’s message and hint, keeping its code', () => {
    expect(scrubPayload({ code: 'auth_invalid', message: `no ${KEY.slice(0, 12)}`, hint: `use ${KEY.slice(-10)}` }, [KEY])).toEqual({
      code: 'auth_invalid',
      message: 'no [redacted]',
      hint: 'use [redacted]',
    });
  });

  it('is what provider errors use: the partial echo is gone from what a provider said', () => {
    expect(redactSecrets(`key ${KEY.slice(2, 29)} is wrong`, [KEY])).toBe('key [redacted] is wrong');
  });
});

describe('environmentSecrets', () => {
  it('takes the values of the variables that hold keys, and no others', () => {
    expect(
      environmentSecrets({
        ANTHROPIC_API_KEY: ' sk-ant-1 ',
        OPENAI_API_KEY: 'sk-openai',
        OPENROUTER_API_KEY: 'sk-or',
        AWS_SECRET_ACCESS_KEY: 'aws-secret',
        AWS_SESSION_TOKEN: 'aws-token',
        AWS_BEARER_TOKEN_BEDROCK: 'bedrock-token',
        ATELIER_ENDPOINT_SCHOOL_PROXY_KEY: 'school-key',
        AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
        HOME: '/home/teacher',
        EMPTY_KEY: '',
        OPENAI_BASE_URL: 'https://api.openai.com/v1',
      }).sort(),
    ).toEqual(['aws-secret', 'aws-token', 'bedrock-token', 'school-key', 'sk-ant-1', 'sk-openai', 'sk-or'].sort());
  });
});
