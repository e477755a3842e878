import { useTranslation } from 'react-i18next';
import { EmptyState } from '../components/EmptyState';
import { ViewSection } from '../components/ViewSection';

/** The conversation view; empty until providers and conversations arrive. */
export function ChatView() {
  const { t } = useTranslation();
  return (
    <ViewSection title={t('chat.title')} className="view-chat">
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
    </ViewSection>
  );
}
