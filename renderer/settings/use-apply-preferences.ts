import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Settings } from '../../shared/settings';
import { resolveLanguage } from '../i18n';

const DARK_QUERY = '(prefers-color-scheme: dark)';

/** Follows the OS's dark mode live, for the `system` theme. */
function useSystemPrefersDark(): boolean {
  const [dark, setDark] = useState(() => window.matchMedia(DARK_QUERY).matches);
  useEffect(() => {
    const query = window.matchMedia(DARK_QUERY);
    const onChange = () => setDark(query.matches);
    query.addEventListener('change', onChange);
    return () => query.removeEventListener('change', onChange);
  }, []);
  return dark;
}

/** Applies the theme and the language from the settings to the document and to i18next. */
export function useApplyPreferences(settings: Settings | undefined): void {
  const { i18n } = useTranslation();
  const systemDark = useSystemPrefersDark();
  const theme = settings?.theme ?? 'system';
  const language = settings?.language ?? 'system';

  useEffect(() => {
    const resolved = theme === 'system' ? (systemDark ? 'dark' : 'light') : theme;
    document.documentElement.dataset.theme = resolved;
  }, [theme, systemDark]);

  useEffect(() => {
    const resolved = resolveLanguage(language, navigator.languages);
    document.documentElement.lang = resolved;
    if (i18n.language !== resolved) void i18n.changeLanguage(resolved);
  }, [language, i18n]);
}
