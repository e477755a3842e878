import { render } from '@testing-library/react';
import { App } from '../../../renderer/App';
import { initI18n } from '../../../renderer/i18n';
import { SettingsProvider } from '../../../renderer/settings/SettingsProvider';
import { createAtelierApi } from '../../../shared/ipc/create-api';
import { startMainProcess, type MainProcess } from '../../support/main-process';

type Listener = (payload: unknown) => void;

/**
 * Renders the whole renderer with window.atelier built by createAtelierApi over the real
 * dispatcher and core services, as the preload does in the app (minus the process boundary,
 * which the e2e tests cross for real).
 */
export async function renderApp(dataDir: string, env: Record<string, string> = {}): Promise<{ main: MainProcess }> {
  const appUrl = 'app://atelier/index.html';
  const main = await startMainProcess(dataDir, ['app://atelier'], env);
  const listeners = new Map<string, Set<Listener>>();
  main.forwardEvents((event, payload) => {
    for (const listener of listeners.get(event) ?? []) listener(structuredClone(payload));
  });
  Object.defineProperty(window, 'atelier', {
    configurable: true,
    value: createAtelierApi({
      invoke: async (channel, input) => structuredClone(await main.dispatch(channel, structuredClone(input), { url: appUrl })),
      subscribe: (event, listener) => {
        const set = listeners.get(event) ?? new Set<Listener>();
        listeners.set(event, set);
        set.add(listener);
        return () => set.delete(listener);
      },
    }),
  });
  initI18n('en');
  render(
    <SettingsProvider>
      <App />
    </SettingsProvider>,
  );
  return { main };
}
