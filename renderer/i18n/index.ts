import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Settings } from '../../shared/settings';
import de from './locales/de.json';
import en from './locales/en.json';

export const uiLanguages = ['en', 'de'] as const;
export type UiLanguage = (typeof uiLanguages)[number];

/** `system` follows the OS (the browser's language list); anything not German falls back to English. */
export function resolveLanguage(setting: Settings['language'], preferred: readonly string[]): UiLanguage {
  if (setting !== 'system') return setting;
  for (const tag of preferred) {
    const base = tag.toLowerCase().split('-')[0];
    if (base === 'de' || base === 'en') return base;
  }
  return 'en';
}

/** Starts i18next synchronously with both languages bundled (no loading flash, no network). */
export function initI18n(language: UiLanguage = 'en'): typeof i18n {
  if (!i18n.isInitialized) {
    void i18n.use(initReactI18next).init({
      resources: { en: { translation: en }, de: { translation: de } },
      lng: language,
      fallbackLng: 'en',
      supportedLngs: uiLanguages,
      interpolation: { escapeValue: false }, // React escapes already
      initAsync: false,
      returnNull: false,
    });
  }
  return i18n;
}
