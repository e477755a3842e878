import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { SettingsPatch, SettingsState } from '../../shared/settings';
import { call } from '../ipc/client';

interface SettingsContextValue {
  /** null until the first answer from main. */
  state: SettingsState | null;
  loadError: string | null;
  /** Saves a change through main; rejects with an IpcCallError when main refuses it. */
  update: (patch: SettingsPatch) => Promise<void>;
}

const SettingsContext = createContext<SettingsContextValue | null>(null);

/** Loads the settings once, keeps them current from `settings:changed`, and saves changes. */
export function SettingsProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SettingsState | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);

  useEffect(() => {
    let active = true;
    const unsubscribe = window.atelier.on('settings:changed', (next) => {
      if (active) setState(next);
    });
    call('settings:get').then(
      (loaded) => {
        if (active) setState((current) => current ?? loaded);
      },
      (error: unknown) => {
        if (active) setLoadError(error instanceof Error ? error.message : String(error));
      },
    );
    return () => {
      active = false;
      unsubscribe();
    };
  }, []);

  const update = useCallback(async (patch: SettingsPatch) => {
    setState(await call('settings:update', patch));
  }, []);

  const value = useMemo(() => ({ state, loadError, update }), [state, loadError, update]);
  return <SettingsContext.Provider value={value}>{children}</SettingsContext.Provider>;
}

export function useSettings(): SettingsContextValue {
  const value = useContext(SettingsContext);
  if (value === null) throw new Error('useSettings must be used inside <SettingsProvider>.');
  return value;
}
