import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import type { StoredMessage } from '../../shared/conversations';
import { AnswerFooter } from './AnswerFooter';
import { ErrorFix } from './ErrorFix';
import { Markdown } from './Markdown';
import { ToolCalls } from './ToolCalls';
import { textOfMessage } from './use-chat';

export interface MessageActions {
  onEdit: (message: StoredMessage) => void;
  onRegenerate: () => void;
  onRetryWith: (model: string) => void;
}

/** One message: the user's as written, an answer as Markdown with where it came from underneath. */
export const MessageItem = memo(function MessageItem({
  message,
  isLastAnswer,
  streaming,
  highlighted,
  actions,
  assistantName = null,
}: {
  message: StoredMessage;
  isLastAnswer: boolean;
  streaming: boolean;
  highlighted: boolean;
  actions: MessageActions;
  assistantName?: string | null;
}) {
  const { t } = useTranslation();
  const text = textOfMessage(message);
  const copy = () => void navigator.clipboard.writeText(text);
  const className = `message message-${message.role}${highlighted ? ' message-highlighted' : ''}`;

  if (message.role === 'user') {
    return (
      <article className={className} aria-label={t('chat.youSaid')}>
        <div className="message-body">
          {message.parts.map((part, index) =>
            part.type === 'text' ? (
              <p key={index} className="user-text">
                {part.text}
              </p>
            ) : (
              <img key={index} className="message-image" src={`data:${part.mediaType};base64,${part.data}`} alt={t('chat.attachedImage')} />
            ),
          )}
        </div>
        <div className="message-actions">
          <button type="button" className="link-button" onClick={() => actions.onEdit(message)} disabled={streaming}>
            {t('chat.edit')}
          </button>
          <button type="button" className="link-button" onClick={copy}>
            {t('chat.copy')}
          </button>
        </div>
      </article>
    );
  }

  const live = message.status === 'streaming' && streaming;
  return (
    // An assistant's opening message was written, not asked of a model: it has no model.
    <article
      className={className}
      aria-label={message.model === null && assistantName !== null ? t('assistants.openingFrom', { name: assistantName }) : t('chat.answerFrom', { model: message.model ?? '' })}
      aria-busy={live}
    >
      <div className="message-body">
        <ToolCalls calls={message.toolCalls ?? []} />
        {text === '' && live ? <p className="typing" aria-label={t('chat.waiting')}>…</p> : <Markdown text={text} />}
        {message.notices.map((notice) => (
          <p key={notice} className="notice">
            {notice}
          </p>
        ))}
        {message.status === 'cancelled' && <p className="status-note">{t('chat.stopped')}</p>}
        {message.status === 'interrupted' && <p className="status-note">{t('chat.interrupted')}</p>}
        {message.status === 'streaming' && !streaming && <p className="status-note">{t('chat.elsewhere')}</p>}
        {message.error && <ErrorFix error={message.error} model={message.model} onRetryWith={actions.onRetryWith} />}
      </div>
      <AnswerFooter message={message} />
      {!live && (
        <div className="message-actions">
          {text !== '' && (
            <button type="button" className="link-button" onClick={copy}>
              {t('chat.copy')}
            </button>
          )}
          {isLastAnswer && (
            <button type="button" className="link-button" onClick={actions.onRegenerate} disabled={streaming}>
              {t('chat.regenerate')}
            </button>
          )}
        </div>
      )}
    </article>
  );
});
