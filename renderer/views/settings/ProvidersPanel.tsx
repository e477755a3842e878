import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CredentialsOverview } from '../../../shared/providers';
import { SecretField } from '../../components/SecretField';
import { TestConnection } from '../../components/TestConnection';
import { call } from '../../ipc/client';
import { useSettings } from '../../settings/SettingsProvider';
import { BedrockPanel } from './BedrockPanel';
import { SchoolKeyStatus, useSchoolServers } from './SchoolKeyStatus';

const KEYED = [
  { provider: 'anthropic', name: 'Anthropic' },
  { provider: 'openai', name: 'OpenAI' },
  { provider: 'openrouter', name: 'OpenRouter' },
] as const;

const BACKENDS: Record<string, string> = {
  'macos-keychain': 'macOS Keychain',
  'windows-credential-manager': 'Windows Credential Manager',
  'secret-service': 'Secret Service (GNOME Keyring, KWallet)',
};

/** Every provider's key: saved in the keychain (shown masked), where it comes from, and a test. */
export function ProvidersPanel() {
  const { t } = useTranslation();
  const { state } = useSettings();
  const [overview, setOverview] = useState<CredentialsOverview | null>(null);
  const [sessionOnly, setSessionOnly] = useState(false);
  const endpoints = state?.settings.endpoints ?? [];

  const reload = useCallback(() => {
    call('providers:get-credentials').then(setOverview, () => setOverview(null));
  }, []);
  useEffect(() => reload(), [reload, state]);
  // Asked again when an endpoint's key changes, not on every settings change.
  const endpointKeys = endpoints.map((endpoint) => `${endpoint.prefix}=${overview?.saved.find((secret) => secret.name === `endpoint:${endpoint.prefix}`)?.masked ?? ''}`).join(',');
  const schoolServers = useSchoolServers(endpointKeys);

  if (overview === null) return null;
  const source = (provider: string) => overview.providers.find((entry) => entry.provider === provider)?.source ?? '';
  const saved = (name: string) => overview.saved.find((secret) => secret.name === name);
  const keychainMissing = !overview.keychain.available;

  return (
    <>
      <fieldset className="card">
        <legend>{t('providers.title')}</legend>
        {keychainMissing ? (
          <div className="banner banner-warning" role="alert">
            <div className="banner-text">
              <strong>{t('providers.keychainMissing')}</strong>
              <p>{overview.keychain.problem}</p>
              <p>{overview.keychain.hint}</p>
              <label>
                <input type="checkbox" checked={sessionOnly} onChange={(event) => setSessionOnly(event.target.checked)} /> {t('providers.sessionOnly')}
              </label>
            </div>
          </div>
        ) : (
          <p className="muted">{t('providers.keychainOk', { backend: BACKENDS[overview.keychain.backend] ?? overview.keychain.backend })}</p>
        )}
        {[...KEYED, ...endpoints.map((endpoint) => ({ provider: endpoint.prefix, name: endpoint.name }))].map(({ provider, name }) => {
          const secretName = KEYED.some((entry) => entry.provider === provider) ? provider : `endpoint:${provider}`;
          return (
            <div key={provider} className="provider">
              <h3 className="card-heading">{name}</h3>
              <p className="muted">{t('providers.from', { source: source(provider) })}</p>
              <SecretField
                name={secretName}
                label={t('providers.newKey', { provider: name })}
                saved={saved(secretName)}
                sessionOnly={sessionOnly || keychainMissing}
                onChange={reload}
              />
              <SchoolKeyStatus status={schoolServers.find((server) => server.provider === provider) ?? null} />
              <TestConnection provider={provider} />
            </div>
          );
        })}
      </fieldset>
      <BedrockPanel overview={overview} sessionOnly={sessionOnly || keychainMissing} reload={reload} />
    </>
  );
}
