import { createContext, useContext } from 'react';
import type { ViewName } from './components/Sidebar';

/** Settings sections a button elsewhere can lead to (an error's fix, a first-run step). */
export type SettingsSection = 'privacy' | 'providers' | 'ollama' | 'reliability' | 'endpoint' | 'tools';
/** Parts of the Usage view a button elsewhere can lead to (the budget banner, a budget_exceeded fix). */
export type UsageSection = 'budget';
export type Section = SettingsSection | UsageSection;

export interface Navigation {
  go(view: ViewName, section?: Section): void;
  /** Opens the chat with a new conversation and this assistant picked for it (the Assistants view's "Start a chat"). */
  startChat(assistantId: string): void;
}

export const NavigationContext = createContext<Navigation>({ go: () => undefined, startChat: () => undefined });

export function useNavigation(): Navigation {
  return useContext(NavigationContext);
}

export const settingsSectionId = (section: SettingsSection) => `settings-${section}`;
export const usageSectionId = (section: UsageSection) => `usage-${section}`;
export const isUsageSection = (section: Section | null): section is UsageSection => section === 'budget';
