import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { SNIPPET_MARK_END, SNIPPET_MARK_START, type Conversation, type SearchHit } from '../../shared/conversations';
import { call } from '../ipc/client';

/** A search snippet with its matched words marked, without parsing any HTML. */
function Snippet({ text }: { text: string }) {
  const pieces = text.split(new RegExp(`(${SNIPPET_MARK_START}[^${SNIPPET_MARK_END}]*${SNIPPET_MARK_END})`, 'u'));
  return (
    <>
      {pieces.map((piece, index) =>
        piece.startsWith(SNIPPET_MARK_START) ? <mark key={index}>{piece.slice(1, -1)}</mark> : <span key={index}>{piece}</span>,
      )}
    </>
  );
}

/**
 * The conversations: new, open, rename, delete (with a few seconds to undo), and full-text
 * search over every message.
 */
export function ConversationList({
  conversations,
  currentId,
  onOpen,
  onNew,
  onChanged,
}: {
  conversations: Conversation[];
  currentId: number | null;
  onOpen: (id: number, messageId?: number) => void;
  onNew: () => void;
  onChanged: () => void;
}) {
  const { t } = useTranslation();
  const [query, setQuery] = useState('');
  const [hits, setHits] = useState<SearchHit[] | null>(null);
  const [renaming, setRenaming] = useState<{ id: number; title: string } | null>(null);
  const [deleted, setDeleted] = useState<{ conversation: Conversation; timer: number } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const renameInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    const words = query.trim();
    if (words === '') return;
    const timer = window.setTimeout(() => {
      call('conversations:search', { query: words }).then(
        (result) => setHits(result.hits),
        (error: unknown) => setProblem((error as Error).message),
      );
    }, 150);
    return () => window.clearTimeout(timer);
  }, [query]);

  useEffect(() => {
    if (renaming) renameInput.current?.focus();
  }, [renaming]);

  const saveRename = () => {
    if (!renaming) return;
    call('conversations:rename', { id: renaming.id, title: renaming.title }).then(
      () => {
        setRenaming(null);
        setProblem(null);
        onChanged();
      },
      (error: unknown) => setProblem((error as Error).message),
    );
  };

  const remove = (conversation: Conversation) => {
    call('conversations:delete', { id: conversation.id }).then(
      ({ undoSeconds }) => {
        if (deleted) window.clearTimeout(deleted.timer);
        const timer = window.setTimeout(() => setDeleted(null), undoSeconds * 1000);
        setDeleted({ conversation, timer });
        if (conversation.id === currentId) onNew();
        onChanged();
      },
      (error: unknown) => setProblem((error as Error).message),
    );
  };

  const undo = () => {
    if (!deleted) return;
    window.clearTimeout(deleted.timer);
    call('conversations:restore', { id: deleted.conversation.id }).then(
      () => {
        setDeleted(null);
        onChanged();
      },
      (error: unknown) => {
        setDeleted(null);
        setProblem((error as Error).message);
      },
    );
  };

  return (
    <nav className="conversations" aria-label={t('chat.conversations')}>
      <button type="button" className="button button-primary" onClick={onNew}>
        {t('chat.newConversation')}
      </button>
      <input type="search" className="conversation-search" aria-label={t('chat.search')} placeholder={t('chat.search')} value={query} onChange={(event) => setQuery(event.target.value)} />
      {problem && (
        <p className="banner banner-error" role="alert">
          {problem}
        </p>
      )}
      {deleted && (
        <p className="undo-bar" role="status">
          {t('chat.deleted', { title: deleted.conversation.title || t('chat.untitled') })}{' '}
          <button type="button" className="link-button" onClick={undo}>
            {t('chat.undo')}
          </button>
        </p>
      )}
      {query.trim() !== '' && hits !== null ? (
        <ul className="conversation-items" aria-label={t('chat.searchResults')}>
          {hits.length === 0 && <li className="muted">{t('chat.noHits')}</li>}
          {hits.map((hit) => (
            <li key={hit.messageId}>
              <button type="button" className="conversation-item" onClick={() => onOpen(hit.conversationId, hit.messageId)}>
                <span className="conversation-title">{hit.conversationTitle || t('chat.untitled')}</span>
                <span className="conversation-snippet">
                  <Snippet text={hit.snippet} />
                </span>
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <ul className="conversation-items">
          {conversations.length === 0 && <li className="muted">{t('chat.noConversations')}</li>}
          {conversations.map((conversation) => (
            <li key={conversation.id} className="conversation-row">
              {renaming?.id === conversation.id ? (
                <input
                  ref={renameInput}
                  aria-label={t('chat.renameLabel')}
                  value={renaming.title}
                  onChange={(event) => setRenaming({ id: conversation.id, title: event.target.value })}
                  onKeyDown={(event) => {
                    if (event.key === 'Enter') saveRename();
                    if (event.key === 'Escape') setRenaming(null);
                  }}
                  onBlur={() => setRenaming(null)}
                />
              ) : (
                <button type="button" className="conversation-item" aria-current={conversation.id === currentId ? 'true' : undefined} onClick={() => onOpen(conversation.id)}>
                  <span className="conversation-title">{conversation.title || t('chat.untitled')}</span>
                </button>
              )}
              <span className="conversation-actions">
                <button type="button" className="link-button" aria-label={t('chat.renameNamed', { title: conversation.title })} onClick={() => setRenaming({ id: conversation.id, title: conversation.title })}>
                  {t('chat.rename')}
                </button>
                <button type="button" className="link-button" aria-label={t('chat.deleteNamed', { title: conversation.title })} onClick={() => remove(conversation)}>
                  {t('chat.delete')}
                </button>
              </span>
            </li>
          ))}
        </ul>
      )}
    </nav>
  );
}
