import { describe, expect, it } from 'vitest';
import { FAKE_MODELS, useProviderFakes } from '../support/provider-fakes';
import { runAtelier } from '../support/run-cli';
import { tempDir } from '../support/temp-dir';

const useFakes = useProviderFakes();

describe('values are checked before they are taken', () => {
  it.each([
    ['ollama.host', 'ftp://x'],
    ['ollama.host', 'javascript:alert(1)'],
    ['ollama.host', 'not a url'],
    ['ollama.host', 'http://127.0.0.1:99999'],
    ['ollama.host', ':'],
    ['chat.model', 'nope'],
    ['chat.model', 'local/'],
    ['chat.model', 'local/llama3.2 3b'],
    ['roles.fast', 'local/'],
    ['roles.advanced', '/llama3.2:3b'],
    ['roles.extreme', `local/${'x'.repeat(400)}`],
  ])('config set %s %s is refused with what a valid value looks like, and nothing changes', async (key, value) => {
    const env = { ATELIER_HOME: await tempDir() };
    const result = await runAtelier(['config', 'set', key, value], { env });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^Error: .* is not a valid value for /);
    expect(result.stderr).toMatch(/such as |at most 300 characters/);
    expect(result.stderr.length).toBeLessThan(1_000);
    expect((await runAtelier(['config', 'get', key], { env })).stdout).toBe('(not set)\n');
  });

  it.each([
    ['ollama.host', 'http://127.0.0.1:11434'],
    ['ollama.host', 'localhost:11434'],
    ['ollama.host', 'https://gpu.school.lan'],
    ['ollama.host', '[::1]:11434'],
    ['ollama.host', ':11434'],
    ['chat.model', 'openrouter/anthropic/claude-sonnet-4.5'],
    ['roles.fast', 'local/llama3.2:3b'],
  ])('config set %s %s is taken', async (key, value) => {
    const env = { ATELIER_HOME: await tempDir() };
    expect(await runAtelier(['config', 'set', key, value], { env })).toMatchObject({ code: 0 });
  });

  it.each([
    [['-t', '5']],
    [['-t', '-1']],
    [['-t', 'warm']],
    [['--temperature', '']],
    [['--max-tokens', '0']],
    [['--max-tokens', '1.5']],
    [['--max-tokens', '-20']],
    [['--max-tokens', '99999999']],
  ])('chat %j is refused before anything is sent (exit 2)', async (options) => {
    const before = useFakes().ollama.requests.length;
    const result = await runAtelier(['chat', '-m', FAKE_MODELS.local, ...options, 'Hallo'], { env: { ...useFakes().env, ATELIER_HOME: await tempDir() } });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/must be a (number from 0 to 2|whole number from 1 to 1000000)/);
    expect(useFakes().ollama.requests.length).toBe(before);
  });

  it('an OLLAMA_HOST that is no address is said, never quietly taken as this computer', async () => {
    const env = { ...useFakes().env, OLLAMA_HOST: 'ftp://x', ATELIER_HOME: await tempDir() };
    const before = useFakes().ollama.requests.length;
    const chat = await runAtelier(['chat', '--json', '-m', FAKE_MODELS.local, 'Hallo'], { env });
    expect(JSON.parse(chat.stdout)).toMatchObject({ error: { code: 'invalid_request', message: 'OLLAMA_HOST (“ftp://x”) is not an address Atelier can use. Nothing was sent.' } });
    expect((await runAtelier(['ollama', 'list'], { env })).stderr).toContain('OLLAMA_HOST (“ftp://x”) is not an address Atelier can use.');
    expect(useFakes().ollama.requests.length).toBe(before);
  });

  it('a long or hostile model id is echoed shortened and without control characters', async () => {
    const env = { ...useFakes().env, ATELIER_HOME: await tempDir() };
    const long = await runAtelier(['chat', '-m', `nosuch/${'a'.repeat(10_000)}`, 'Hallo'], { env });
    expect(long.code).toBe(2);
    expect(long.stderr.length).toBeLessThan(1_000);
    const escape = await runAtelier(['chat', '-m', 'local\u001b[2J\u001b]0;pwned\u0007/x', 'Hallo'], { env });
    expect(escape.code).toBe(2);
    // eslint-disable-next-line no-control-regex -- the point: none may reach the terminal
    expect(escape.stderr).not.toMatch(/[\u0000-\u0008\u000B-\u001F\u007F]/);
  });
});
