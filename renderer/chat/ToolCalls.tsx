import { useTranslation } from 'react-i18next';
import type { ToolActivity } from '../../shared/tools';

/** The tools an answer called: each one folded, with its arguments and what it answered. */
export function ToolCalls({ calls }: { calls: readonly ToolActivity[] }) {
  const { t } = useTranslation();
  if (calls.length === 0) return null;
  return (
    <ul className="tool-calls" aria-label={t('toolCalls.callsLabel')}>
      {calls.map((call) => (
        <li key={call.id}>
          <details>
            <summary>
              {t('toolCalls.called', { tool: call.name.replace('__', '/') })}{' '}
              <span className={call.result === null ? 'muted' : call.isError ? 'tool-failed' : 'tool-ok'}>
                {call.result === null ? t('toolCalls.running') : call.isError ? t('toolCalls.failed') : t('toolCalls.done')}
              </span>
            </summary>
            <p className="muted">{t('toolCalls.arguments')}</p>
            <pre className="tool-args">{JSON.stringify(call.args, null, 2)}</pre>
            {call.result !== null && (
              <>
                <p className="muted">{t('toolCalls.result')}</p>
                <pre className="tool-args">{call.result}</pre>
              </>
            )}
          </details>
        </li>
      ))}
    </ul>
  );
}
