import { createContext, useContext } from 'react';
import type { ViewName } from './components/Sidebar';

/** Settings sections a button elsewhere can lead to (an error's fix, a first-run step). */
export type SettingsSection = 'privacy' | 'providers' | 'ollama';

export interface Navigation {
  go(view: ViewName, section?: SettingsSection): void;
}

export const NavigationContext = createContext<Navigation>({ go: () => undefined });

export function useNavigation(): Navigation {
  return useContext(NavigationContext);
}

export const settingsSectionId = (section: SettingsSection) => `settings-${section}`;
