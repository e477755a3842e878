import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppInfo } from '../../shared/app-info';
import { languages, themes, type LanguagePreference, type ThemePreference } from '../../shared/preferences';
import type { SettingsPatch } from '../../shared/settings';
import { call, IpcCallError } from '../ipc/client';
import { useSettings } from '../settings/SettingsProvider';

type SaveStatus = { kind: 'idle' } | { kind: 'saved' } | { kind: 'failed'; message: string };

/** Language names are shown in their own language, so a user can always find theirs. */
const languageNames: Record<Exclude<LanguagePreference, 'system'>, string> = {
  en: 'English',
  de: 'Deutsch',
};

export function SettingsView() {
  const { t } = useTranslation();
  const { state, update } = useSettings();
  const [status, setStatus] = useState<SaveStatus>({ kind: 'idle' });
  const [info, setInfo] = useState<AppInfo | null>(null);
  const themeId = useId();
  const languageId = useId();

  useEffect(() => {
    call('app:get-info').then(setInfo, () => setInfo(null));
  }, []);

  if (state === null) return <p className="view">{t('app.loading')}</p>;
  const { settings } = state;

  const save = (patch: SettingsPatch) => {
    update(patch).then(
      () => setStatus({ kind: 'saved' }),
      (error: unknown) =>
        setStatus({
          kind: 'failed',
          message: error instanceof IpcCallError && error.hint ? `${error.message} ${error.hint}` : String(error),
        }),
    );
  };

  return (
    <section className="view" aria-labelledby="settings-title">
      <h1 id="settings-title" className="view-title">
        {t('settings.title')}
      </h1>

      <fieldset className="card">
        <legend>{t('settings.appearance')}</legend>
        <label htmlFor={themeId}>{t('settings.theme')}</label>
        <select
          id={themeId}
          name="theme"
          value={settings.theme}
          onChange={(event) => save({ theme: event.target.value as ThemePreference })}
        >
          {themes.map((theme) => (
            <option key={theme} value={theme}>
              {t(`settings.theme${theme[0]?.toUpperCase()}${theme.slice(1)}`)}
            </option>
          ))}
        </select>
      </fieldset>

      <fieldset className="card">
        <legend>{t('settings.languageSection')}</legend>
        <label htmlFor={languageId}>{t('settings.language')}</label>
        <select
          id={languageId}
          name="language"
          value={settings.language}
          onChange={(event) => save({ language: event.target.value as LanguagePreference })}
        >
          {languages.map((language) => (
            <option key={language} value={language}>
              {language === 'system' ? t('settings.languageSystem') : languageNames[language]}
            </option>
          ))}
        </select>
      </fieldset>

      <p className="save-status" role="status" aria-live="polite">
        {status.kind === 'saved' && t('settings.saved')}
        {status.kind === 'failed' && t('settings.saveFailed', { message: status.message })}
      </p>

      {info && (
        <fieldset className="card">
          <legend>{t('settings.about')}</legend>
          <dl className="facts">
            <dt>{t('settings.version')}</dt>
            <dd>{info.version}</dd>
            <dt>{t('settings.platform')}</dt>
            <dd>
              {info.platform} ({info.arch})
            </dd>
            <dt>{t('settings.dataDir')}</dt>
            <dd>
              <code className="path">{info.dataDir}</code>
            </dd>
          </dl>
        </fieldset>
      )}
    </section>
  );
}
