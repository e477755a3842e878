import { describe, expect, it } from 'vitest';
import { createOllamaFake } from '../fakes/ollama-fake';
import { runAtelier } from '../support/run-cli';
import { FAKE_MODELS, useProviderFakes } from '../support/provider-fakes';
import { seedConversations } from '../support/seed-conversations';
import { anyProviderHome } from '../support/settings-file';

const useFakes = useProviderFakes();

/** ESC, BEL, CSI and the C1 controls: none of them may reach a terminal from text Atelier prints. */
// eslint-disable-next-line no-control-regex -- these are exactly the characters looked for
const TERMINAL_CONTROLS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/;

describe('terminal escape sequences in a model’s answer (atelier chat)', () => {
  it('are dropped from the streamed text, even split across deltas; --json keeps the text as it came', async () => {
    const env = { ...useFakes().env, ATELIER_HOME: await anyProviderHome() };
    const chunks = [
      'Hi ',
      '\u001b]0;pwned', // an OSC window title, its BEL in the next delta
      '\u0007there \u001b[3',
      '1mred\u001b[0m', // colours, the CSI split across deltas
      ' \u001b]52;c;cm0gLXJmIH4=\u001b\\', // OSC 52: write the clipboard, ended by ST
      '\u009b2Jdone\r\n', // a C1 CSI (clear screen), a carriage return
    ];
    for (const fake of [useFakes().ollama, useFakes().openai]) fake.respondWith({ kind: 'answer', chunks });
    for (const model of [FAKE_MODELS.local, FAKE_MODELS.openai]) {
      const result = await runAtelier(['chat', '-m', model, 'Hallo'], { env });
      expect(result, model).toEqual({ code: 0, stdout: 'Hi there red done\n', stderr: '' });
    }
    useFakes().ollama.respondWith({ kind: 'answer', chunks });
    const json = await runAtelier(['chat', '--json', '-m', FAKE_MODELS.local, 'Hallo'], { env });
    expect((JSON.parse(json.stdout) as { text: string }).text).toBe(chunks.join(''));
  });
});

describe('terminal escape sequences in saved conversations', () => {
  async function seeded(): Promise<Record<string, string>> {
    const dir = await anyProviderHome();
    seedConversations(dir, [
      {
        title: 'Igel\u001b]0;owned\u0007 \u001b[2Jim\r\nWinter',
        messages: [
          { role: 'user', text: 'Wo schlafen Igel im Winter?' },
          { role: 'assistant', text: 'Im Laub\u001b]52;c;cm0gLXJmIH4=\u0007 unter \u001b[31mHecken\u001b[0m, im Winter.' },
        ],
      },
    ]);
    return { ATELIER_HOME: dir };
  }

  it('conversations list shows the title without them, on one line', async () => {
    const result = await runAtelier(['conversations', 'list'], { env: await seeded() });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Igel im Winter');
    expect(result.stdout).not.toMatch(TERMINAL_CONTROLS);
    expect(result.stdout.trimEnd().split('\n')).toHaveLength(1);
  });

  it('conversations search: title and snippet without them; --json marks matches with «» too', async () => {
    const env = await seeded();
    const result = await runAtelier(['conversations', 'search', 'Laub'], { env });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Igel im Winter');
    expect(result.stdout).toContain('«Laub»');
    expect(result.stdout).not.toMatch(TERMINAL_CONTROLS);

    const json = await runAtelier(['conversations', 'search', 'Laub', '--json'], { env });
    expect(json.code).toBe(0);
    const [hit] = JSON.parse(json.stdout) as { snippet: string }[];
    expect(hit?.snippet).toContain('«Laub»');
    expect(hit?.snippet).not.toContain('\u0002');
    expect(hit?.snippet).not.toContain('\u0003');
  });

  it('conversations export (Markdown): title and text without them; the JSON export keeps every character', async () => {
    const env = await seeded();
    const markdown = await runAtelier(['conversations', 'export', '1'], { env });
    expect(markdown.code).toBe(0);
    expect(markdown.stdout).toMatch(/^# Igel im Winter\n/);
    expect(markdown.stdout).toContain('Im Laub unter Hecken, im Winter.');
    expect(markdown.stdout).not.toMatch(TERMINAL_CONTROLS);

    const json = await runAtelier(['conversations', 'export', '1', '--format', 'json'], { env });
    expect((JSON.parse(json.stdout) as { conversation: { title: string } }).conversation.title).toContain('\u001b]0;owned\u0007');

    const written = await runAtelier(['conversations', 'export', '1', 'igel.md'], { env });
    expect(written.code).toBe(0);
    expect(written.stdout).toContain('Wrote “Igel im Winter”');
  });
});

describe('commander’s own errors quote what was typed', () => {
  it.each([
    ['an unknown command', ['\u001b]0;owned\u0007oops\u001b[2J']],
    ['an option value', ['chat', '-m', 'local/x', '--max-tokens', '\u001b[2J', 'Hallo']],
    ['an argument', ['conversations', 'export', 'abc\u001b]0;x\u0007']],
    ['a C1 control', ['conversations', 'export', '\u009b2J']],
  ])('%s: shown, never run', async (_name, argv) => {
    const result = await runAtelier(argv, { env: { ATELIER_HOME: await anyProviderHome() } });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: /);
    expect(result.stderr).toContain('\uFFFD');
    expect(result.stderr).not.toMatch(TERMINAL_CONTROLS);
  });

  it('a 10,000-character unknown command is cut to its start and its length', async () => {
    const result = await runAtelier(['x'.repeat(10_000)], { env: { ATELIER_HOME: await anyProviderHome() } });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/x… \(\d{5} characters\)/);
    expect(result.stderr.length).toBeLessThan(1000);
  });

  it('help stays as it was', async () => {
    const result = await runAtelier(['conversations', '--help'], { env: { ATELIER_HOME: await anyProviderHome() } });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: atelier conversations [options] [command]');
    expect(result.stdout).not.toContain('\uFFFD');
  });

  it('model names from a server are shown, never run, in models and ollama list', async () => {
    const fake = await createOllamaFake({ models: ['evil\u001b]0;pwned\u0007:latest', 'llama3.2:3b'] }).start();
    try {
      const env = { ...useFakes().env, OLLAMA_HOST: fake.url, ATELIER_HOME: await anyProviderHome() };
      for (const argv of [['models'], ['ollama', 'list']]) {
        const result = await runAtelier(argv, { env });
        expect(result.stdout, argv.join(' ')).toContain('llama3.2:3b');
        expect(result.stdout, argv.join(' ')).not.toMatch(TERMINAL_CONTROLS);
      }
    } finally {
      await fake.close();
    }
  });
});
