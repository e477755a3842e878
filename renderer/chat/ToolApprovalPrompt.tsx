import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { EventPayload } from '../../shared/ipc/contract';
import { call } from '../ipc/client';

type Request = EventPayload<'tools:approval-requested'>;

/**
 * A tool call waiting for the user: which tool of which server, with which arguments; allowed
 * once, for this conversation, or denied. One at a time, in the order the model asked.
 */
export function ToolApprovalPrompt() {
  const { t } = useTranslation();
  const [queue, setQueue] = useState<Request[]>([]);
  const allowButton = useRef<HTMLButtonElement>(null);
  useEffect(() => window.atelier.on('tools:approval-requested', (request) => setQueue((waiting) => [...waiting, request])), []);
  const current = queue[0];
  useEffect(() => {
    if (current) allowButton.current?.focus();
  }, [current]);
  if (!current) return null;
  const decide = (decision: 'once' | 'conversation' | 'deny') => {
    setQueue((waiting) => waiting.slice(1));
    void call('tools:answer-approval', { requestId: current.requestId, decision }).catch(() => undefined);
  };
  return (
    <div
      className="tool-approval"
      role="alertdialog"
      aria-modal="true"
      aria-labelledby="tool-approval-title"
      aria-describedby="tool-approval-what"
      onKeyDown={(event) => {
        if (event.key === 'Escape') decide('deny');
      }}
    >
      <h3 id="tool-approval-title">{t('toolCalls.approvalTitle')}</h3>
      <p id="tool-approval-what">{t('toolCalls.approvalWhat', { tool: current.tool, server: current.server })}</p>
      <pre className="tool-args" aria-label={t('toolCalls.arguments')}>
        {JSON.stringify(current.args, null, 2)}
      </pre>
      <div className="tool-approval-actions">
        <button ref={allowButton} type="button" className="button-primary" onClick={() => decide('once')}>
          {t('toolCalls.allowOnce')}
        </button>
        <button type="button" onClick={() => decide('conversation')}>
          {t('toolCalls.allowConversation')}
        </button>
        <button type="button" onClick={() => decide('deny')}>
          {t('toolCalls.deny')}
        </button>
      </div>
    </div>
  );
}
