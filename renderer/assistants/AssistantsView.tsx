import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Assistant, AssistantSource } from '../../shared/assistants';
import type { ModelCatalogue } from '../../shared/models';
import { ViewSection } from '../components/ViewSection';
import { call, IpcCallError } from '../ipc/client';
import { useNavigation } from '../navigation';
import { AssistantCard, assistantCardId, type AssistantActions } from './AssistantCard';
import { AssistantForm } from './AssistantForm';
import { useAssistantList } from './use-assistant-list';

type Failure = { message: string; hint: string | null };
/** What was just done, said in the UI's language when shown (it may change meanwhile). */
type Done = { what: 'created' | 'saved' | 'duplicated' | 'deleted'; name: string } | null;
/** The form: closed, a new assistant (null), or one of the user's own being edited. */
type Editing = { assistant: Assistant | null } | null;

// The user's own before the built-in ones: those are what a teacher made and comes back to.
const SECTIONS: readonly { source: AssistantSource; title: string }[] = [
  { source: 'school', title: 'assistants.schoolTitle' },
  { source: 'user', title: 'assistants.ownTitle' },
  { source: 'builtin', title: 'assistants.builtinTitle' },
];

/**
 * Assistants: the school's (read-only, "from your school"), the built-in ones (read-only; a
 * copy can be made) and the user's own (edit, duplicate, delete), each with "Start a chat"; the
 * form to make or change one. While the class is locked or the school manages the settings,
 * everything that changes an assistant is disabled and the reason is shown.
 */
export function AssistantsView() {
  const { t } = useTranslation();
  const { startChat } = useNavigation();
  const { list, failure: loadFailure, refresh } = useAssistantList();
  const [catalogue, setCatalogue] = useState<ModelCatalogue | null>(null);
  const [editing, setEditing] = useState<Editing>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<Done>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  const lockId = useId();
  const schoolOnlyId = useId();
  const lockedBy = list?.lockedBy ?? null;

  useEffect(() => {
    call('models:get-catalogue').then(setCatalogue, () => undefined);
  }, []);

  // After a change, the focus goes to the card it concerns (or to "New assistant"), once that is rendered.
  const focusTarget = useRef<string | null>(null);
  const focusLater = (id: string | null) => {
    focusTarget.current = id === null ? 'assistants-new' : assistantCardId(id);
  };
  useEffect(() => {
    const element = focusTarget.current === null ? null : document.getElementById(focusTarget.current);
    if (!element) return;
    element.focus();
    focusTarget.current = null;
  }, [list, editing, busy]);

  const fail = (error: unknown) => {
    setBusy(false);
    setFailure({ message: error instanceof Error ? error.message : String(error), hint: error instanceof IpcCallError ? (error.hint ?? null) : null });
    // Locked meanwhile (a teacher locked the class, the school's policy changed): the list says so.
    if (error instanceof IpcCallError && error.code === 'settings_locked') void refresh();
  };

  const begin = () => {
    setBusy(true);
    setFailure(null);
    setDone(null);
  };

  const actions: AssistantActions = {
    onStart: (assistant) => startChat(assistant.id),
    onEdit: (assistant) => {
      setFailure(null);
      setEditing({ assistant });
    },
    onDuplicate: (assistant) => {
      begin();
      call('assistants:duplicate', { id: assistant.id, copyName: t('assistants.copyName', { name: assistant.name }).slice(0, 80) }).then(async (copy) => {
        await refresh();
        setBusy(false);
        setDone({ what: 'duplicated', name: copy.name });
        setEditing({ assistant: copy });
      }, fail);
    },
    onDelete: (assistant) => {
      begin();
      call('assistants:remove', { id: assistant.id }).then(async () => {
        focusLater(null);
        await refresh();
        setBusy(false);
        setDone({ what: 'deleted', name: assistant.name });
        if (editing?.assistant?.id === assistant.id) setEditing(null);
      }, fail);
    },
  };

  const doneText = ({ what, name }: NonNullable<Done>) => {
    switch (what) {
      case 'created':
        return t('assistants.created', { name });
      case 'saved':
        return t('assistants.saved', { name });
      case 'duplicated':
        return t('assistants.duplicated', { name });
      default:
        return t('assistants.deleted', { name });
    }
  };

  const lockText = lockedBy === 'classroom-lock' ? t('assistants.lockedClassroom') : lockedBy === 'policy' ? t('assistants.lockedPolicy') : null;

  return (
    <ViewSection title={t('assistants.title')} className="view-assistants">
      <p className="muted view-about">{t('assistants.about')}</p>
      {lockText && (
        <p id={lockId} className="budget-locked">
          {lockText}
        </p>
      )}
      {list?.schoolOnly && (
        <p id={schoolOnlyId} className="banner banner-warning">
          {t('assistants.schoolOnlyNote')}
        </p>
      )}
      {loadFailure && (
        <p className="banner banner-error" role="alert">
          {t('assistants.loadFailed', { message: loadFailure })}
        </p>
      )}
      <div className="row">
        <button
          id="assistants-new"
          type="button"
          className="button button-primary"
          disabled={lockedBy !== null || busy || editing !== null}
          aria-describedby={lockText ? lockId : undefined}
          onClick={() => {
            setFailure(null);
            setEditing({ assistant: null });
          }}
        >
          {t('assistants.new')}
        </button>
        <span className="save-status" role="status">
          {done && doneText(done)}
        </span>
      </div>
      {failure && (
        <div className="answer-error" role="alert">
          <p>
            <strong>{failure.message}</strong>
          </p>
          {failure.hint && <p>{failure.hint}</p>}
        </div>
      )}
      {editing && (
        <AssistantForm
          key={editing.assistant?.id ?? 'new'}
          assistant={editing.assistant}
          catalogue={catalogue}
          lockId={lockText ? lockId : null}
          onSaved={(saved, created) => {
            setEditing(null);
            setDone({ what: created ? 'created' : 'saved', name: saved.name });
            focusLater(saved.id);
            void refresh();
          }}
          onCancel={() => {
            const id = editing.assistant?.id ?? null;
            setEditing(null);
            focusLater(id);
          }}
        />
      )}
      {list === null && !loadFailure && <p className="muted">{t('app.loading')}</p>}
      {list &&
        SECTIONS.map(({ source, title }) => {
          const assistants = list.assistants.filter((assistant) => assistant.source === source);
          if (source === 'school' && assistants.length === 0) return null;
          return (
            <section key={source} className="assistant-section" aria-labelledby={`assistants-${source}`}>
              <h2 id={`assistants-${source}`} className="section-title">
                {t(title)}
              </h2>
              {assistants.length === 0 ? (
                <p className="muted">{t('assistants.noneOwn')}</p>
              ) : (
                <ul className="assistant-list">
                  {assistants.map((assistant) => (
                    <li key={assistant.id}>
                      <AssistantCard
                        assistant={assistant}
                        lockId={lockText ? lockId : null}
                        // Where the school allows only its assistants, a chat with another cannot start.
                        startBlockedBy={list.schoolOnly && source !== 'school' ? schoolOnlyId : null}
                        busy={busy}
                        actions={actions}
                      />
                    </li>
                  ))}
                </ul>
              )}
            </section>
          );
        })}
    </ViewSection>
  );
}
