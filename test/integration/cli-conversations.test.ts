import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runAtelier } from '../support/run-cli';
import { seedConversations } from '../support/seed-conversations';
import { tempDir } from '../support/temp-dir';

async function classroom() {
  const home = await tempDir();
  const [hedgehogs, fractions] = seedConversations(home, [
    {
      title: 'Igel',
      messages: [
        { role: 'user', text: 'Wann halten Igel Winterschlaf?' },
        { role: 'assistant', text: 'Von etwa **November bis März**, je nach Wetter.' },
      ],
    },
    { title: 'Bruchrechnung', messages: [{ role: 'user', text: 'Wie kürzt man 12/16?' }] },
  ]);
  return { env: { ATELIER_HOME: home }, home, hedgehogs: hedgehogs ?? 0, fractions: fractions ?? 0 };
}

describe('atelier conversations', () => {
  it('lists, searches (accents ignored) and exports what the app saved', async () => {
    const { env, home, hedgehogs, fractions } = await classroom();

    const list = await runAtelier(['conversations', 'list'], { env });
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(new RegExp(`^ +${fractions}  \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d  Bruchrechnung  \\[local/llama3\\.2:3b\\]\\n +${hedgehogs}  .*  Igel  `));
    const listed = JSON.parse((await runAtelier(['conversations', 'list', '--json'], { env })).stdout) as { id: number; title: string }[];
    expect(listed.map((conversation) => conversation.title)).toEqual(['Bruchrechnung', 'Igel']);

    const search = await runAtelier(['conversations', 'search', 'marz'], { env });
    expect(search.stdout).toBe(`${String(hedgehogs).padStart(5)}  Igel: Von etwa **November bis «März»**, je nach Wetter.\n`);
    expect((await runAtelier(['conversations', 'search', 'Quantenphysik'], { env })).stdout).toBe('Nothing found.\n');

    const markdown = await runAtelier(['conversations', 'export', String(hedgehogs)], { env });
    expect(markdown.stdout).toContain('# Igel');
    expect(markdown.stdout).toContain('Wann halten Igel Winterschlaf?');
    const written = await runAtelier(['conversations', 'export', String(hedgehogs), 'igel.json', '--format', 'json'], { env });
    expect(written.stdout).toBe(`Wrote “Igel” as JSON to ${path.join(home, 'igel.json')}.\n`);
    const json = JSON.parse(await fs.readFile(path.join(home, 'igel.json'), 'utf8')) as unknown;
    expect(json).toMatchObject({ conversation: { title: 'Igel' }, messages: [{ role: 'user' }, { role: 'assistant' }] });
  });

  it('says what is wrong with a bad number, an unknown conversation, a format or a folder', async () => {
    const { env, hedgehogs } = await classroom();
    const bad = await runAtelier(['conversations', 'export', 'zwei'], { env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('a conversation number');
    const unknown = await runAtelier(['conversations', 'export', '999'], { env });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('That conversation does not exist');
    expect((await runAtelier(['conversations', 'export', String(hedgehogs), '--format', 'pdf'], { env })).code).toBe(2);
    const folder = await runAtelier(['conversations', 'export', String(hedgehogs), '/proc/atelier/igel.md'], { env });
    expect(folder.code).toBe(2);
    expect(folder.stderr).toContain('Atelier could not write /proc/atelier/igel.md');
  });

  it('starts empty on a new machine', async () => {
    const env = { ATELIER_HOME: await tempDir() };
    expect((await runAtelier(['conversations', 'list'], { env })).stdout).toBe('No conversations yet.\n');
  });
});
