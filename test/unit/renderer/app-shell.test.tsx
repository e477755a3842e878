import fs from 'node:fs/promises';
import path from 'node:path';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../support/temp-dir';
import { createOllamaFake } from '../../fakes/ollama-fake';
import { renderApp as renderWithEnv } from './render-app';

afterEach(cleanup);

// The chat view asks Ollama what is installed: a fake answers, so nothing tries a real port.
const ollama = createOllamaFake({ models: ['llama3.2:3b'] });
beforeAll(() => ollama.start());
// Calls the last view started before it unmounted may still be on their way: let them land.
afterAll(async () => {
  await new Promise((resolve) => setTimeout(resolve, 500));
  await ollama.close();
});
const renderApp = (dataDir: string) => renderWithEnv(dataDir, { OLLAMA_HOST: ollama.url });

describe('the renderer shell', () => {
  it('starts with first-run setup in the chat view and switches views from the sidebar', async () => {
    await renderApp(await tempDir());
    const nav = screen.getByRole('navigation', { name: 'Main navigation' });
    expect(await screen.findByRole('heading', { name: 'Welcome to Atelier' })).toBeTruthy();
    expect(within(nav).getByRole('button', { name: 'Chat' }).getAttribute('aria-current')).toBe('page');

    fireEvent.click(within(nav).getByRole('button', { name: 'Usage' }));
    expect(await screen.findByRole('heading', { name: 'No requests recorded yet.' })).toBeTruthy();
    fireEvent.click(within(nav).getByRole('button', { name: 'Settings' }));
    expect(await screen.findByRole('heading', { name: 'Settings', level: 1 })).toBeTruthy();
  });

  it('saves a theme change through IPC and applies it to the document', async () => {
    const dataDir = await tempDir();
    await renderApp(dataDir);
    fireEvent.click(screen.getByRole('button', { name: 'Settings' }));
    const theme = await screen.findByLabelText('Theme');

    fireEvent.change(theme, { target: { value: 'dark' } });
    await waitFor(() => expect(document.documentElement.dataset.theme).toBe('dark'));
    await screen.findByText('Saved.');
    const saved = JSON.parse(await fs.readFile(path.join(dataDir, 'settings.json'), 'utf8')) as { theme: string };
    expect(saved.theme).toBe('dark');
  });

  it('switches the whole UI to German', async () => {
    await renderApp(await tempDir());
    fireEvent.click(screen.getByRole('button', { name: 'Settings' }));
    fireEvent.change(await screen.findByLabelText('Language of the app'), { target: { value: 'de' } });
    expect(await screen.findByRole('heading', { name: 'Einstellungen', level: 1 })).toBeTruthy();
    expect(screen.getByRole('navigation', { name: 'Hauptnavigation' })).toBeTruthy();
    expect(document.documentElement.lang).toBe('de');
  });

  it('shows the recovery notice with the kept file when the settings file was repaired', async () => {
    const dataDir = await tempDir();
    await fs.writeFile(path.join(dataDir, 'settings.json'), '{"language": "fr"}');
    await renderApp(dataDir);
    const banner = await screen.findByRole('alert');
    expect(banner.textContent).toMatch(/language: .*"fr"/);
    expect(banner.textContent).toContain(path.join(dataDir, 'settings.rejected-'));
    fireEvent.click(within(banner).getByRole('button', { name: 'Dismiss' }));
    await waitFor(() => expect(screen.queryByRole('alert')).toBeNull());
  });
});
