import { useTranslation } from 'react-i18next';
import type { ReliabilityStatus } from '../../shared/reliability';
import { useNavigation } from '../navigation';
import { useSettings } from '../settings/SettingsProvider';
import { formatClock, providerLabel, reasonText } from './reliability-words';
import { useReliabilityStatus } from './use-reliability-status';

type ProviderHealth = ReliabilityStatus['providers'][number];

/** At most this many model names in a line; more are counted. */
const MODELS_NAMED = 2;

/**
 * A slim line under the chat's header: each provider that is not fine (resting after repeated
 * failures, down, or failing lately) with until when and why, or a quiet "no problems known".
 * A live region, so a change is read out; "Check now" asks every provider for its model list
 * (free) first. Providers nobody has asked yet are not shown: nothing is known about them.
 */
export function StatusStrip({ refreshKey }: { refreshKey: number }) {
  const { t, i18n } = useTranslation();
  const { state } = useSettings();
  const { go } = useNavigation();
  const { status, checking, checkedAt, problem, checkNow } = useReliabilityStatus(refreshKey);
  const endpoints = state?.settings.endpoints ?? [];
  const troubled = (status?.providers ?? []).filter((provider) => provider.state !== 'ok' && provider.state !== 'unknown');
  const resting = troubled.some((provider) => provider.state === 'cooling' || provider.state === 'down');

  const line = (provider: ProviderHealth): string => {
    // The routes in this state: a cool-down is per model, so the others of the provider still answer.
    const models = [...new Set((status?.routes ?? []).filter((route) => route.provider === provider.provider && route.state === provider.state && route.modelId !== '*').map((route) => route.modelId))];
    const name = providerLabel(provider.provider, endpoints);
    const who =
      models.length === 0 ? name : models.length <= MODELS_NAMED ? t('reliability.providerModels', { provider: name, models: models.join(', ') }) : t('reliability.providerManyModels', { provider: name, count: models.length });
    const until = provider.coolingUntil ? formatClock(provider.coolingUntil, i18n.language) : null;
    const text =
      provider.state === 'down'
        ? until
          ? t('reliability.downUntil', { who, time: until })
          : t('reliability.down', { who })
        : provider.state === 'cooling'
          ? until
            ? t('reliability.coolingUntil', { who, time: until })
            : t('reliability.cooling', { who })
          : t('reliability.degraded', { who });
    return provider.lastErrorCode ? `${text} (${reasonText(t, provider.lastErrorCode)})` : text;
  };

  const quiet = checkedAt ? t('reliability.allOkChecked', { time: formatClock(checkedAt.toISOString(), i18n.language) }) : t('reliability.allOk');
  return (
    <div className={troubled.length > 0 ? 'status-strip status-strip-trouble' : 'status-strip'} role="status" aria-label={t('reliability.stripLabel')}>
      <div className="status-strip-text">
        {troubled.length > 0 ? (
          <>
            <ul className="status-strip-list">
              {troubled.map((provider) => (
                <li key={provider.provider}>{line(provider)}</li>
              ))}
            </ul>
            {resting && (
              <p className="status-strip-hint">
                {t('reliability.restingHint')}{' '}
                <button type="button" className="link-button" onClick={() => go('settings', 'reliability')}>
                  {t('reliability.openChains')}
                </button>
              </p>
            )}
          </>
        ) : (
          status !== null && <span>{quiet}</span>
        )}
        {problem && <p className="status-strip-problem">{t('reliability.readFailed', { message: problem })}</p>}
      </div>
      <button type="button" className="link-button" aria-disabled={checking} onClick={checkNow}>
        {checking ? t('reliability.checking') : t('reliability.checkNow')}
      </button>
    </div>
  );
}
