import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorPayload } from '../../shared/errors';
import { call } from '../ipc/client';
import { useNavigation } from '../navigation';
import { useBudgetLock } from '../usage/use-budget-lock';

const CREDENTIAL_ERRORS = new Set(['credentials_missing', 'auth_invalid', 'credentials_expired', 'permission_denied', 'model_access_denied']);

/**
 * An error in place, with its hint and, where there is one, the button that fixes it: the
 * privacy or provider settings, downloading a missing local model, Bedrock's EU profile, or the
 * budget in the Usage view (unless the school or the classroom lock keeps it as it is: then the
 * hint from main says whom to ask, and a button would lead to fields that cannot be changed).
 */
export function ErrorFix({ error, model, onRetryWith }: { error: ErrorPayload; model: string | null; onRetryWith: (model: string) => void }) {
  const { t } = useTranslation();
  const { go } = useNavigation();
  const [pull, setPull] = useState<{ percent: number | null; done: boolean; failed: string | null } | null>(null);
  const localName = model?.startsWith('local/') ? model.slice('local/'.length) : null;
  const budgetLocked = useBudgetLock(error.code === 'budget_exceeded');

  useEffect(() => {
    if (!localName) return;
    return window.atelier.on('ollama:pull-progress', (event) => {
      if (event.model !== localName) return;
      if (!event.finished) setPull({ percent: event.progress?.percent ?? null, done: false, failed: null });
      else setPull({ percent: 100, done: event.error === null, failed: event.error?.message ?? null });
    });
  }, [localName]);

  let fix: { label: string; run: () => void } | null = null;
  if (error.code === 'policy_denied') fix = { label: t('chat.fixPrivacy'), run: () => go('settings', 'privacy') };
  else if (CREDENTIAL_ERRORS.has(error.code)) fix = { label: t('chat.fixProviders'), run: () => go('settings', 'providers') };
  else if (error.code === 'model_not_found' && localName) {
    fix = {
      label: t('chat.fixPull', { model: localName }),
      run: () => {
        setPull({ percent: null, done: false, failed: null });
        call('ollama:pull', { model: localName }).catch((failure: unknown) => setPull({ percent: null, done: false, failed: (failure as Error).message }));
      },
    };
  } else if (error.code === 'inference_profile_required' && model?.startsWith('bedrock/') && !model.startsWith('bedrock/eu.')) {
    const euModel = `bedrock/eu.${model.slice('bedrock/'.length).replace(/^[a-z]+\./, (prefix) => (['us.', 'apac.', 'global.', 'jp.', 'au.', 'ca.'].includes(prefix) ? '' : prefix))}`;
    fix = { label: t('chat.fixEuProfile'), run: () => onRetryWith(euModel) };
  } else if (error.code === 'provider_unreachable' && model?.startsWith('local/')) fix = { label: t('chat.fixOllama'), run: () => go('settings', 'ollama') };
  else if (error.code === 'budget_exceeded' && budgetLocked === false) fix = { label: t('chat.fixBudget'), run: () => go('usage', 'budget') };

  return (
    <div className="answer-error" role="alert">
      <p>
        <strong>{error.message}</strong>
      </p>
      {error.hint && <p>{error.hint}</p>}
      {fix && pull === null && (
        <button type="button" className="button" onClick={fix.run}>
          {fix.label}
        </button>
      )}
      {pull && !pull.done && !pull.failed && (
        <p role="status">{pull.percent === null ? t('chat.pullStarting') : t('chat.pullProgress', { percent: pull.percent })}</p>
      )}
      {pull?.done && model && (
        <button type="button" className="button button-primary" onClick={() => onRetryWith(model)}>
          {t('chat.pullDoneRetry')}
        </button>
      )}
      {pull?.failed && <p>{pull.failed}</p>}
    </div>
  );
}
