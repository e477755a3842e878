import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CredentialsOverview } from '../../../shared/providers';
import { awsCredentialSources, type AwsCredentialSource } from '../../../shared/choices';
import { SecretField } from '../../components/SecretField';
import { TestConnection } from '../../components/TestConnection';
import { call } from '../../ipc/client';
import { useSettings } from '../../settings/SettingsProvider';

/** EU regions first: in EU mode, words may only go there. */
const EU_REGIONS = ['eu-central-1', 'eu-central-2', 'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-north-1', 'eu-south-1', 'eu-south-2'];
const OTHER_REGIONS = ['us-east-1', 'us-east-2', 'us-west-2', 'ap-northeast-1', 'ap-southeast-2', 'ap-south-1', 'ca-central-1', 'sa-east-1'];

/** AWS Bedrock: region, where credentials come from (and which are in use), keys, CSV import, test. */
export function BedrockPanel({ overview, sessionOnly, reload }: { overview: CredentialsOverview; sessionOnly: boolean; reload: () => void }) {
  const { t } = useTranslation();
  const { state, update } = useSettings();
  const [profiles, setProfiles] = useState<string[]>([]);
  const [notice, setNotice] = useState<string | null>(null);
  const ids = { region: useId(), source: useId(), profile: useId(), csv: useId() };
  const bedrock = state?.settings.bedrock;

  useEffect(() => {
    call('providers:list-aws-profiles').then(
      (result) => setProfiles(result.profiles),
      () => setProfiles([]),
    );
  }, []);

  if (!bedrock) return null;
  const saved = (name: string) => overview.saved.find((secret) => secret.name === name);
  const change = (patch: Parameters<typeof update>[0]) => update(patch).then(reload, (error: unknown) => setNotice(String((error as Error).message)));

  const importCsv = (file: File | undefined) => {
    if (!file) return;
    file.text().then(
      (content) =>
        call('providers:import-aws-csv', { content }).then(
          (result) => {
            setNotice(t('providers.imported', { masked: result.accessKeyIdMasked }));
            reload();
          },
          (error: unknown) => setNotice(String((error as Error).message)),
        ),
      (error: unknown) => setNotice(String((error as Error).message)),
    );
  };

  return (
    <fieldset className="card">
      <legend>{t('providers.bedrock')}</legend>
      <p>{t('providers.using', { using: overview.bedrock.using, reason: overview.bedrock.reason })}</p>

      <label htmlFor={ids.region}>{t('providers.region')}</label>
      <select id={ids.region} value={bedrock.region ?? overview.bedrock.region} onChange={(event) => void change({ bedrock: { region: event.target.value } })}>
        <optgroup label={t('providers.regionEu')}>
          {EU_REGIONS.map((region) => (
            <option key={region} value={region}>
              {region}
            </option>
          ))}
        </optgroup>
        <optgroup label={t('providers.regionOther')}>
          {OTHER_REGIONS.map((region) => (
            <option key={region} value={region}>
              {region}
            </option>
          ))}
        </optgroup>
      </select>

      <label htmlFor={ids.source}>{t('providers.source')}</label>
      <select id={ids.source} value={bedrock.credentialSource} onChange={(event) => void change({ bedrock: { credentialSource: event.target.value as AwsCredentialSource } })}>
        {awsCredentialSources.map((source) => (
          <option key={source} value={source}>
            {t(`providers.source_${source}`)}
          </option>
        ))}
      </select>

      <label htmlFor={ids.profile}>{t('providers.profile')}</label>
      <select id={ids.profile} value={bedrock.profile ?? ''} onChange={(event) => void change({ bedrock: { profile: event.target.value === '' ? null : event.target.value } })}>
        <option value="">{t('providers.profileNone')}</option>
        {profiles.map((profile) => (
          <option key={profile} value={profile}>
            {profile}
          </option>
        ))}
      </select>

      <SecretField name="aws-access-key-id" label={t('providers.accessKeyId')} saved={saved('aws-access-key-id')} sessionOnly={sessionOnly} onChange={reload} />
      <SecretField name="aws-secret-access-key" label={t('providers.secretAccessKey')} saved={saved('aws-secret-access-key')} sessionOnly={sessionOnly} onChange={reload} />
      <SecretField name="aws-session-token" label={t('providers.sessionToken')} saved={saved('aws-session-token')} sessionOnly={sessionOnly} onChange={reload} />
      <SecretField name="bedrock-api-key" label={t('providers.apiKey')} saved={saved('bedrock-api-key')} sessionOnly={sessionOnly} onChange={reload} />

      <label htmlFor={ids.csv}>{t('providers.importCsv')}</label>
      <input id={ids.csv} type="file" accept=".csv,text/csv" onChange={(event) => importCsv(event.target.files?.[0])} />
      <p role="status" aria-live="polite" className="save-status">
        {notice}
      </p>
      <TestConnection provider="bedrock" />
    </fieldset>
  );
}
