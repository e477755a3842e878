// Runs in the page before Atelier's own scripts, in place of the preload: it builds
// window.atelier with the same createAtelierApi the preload uses, over a Playwright binding
// (`__atelierInvoke`, wired to the real dispatcher in the test process) instead of ipcRenderer.
import { createAtelierApi } from '../../../shared/ipc/create-api';

type Listener = (payload: unknown) => void;

interface HarnessWindow {
  __atelierInvoke(channel: string, input: unknown): Promise<unknown>;
  __atelierEmit(event: string, payload: unknown): void;
}

const harness = window as unknown as HarnessWindow;
const listeners = new Map<string, Set<Listener>>();

harness.__atelierEmit = (event, payload) => {
  for (const listener of listeners.get(event) ?? []) listener(payload);
};

Object.defineProperty(window, 'atelier', {
  value: createAtelierApi({
    invoke: (channel, input) => harness.__atelierInvoke(channel, input),
    subscribe: (event, listener) => {
      const set = listeners.get(event) ?? new Set<Listener>();
      listeners.set(event, set);
      set.add(listener);
      return () => {
        set.delete(listener);
      };
    },
  }),
  enumerable: true,
});
