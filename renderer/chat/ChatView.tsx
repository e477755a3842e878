import { useCallback, useEffect, useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ContentPart } from '../../shared/chat';
import type { Conversation, ExportFormat, StoredMessage } from '../../shared/conversations';
import type { ModelCatalogue } from '../../shared/models';
import { AssistantPicker } from '../assistants/AssistantPicker';
import { useAssistantList } from '../assistants/use-assistant-list';
import { usePreferredModel } from '../assistants/use-preferred-model';
import { saveDownload } from '../components/save-download';
import { call } from '../ipc/client';
import { StatusStrip } from '../reliability/StatusStrip';
import { useSettings } from '../settings/SettingsProvider';
import { BudgetBanner } from '../usage/BudgetBanner';
import { useBudget } from '../usage/use-budget';
import { ToolApprovalPrompt } from './ToolApprovalPrompt';
import { Composer } from './Composer';
import { ConversationList } from './ConversationList';
import { FirstRun } from './FirstRun';
import { preloadMarkdown } from './Markdown';
import type { MessageActions } from './MessageItem';
import { MessageList } from './MessageList';
import { ModelPicker } from './ModelPicker';
import { textOfMessage, useChat } from './use-chat';

/**
 * The chat: conversations on the left, the open one on the right, the composer below. A new
 * conversation can start with an assistant (`newChatAssistant`, kept by the app so "Start a
 * chat" in the Assistants view can set it); where the school allows only its assistants, it must.
 */
