import { lazy, Suspense, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppInfo } from '../../../shared/app-info';
import { languages, themes } from '../../../shared/choices';
import type { SettingsPatch } from '../../../shared/settings';
import { ChoiceField } from '../../components/ChoiceField';
import { ViewSection } from '../../components/ViewSection';
import { call, IpcCallError } from '../../ipc/client';
import { settingsSectionId, type SettingsSection } from '../../navigation';
import { useSettings } from '../../settings/SettingsProvider';
import { HardwarePanel } from './HardwarePanel';
import { OllamaPanel } from './OllamaPanel';
import { PrivacyPanel } from './PrivacyPanel';
import { ProvidersPanel } from './ProvidersPanel';
import { ReliabilityPanel } from './ReliabilityPanel';

// The local endpoint's panel (its tokens, web pages and example) is a chunk of its own, loaded with the Settings view.
const LocalEndpointPanel = lazy(() => import('./LocalEndpointPanel').then((module) => ({ default: module.LocalEndpointPanel })));
// Tool servers (MCP): likewise a chunk of its own.
const ToolsPanel = lazy(() => import('./ToolsPanel').then((module) => ({ default: module.ToolsPanel })));

type SaveStatus = { kind: 'idle' } | { kind: 'saved' } | { kind: 'failed'; message: string };

/** Language names are shown in their own language, so a user can always find theirs. */
const languageNames = { en: 'English', de: 'Deutsch' } as const;
const themeLabelKeys = { system: 'settings.themeSystem', light: 'settings.themeLight', dark: 'settings.themeDark' } as const;

export function SettingsView({ section = null }: { section?: SettingsSection | null }) {
  const { t } = useTranslation();
  const { state, update } = useSettings();
  const [status, setStatus] = useState<SaveStatus>({ kind: 'idle' });
  const [info, setInfo] = useState<AppInfo | null>(null);

  useEffect(() => {
    call('app:get-info').then(setInfo, () => setInfo(null));
  }, []);

  // Led here by a button elsewhere (an error's fix): show that section, with the focus on it.
  useEffect(() => {
    if (section === null || state === null) return;
    const target = document.getElementById(settingsSectionId(section));
    target?.scrollIntoView({ block: 'start' });
    target?.focus();
  }, [section, state === null]); // eslint-disable-line react-hooks/exhaustive-deps

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
    <ViewSection title={t('settings.title')}>
      <ChoiceField
        legend={t('settings.appearance')}
        label={t('settings.theme')}
        name="theme"
        value={settings.theme}
        choices={themes.map((theme) => ({ value: theme, label: t(themeLabelKeys[theme]) }))}
        onChange={(theme) => save({ theme })}
      />
      <ChoiceField
        legend={t('settings.languageSection')}
        label={t('settings.language')}
        name="language"
        value={settings.language}
        choices={languages.map((language) => ({
          value: language,
          label: language === 'system' ? t('settings.languageSystem') : languageNames[language],
        }))}
        onChange={(language) => save({ language })}
      />

      <p className="save-status" role="status" aria-live="polite">
        {status.kind === 'saved' && t('settings.saved')}
        {status.kind === 'failed' && t('settings.saveFailed', { message: status.message })}
      </p>

      <div id={settingsSectionId('privacy')} tabIndex={-1} className="settings-anchor">
        <PrivacyPanel />
      </div>
      <div id={settingsSectionId('providers')} tabIndex={-1} className="settings-anchor">
        <ProvidersPanel />
      </div>
      <HardwarePanel />
      <div id={settingsSectionId('ollama')} tabIndex={-1} className="settings-anchor">
        <OllamaPanel />
      </div>
      <div id={settingsSectionId('reliability')} tabIndex={-1} className="settings-anchor">
        <ReliabilityPanel />
      </div>
      <div id={settingsSectionId('endpoint')} tabIndex={-1} className="settings-anchor">
        <Suspense fallback={null}>
          <LocalEndpointPanel />
        </Suspense>
      </div>
      <div id={settingsSectionId('tools')} tabIndex={-1} className="settings-anchor">
        <Suspense fallback={null}>
          <ToolsPanel />
        </Suspense>
      </div>

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
    </ViewSection>
  );
}
