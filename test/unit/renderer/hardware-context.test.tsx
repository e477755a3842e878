import fs from 'node:fs';
import path from 'node:path';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProbeResults } from '../../../electron/core/hardware/interpret-hardware';
import { initI18n } from '../../../renderer/i18n';
import { SettingsProvider } from '../../../renderer/settings/SettingsProvider';
import { HardwarePanel } from '../../../renderer/views/settings/HardwarePanel';
import { createAtelierApi } from '../../../shared/ipc/create-api';
import { startMainProcess, type MainProcess } from '../../support/main-process';
import { tempDir } from '../../support/temp-dir';

const i18n = initI18n('en');
let main: MainProcess | undefined;
afterEach(async () => {
  cleanup();
  await main?.services.close();
  main = undefined;
  await i18n.changeLanguage('en');
});

/** The hardware panel over the real handlers, on a machine with a 12 GB NVIDIA card (a fixture). */
async function renderPanel(): Promise<{ dataDir: string }> {
  const probe = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, '../../fixtures/hardware/linux-nvidia.json'), 'utf8')) as ProbeResults;
  const dataDir = await tempDir();
  const process = await startMainProcess(dataDir, ['app://atelier'], {}, () => Promise.resolve(probe));
  main = process;
  Object.defineProperty(window, 'atelier', {
    configurable: true,
    value: createAtelierApi({
      invoke: async (channel, input) => structuredClone(await process.dispatch(channel, structuredClone(input), { url: 'app://atelier/index.html' })),
      subscribe: () => () => undefined,
    }),
  });
  render(
    <SettingsProvider>
      <HardwarePanel />
    </SettingsProvider>,
  );
  return { dataDir };
}

const rowOf = (role: string) => screen.getByRole('row', { name: new RegExp(`^${role}`) });

describe('the hardware panel and the context size (num_ctx)', () => {
  it('shows the num_ctx chosen for each recommended model and why, in English and German', async () => {
    await renderPanel();
    await screen.findByText(/Tier: vram-12/);
    expect(screen.getByRole('heading', { name: 'Recommended models, each with the context Atelier chooses for it on this computer' })).toBeTruthy();
    // 12 GB: Llama 3.2 3B has room for about 77,500 tokens, Llama 3.1 8B for 44,000, Gemma 3 12B only for its 8K.
    expect(within(rowOf('Fast')).getByText('65,536 tokens of context')).toBeTruthy();
    expect(within(rowOf('Fast')).getByText('the most that fits in video memory')).toBeTruthy();
    expect(within(rowOf('Advanced')).getByText('32,768 tokens of context')).toBeTruthy();
    expect(within(rowOf('Most capable')).getByText('8,192 tokens of context')).toBeTruthy();
    expect((screen.getByLabelText('Context size for local models (num_ctx)') as HTMLSelectElement).value).toBe('auto');

    await i18n.changeLanguage('de');
    expect(await screen.findByText('65.536 Tokens Kontext')).toBeTruthy();
    expect(within(rowOf('Schnell')).getByText('so viel, wie in den Grafikspeicher passt')).toBeTruthy();
  });

  it('fixes a size in the settings, and back to automatic', async () => {
    const { dataDir } = await renderPanel();
    await screen.findByText(/Tier: vram-12/);
    const select = screen.getByLabelText('Context size for local models (num_ctx)');
    fireEvent.change(select, { target: { value: '16384' } });
    await screen.findByRole('heading', { name: 'Recommended models (at 16,384 tokens of context)' });
    await waitFor(() => expect(within(rowOf('Fast')).getByText('16,384 tokens of context')).toBeTruthy());
    expect(within(rowOf('Fast')).getByText('fixed in the settings')).toBeTruthy();
    const saved = () => (JSON.parse(fs.readFileSync(path.join(dataDir, 'settings.json'), 'utf8')) as { ollama: { numCtx: number | null } }).ollama.numCtx;
    expect(saved()).toBe(16_384);

    fireEvent.change(select, { target: { value: 'auto' } });
    await waitFor(() => expect(within(rowOf('Fast')).getByText('65,536 tokens of context')).toBeTruthy());
    expect(saved()).toBeNull();
  });
});