export function ChatView({ newChatAssistant = null, onNewChatAssistant = () => undefined }: { newChatAssistant?: string | null; onNewChatAssistant?: (id: string | null) => void }) {
  const { t } = useTranslation();
  const { state: settingsState, update } = useSettings();
  const [conversations, setConversations] = useState<Conversation[]>([]);
  const [catalogue, setCatalogue] = useState<ModelCatalogue | null>(null);
  const [highlightId, setHighlightId] = useState<number | null>(null);
  const [editing, setEditing] = useState<{ id: number; text: string } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  const refreshConversations = useCallback(() => {
    call('conversations:list').then(
      (result) => setConversations(result.conversations),
      (error: unknown) => setProblem((error as Error).message),
    );
  }, []);
  const refreshCatalogue = useCallback(() => {
    call('models:get-catalogue').then(setCatalogue, (error: unknown) => setProblem((error as Error).message));
  }, []);

  const chat = useChat(refreshConversations);
  const { state, open, send, regenerate, stop } = chat;
  const settings = settingsState?.settings;
  const model = settings?.chat.model ?? null;
  const busy = state.streaming !== null;
  const { budget, refresh: refreshBudget } = useBudget();
  const { list: assistants } = useAssistantList(settings?.chat.firstRunCompleted === true);
  const schoolOnlyNoteId = useId();

  // The budget banner: read when the view mounts (useBudget) and again when each answer ends.
  useEffect(() => {
    if (chat.answersEnded > 0) refreshBudget();
  }, [chat.answersEnded, refreshBudget]);

  useEffect(() => {
    refreshConversations();
  }, [refreshConversations]);

  // Answers need the Markdown renderer, a chunk of its own: fetched now, after the first paint.
  useEffect(() => preloadMarkdown(), []);

  // The catalogue depends on the tier and the keys: read once settings are there, and again when they change.
  useEffect(() => {
    if (settings) refreshCatalogue();
  }, [settings?.privacy.tier, settings?.endpoints, settings?.bedrock, refreshCatalogue]); // eslint-disable-line react-hooks/exhaustive-deps

  // A local model is loaded into memory when chosen, so the first answer does not wait for it.
  // Failing here is quiet: sending says what is wrong, with its fix.
  useEffect(() => {
    if (model?.startsWith('local/')) call('ollama:load', { model: model.slice('local/'.length) }).catch(() => undefined);
  }, [model]);

  // Esc stops an answer wherever the focus is.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape' && busy) stop();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [busy, stop]);

  const chooseModel = useCallback((next: string) => void update({ chat: { model: next } }).catch((error: unknown) => setProblem((error as Error).message)), [update]);

  // The assistant of the open conversation, or the one picked for a new one.
  const isNew = state.conversation === null;
  const picked = isNew ? (assistants?.assistants.find((assistant) => assistant.id === newChatAssistant) ?? null) : null;
  const assistantName = state.conversation?.assistant?.name ?? picked?.name ?? null;
  const unavailablePreference = usePreferredModel(picked, catalogue, model, chooseModel);
  const mustPickSchoolAssistant = isNew && assistants?.schoolOnly === true && picked?.source !== 'school';

  // Tools are offered where a tool server is enabled (Settings → Tools); each call waits for the user.
  const [toolsOffered, setToolsOffered] = useState(false);
  const [useTools, setUseTools] = useState(false);
  useEffect(() => {
    call('tools:list-servers').then(
      ({ servers }) => setToolsOffered(servers.some((server) => server.enabled)),
      () => setToolsOffered(false),
    );
  }, [state.conversation?.id]);

  const choice = useMemo(() => catalogue?.groups.flatMap((group) => group.models).find((candidate) => candidate.id === model) ?? null, [catalogue, model]);

  const onSend = async (parts: ContentPart[]) => {
    if (model === null) return false;
    setHighlightId(null);
    const sent = await send(model, parts, editing?.id, picked?.id, toolsOffered && useTools);
    if (sent) setEditing(null);
    if (sent && picked) onNewChatAssistant(null);
    return sent;
  };

  const actions: MessageActions = useMemo(
    () => ({
      onEdit: (message: StoredMessage) => setEditing({ id: message.id, text: textOfMessage(message) }),
      onRegenerate: () => {
        if (model) void regenerate(model);
      },
      onRetryWith: (next: string) => {
        chooseModel(next);
        void regenerate(next);
      },
    }),
    [model, regenerate, chooseModel],
  );

  const exportAs = (format: ExportFormat) => {
    if (!state.conversation) return;
    call('conversations:export', { id: state.conversation.id, format }).then(
      (file) => saveDownload(file.fileName, file.mediaType, file.content),
      (error: unknown) => setProblem((error as Error).message),
    );
  };

  if (!settings) return <p className="view">{t('app.loading')}</p>;

  if (!settings.chat.firstRunCompleted) {
    return <FirstRun onDone={refreshCatalogue} />;
  }

  return (
    <section className="view view-chat" aria-label={t('chat.title')}>
      <ConversationList
        conversations={conversations}
        currentId={state.conversation?.id ?? null}
        onOpen={(id, messageId) => {
          setHighlightId(messageId ?? null);
          setEditing(null);
          void open(id).catch((error: unknown) => setProblem((error as Error).message));
        }}
        onNew={() => {
          setHighlightId(null);
          setEditing(null);
          onNewChatAssistant(null);
          void open(null);
        }}
        onChanged={refreshConversations}
      />
      <div className="chat-main">
        <header className="chat-header">
          <div className="chat-heading">
            <h1 className="chat-title">{state.conversation?.title || t('chat.newConversation')}</h1>
            {assistantName && <p className="chat-assistant">{t('assistants.chatWith', { name: assistantName })}</p>}
          </div>
          <ModelPicker catalogue={catalogue} value={model} onChange={chooseModel} onOpen={refreshCatalogue} />
          {state.conversation && (
            <span className="chat-export">
              <button type="button" className="link-button" onClick={() => exportAs('markdown')}>
                {t('chat.exportMarkdown')}
              </button>
              <button type="button" className="link-button" onClick={() => exportAs('json')}>
                {t('chat.exportJson')}
              </button>
            </span>
          )}
        </header>
        {/* Providers that are resting or failing: read when the view opens, after each answer, every 30 s. */}
        <StatusStrip refreshKey={chat.answersEnded} />
        {problem && (
          <p className="banner banner-error" role="alert">
            {problem}
          </p>
        )}
        {state.messages.length === 0 ? (
          <div className="chat-empty">
            <h2>{t('chat.emptyTitle')}</h2>
            {isNew && assistants && <AssistantPicker list={assistants} value={picked?.id ?? null} onChange={onNewChatAssistant} noteId={schoolOnlyNoteId} />}
            {picked?.description && <p className="chat-assistant-description">{picked.description}</p>}
            {unavailablePreference && <p className="muted">{t('assistants.preferredUnavailable', { model: unavailablePreference })}</p>}
            {!mustPickSchoolAssistant && <p>{model ? t('chat.emptyBody', { model }) : t('chat.chooseModelFirst')}</p>}
            {picked?.openingMessage && (
              <article className="message message-assistant opening-message" aria-label={t('assistants.openingFrom', { name: picked.name })}>
                <p className="user-text">{picked.openingMessage}</p>
              </article>
            )}
          </div>
        ) : (
          <MessageList messages={state.messages} busy={busy} highlightId={highlightId} actions={actions} assistantName={state.conversation?.assistant?.name ?? null} />
        )}
        {state.sendError && (
          <div className="banner banner-error" role="alert">
            <div className="banner-text">
              <strong>{state.sendError.message}</strong>
              {state.sendError.hint && <p>{state.sendError.hint}</p>}
            </div>
            <button type="button" className="link-button" onClick={chat.dismissError}>
              {t('chat.dismiss')}
            </button>
          </div>
        )}
        <BudgetBanner budget={budget} />
        <ToolApprovalPrompt />
        {toolsOffered && (
          <label className="use-tools">
            <input type="checkbox" checked={useTools} onChange={(event) => setUseTools(event.target.checked)} /> {t('toolCalls.useTools')}{' '}
            <span className="muted">{t('toolCalls.useToolsHint')}</span>
          </label>
        )}
        <Composer
          model={model}
          blocked={mustPickSchoolAssistant ? t('assistants.schoolOnlyComposer') : null}
          takesImages={choice?.takesImages ?? null}
          busy={busy}
          editing={editing}
          onSend={onSend}
          onStop={stop}
          onCancelEdit={() => setEditing(null)}
        />
      </div>
    </section>
  );
}
