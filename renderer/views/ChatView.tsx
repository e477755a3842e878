import { useTranslation } from 'react-i18next';
import { EmptyState } from '../components/EmptyState';

/** The conversation view; empty until providers and conversations arrive. */
export function ChatView() {
  const { t } = useTranslation();
  return (
    <section className="view view-chat" aria-labelledby="chat-title">
      <h1 id="chat-title" className="view-title">
        {t('chat.title')}
      </h1>
      <div className="chat-body">
        <EmptyState title={t('chat.emptyTitle')} body={t('chat.emptyBody')} />
      </div>
      <form className="composer" onSubmit={(event) => event.preventDefault()}>
        <textarea
          className="composer-input"
          placeholder={t('chat.composerPlaceholder')}
          aria-label={t('chat.composerPlaceholder')}
          aria-describedby="composer-note"
          disabled
          rows={2}
        />
        <button type="submit" className="button button-primary" disabled>
          {t('chat.send')}
        </button>
        <p id="composer-note" className="composer-note">
          {t('chat.composerDisabled')}
        </p>
      </form>
    </section>
  );
}
