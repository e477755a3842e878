// Code blocks in the built renderer, in Chromium, under the app's CSP: the Markdown renderer and
// highlight.js languages outside the common set are chunks of their own (same-origin script files),
// loaded when needed. A chunk the CSP refused would show as a console error in pageErrors.
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProbeResults } from '../../electron/core/hardware/interpret-hardware';
import { FAKE_MODELS, useProviderFakes } from '../support/provider-fakes';
import { seedConversations } from '../support/seed-conversations';
import { writeSettings } from '../support/settings-file';
import { tempDir } from '../support/temp-dir';
import { launchApp, type RunningApp } from './harness/launch-app';

const useFakes = useProviderFakes();
let app: RunningApp | undefined;

afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function noGpu(): Promise<ProbeResults> {
  return JSON.parse(await fs.readFile(path.resolve(import.meta.dirname, '../fixtures/hardware/no-gpu-linux.json'), 'utf8')) as ProbeResults;
}

const answer = [
  'In Python:',
  '',
  '```python',
  'def total(items):',
  '    return sum(items)',
  '```',
  '',
  'In Rust:',
  '',
  '```rs',
  'fn total(items: &[i32]) -> i32 {',
  '    items.iter().sum()',
  '}',
  '```',
  '',
  'In something else:',
  '',
  '```no-such-language',
  '<script>window.__ran = true</script>',
  '```',
].join('\n');

describe('code blocks', () => {
  it('highlight a common language and, once its chunk is in, a lazily loaded one; an unknown one stays plain', async () => {
    const dataDir = await tempDir();
    seedConversations(dataDir, [
      {
        title: 'Summen',
        messages: [
          { role: 'user', text: 'Wie summiere ich eine Liste?' },
          { role: 'assistant', text: answer },
        ],
      },
    ]);
    await writeSettings(dataDir, { privacy: { tier: 'dsgvo_local' }, chat: { firstRunCompleted: true, model: FAKE_MODELS.local } });
    app = await launchApp(dataDir, { env: useFakes().env, probe: noGpu });
    const { page } = app;
    const scripts: string[] = [];
    page.on('request', (request) => {
      if (request.resourceType() === 'script') scripts.push(new URL(request.url()).pathname);
    });
    await page.getByRole('navigation', { name: 'Conversations' }).getByRole('button', { name: 'Summen', exact: true }).click();

    const blocks = page.getByRole('article', { name: `Answer from ${FAKE_MODELS.local}` }).locator('.code-block');
    await expect.poll(() => blocks.count()).toBe(3);
    const [python, rust, unknown] = [blocks.nth(0), blocks.nth(1), blocks.nth(2)];
    expect(await python.locator('.hljs-keyword').first().innerText()).toBe('def');
    expect(await rust.locator('.hljs-keyword').first().innerText()).toBe('fn');
    expect(await rust.locator('code').innerText()).toContain('items.iter().sum()');
    expect(await unknown.locator('code').innerText()).toContain('<script>window.__ran = true</script>');
    expect(await unknown.locator('code [class^="hljs-"]').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __ran?: boolean }).__ran)).toBeUndefined();

    // Rust came as a chunk of its own, from the app's own origin.
    expect(scripts.some((file) => /\/assets\/rust-[\w-]+\.js$/.test(file))).toBe(true);
    expect(app.pageErrors).toEqual([]);
  });
});
