import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConnectionTest } from '../../shared/providers';
import { call } from '../ipc/client';

/** A "Test connection" button and what the test found, with the fix when it failed. */
export function TestConnection({ provider }: { provider: string }) {
  const { t } = useTranslation();
  const [running, setRunning] = useState(false);
  const [result, setResult] = useState<ConnectionTest | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  const run = () => {
    setRunning(true);
    setFailure(null);
    call('providers:test', { provider }).then(
      (outcome) => {
        setResult(outcome);
        setRunning(false);
      },
      (error: unknown) => {
        setFailure(String((error as Error).message));
        setRunning(false);
      },
    );
  };

  return (
    <div className="test-connection">
      <button type="button" className="button" disabled={running} onClick={run} aria-label={`${t('providers.test')} ${provider}`}>
        {running ? t('providers.testing') : t('providers.test')}
      </button>
      <div role="status" aria-live="polite">
        {failure && <p className="muted">{failure}</p>}
        {result?.ok && <p className="test-ok">{t('providers.testOk', { detail: result.detail })}</p>}
        {result && !result.ok && result.error && (
          <div className="test-failed">
            <p>{t('providers.testFailed', { message: result.error.message })}</p>
            {result.error.hint && <p className="muted">{result.error.hint}</p>}
          </div>
        )}
      </div>
    </div>
  );
}
