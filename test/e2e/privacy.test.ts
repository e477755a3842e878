import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FAKE_MODELS, useProviderFakes } from '../support/provider-fakes';
import { tempDir } from '../support/temp-dir';
import { launchApp, screenshotDir, type RunningApp } from './harness/launch-app';

const useFakes = useProviderFakes();
let app: RunningApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

const PROMPT = 'Vertraulich: Förderplan für Jonas, 3a';

/** Asks through window.atelier, as the chat view will, and waits for the end of the stream. */
const ask = ([model, prompt]: [string, string]) =>
  new Promise<string | null>((resolve) => {
    let streamId = '';
    window.atelier.on('chat:stream-part', (event) => {
      if (event.streamId === streamId && (event.part.type === 'finish' || event.part.type === 'error')) resolve(event.part.type === 'error' ? event.part.code : null);
    });
    void window.atelier.invoke('chat:start-stream', { model, messages: [{ role: 'user', content: prompt }] }).then((started) => {
      if (started.ok) streamId = started.value.streamId;
      else resolve(started.error.code);
    });
  });

describe('privacy in the app', () => {
  it('the tier is chosen in Settings; the Usage view lists where requests went, and exports them', async () => {
    const dataDir = await tempDir();
    app = await launchApp(dataDir, { env: useFakes().env });
    const { page } = app;
    await page.getByRole('button', { name: 'Settings' }).click();
    const privacy = page.getByRole('radiogroup', { name: 'Privacy: where your words may go' });
    expect(await privacy.getByRole('radio', { name: /^Local only \(DSGVO\)/ }).isChecked()).toBe(true);

    expect(await page.evaluate(ask, [FAKE_MODELS.local, PROMPT] as [string, string])).toBeNull();
    const before = useFakes().openai.requests.length;
    expect(await page.evaluate(ask, [FAKE_MODELS.openai, PROMPT] as [string, string])).toBe('policy_denied');
    expect(useFakes().openai.requests.length).toBe(before);

    await privacy.getByRole('radio', { name: /^Any provider/ }).check();
    await expect
      .poll(async () => (JSON.parse(await fs.readFile(path.join(dataDir, 'settings.json'), 'utf8')) as { privacy: { tier: string } }).privacy.tier)
      .toBe('non_dsgvo');
    expect(await page.evaluate(ask, [FAKE_MODELS.openai, PROMPT] as [string, string])).toBeNull();

    await page.getByRole('button', { name: 'Usage' }).click();
    const table = page.getByRole('table', { name: 'Where your words went' });
    await table.waitFor();
    await page.getByText('3 requests recorded').waitFor();
    expect(await table.locator('tbody tr').allInnerTexts()).toEqual([
      expect.stringMatching(/answered\toutside the EU \(127\.0\.0\.1\)\topenai\/gpt-fake-mini/),
      expect.stringMatching(/refused \(not sent\)\toutside the EU \(127\.0\.0\.1\)\topenai\/gpt-fake-mini/),
      expect.stringMatching(/answered\tthis computer \(127\.0\.0\.1\)\tlocal\/llama3\.2:3b/),
    ]);
    await fs.mkdir(screenshotDir, { recursive: true });
    await page.screenshot({ path: path.join(screenshotDir, 'usage-egress.png') });

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export as CSV' }).click();
    const csv = await fs.readFile((await (await download).path()) ?? '', 'utf8');
    expect(csv.split('\r\n').filter(Boolean)).toHaveLength(4);
    expect(csv).not.toContain(PROMPT);
    expect(app.pageErrors).toEqual([]);
  });
});

describe('the classroom lock and the school’s policy in Settings', () => {
  it('a teacher locks the tier with a password; it cannot be changed until unlocked', async () => {
    app = await launchApp(await tempDir(), { env: useFakes().env });
    const { page } = app;
    await page.getByRole('button', { name: 'Settings' }).click();
    const privacy = page.getByRole('radiogroup', { name: 'Privacy: where your words may go' });
    await privacy.getByLabel('Teacher password').fill('Tafel-Kreide-2026');
    await privacy.getByRole('button', { name: 'Lock for this class' }).click();
    await privacy.getByText('Locked for this class: the privacy setting, providers and keys cannot be changed.').waitFor();
    expect(await privacy.getByRole('radio', { name: /^Any provider/ }).isDisabled()).toBe(true);

    await privacy.getByLabel('Teacher password').fill('wrong-guess');
    await privacy.getByRole('button', { name: 'Unlock' }).click();
    await privacy.getByText(/not the password of the classroom lock/).waitFor();
    await privacy.getByLabel('Teacher password').fill('Tafel-Kreide-2026');
    await privacy.getByRole('button', { name: 'Unlock' }).click();
    await privacy.getByRole('button', { name: 'Lock for this class' }).waitFor();
    expect(await privacy.getByRole('radio', { name: /^Any provider/ }).isDisabled()).toBe(false);
  });

  it('says when the school manages the tier, and when its policy file cannot be used', async () => {
    const dir = await tempDir();
    const policyFile = path.join(dir, 'policy.json');
    await fs.writeFile(policyFile, JSON.stringify({ tier: 'dsgvo_cloud' }));
    app = await launchApp(await tempDir(), { env: { ...useFakes().env, ATELIER_POLICY_FILE: policyFile } });
    await app.page.getByRole('button', { name: 'Settings' }).click();
    const privacy = app.page.getByRole('radiogroup', { name: 'Privacy: where your words may go' });
    await privacy.getByText(`Managed by your school (${policyFile}).`).waitFor();
    expect(await privacy.getByRole('radio', { name: /^Local and EU cloud/ }).isChecked()).toBe(true);
    expect(await privacy.getByRole('radio', { name: /^Any provider/ }).isDisabled()).toBe(true);

    await fs.writeFile(policyFile, '{ not json');
    await app.page.reload();
    await app.page.getByRole('button', { name: 'Settings' }).click();
    await privacy.getByRole('alert').getByText(/cannot be used: it is not valid JSON.*only this computer is allowed/).waitFor();
    expect(await privacy.getByRole('radio', { name: /^Local only/ }).isChecked()).toBe(true);
    await fs.mkdir(screenshotDir, { recursive: true });
    await privacy.scrollIntoViewIfNeeded();
    await app.page.screenshot({ path: path.join(screenshotDir, 'settings-privacy-policy-invalid.png') });
  });
});
