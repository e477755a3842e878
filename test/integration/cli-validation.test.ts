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
    ['ollama.host', 'http://h:11434/path?q=1'],
    ['ollama.host', 'http://h:11434/#frag'],
    ['ollama.host', 'h:11434?token=x'],
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

  it('a model id with two broken rules says so once', async () => {
    const result = await runAtelier(['config', 'set', 'roles.fast', 'local/'], { env: { ATELIER_HOME: await tempDir() } });
    expect(result.code).toBe(2);
    expect(result.stderr.split('use a model id such as')).toHaveLength(2);
    expect(result.stderr.split('roles.fast')).toHaveLength(3); // the message and the hint, once each
  });

  it.each([
    ['ollama.keepAlive', '-1', '-1'],
    ['ollama.keepAlive', '0', '0'],
    ['ollama.keepAlive', '5m', '5m'],
    ['ollama.numCtx', '16384', '16384'],
    ['ollama.numCtx', 'null', 'auto'],
    ['hardware.vramOverrideGb', '8', '8'],
    ['hardware.vramOverrideGb', '7.5', '7.5'],
    ['hardware.vramOverrideGb', 'null', '(not set)'],
    ['ollama.host', 'null', '(not set)'],
    ['chat.firstRunCompleted', 'true', 'true'],
    ['bedrock.profile', '2024', '2024'],
  ])('config set %s %s is taken as the setting wants it', async (key, value, shown) => {
    const env = { ATELIER_HOME: await tempDir() };
    const result = await runAtelier(['config', 'set', key, value], { env });
    expect(result, result.stderr).toMatchObject({ code: 0, stdout: `${key} = ${shown}\n` });
    expect((await runAtelier(['config', 'get', key], { env })).stdout).toBe(`${shown}\n`);
    const json = JSON.parse((await runAtelier(['config', 'get', key, '--json'], { env })).stdout) as unknown;
    expect(typeof json).toBe(value === 'null' ? 'object' : key === 'ollama.keepAlive' || key === 'bedrock.profile' ? 'string' : typeof JSON.parse(value));
  });

  it.each([
    ['ollama.numCtx', '100', /ollama\.numCtx: .*512/],
    ['ollama.numCtx', 'many', /"many" is not a valid value for ollama\.numCtx: use a number of tokens from 512 to 1048576 \(such as 16384\), or auto\./],
    ['ollama.numCtx', '8192.5', /ollama\.numCtx: use a whole number of tokens/],
    ['ollama.numCtx', '2000000', /ollama\.numCtx: at most 1048576 tokens \(or auto\)/],
    ['ollama.keepAlive', 'forever', /use a duration such as 5m, 1h, 0 or -1/],
  ])('config set %s %s is refused, saying why', async (key, value, why) => {
    const result = await runAtelier(['config', 'set', key, value], { env: { ATELIER_HOME: await tempDir() } });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(why);
  });

  it('a model id for a provider that is neither built in nor an added endpoint is refused, naming the providers', async () => {
    const env = { ATELIER_HOME: await tempDir() };
    for (const key of ['roles.fast', 'roles.extreme', 'chat.model']) {
      const result = await runAtelier(['config', 'set', key, 'nosuch/x'], { env });
      expect(result.code, key).toBe(2);
      expect(result.stderr).toContain(`Error: "nosuch/x" is not a valid value for ${key}: there is no provider "nosuch".`);
      expect(result.stderr).toContain('Hint: Providers: local, bedrock, anthropic, openai, openrouter.');
      expect((await runAtelier(['config', 'get', key], { env })).stdout).toBe('(not set)\n');
    }
    expect(await runAtelier(['endpoints', 'add', 'school', 'https://llm.school.example/v1'], { env })).toMatchObject({ code: 0 });
    expect(await runAtelier(['config', 'set', 'roles.fast', 'school/llama-3.1-70b'], { env })).toMatchObject({ code: 0, stdout: 'roles.fast = school/llama-3.1-70b\n' });
    expect((await runAtelier(['config', 'set', 'chat.model', 'nosuch/x'], { env })).stderr).toContain('Providers: local, bedrock, anthropic, openai, openrouter, school.');
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
