import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Assistant } from '../../shared/assistants';
import { isRole } from './assistant-model';
import { temperatureText } from './assistant-input';

export interface AssistantActions {
  onStart: (assistant: Assistant) => void;
  onDuplicate: (assistant: Assistant) => void;
  onEdit: (assistant: Assistant) => void;
  onDelete: (assistant: Assistant) => void;
}

export const assistantCardId = (id: string) => `assistant-${id}`;

/**
 * One assistant: its name, where it comes from, what it is for, its model and temperature, its
 * instructions (folded), and what can be done with it. The school's and the built-in ones are
 * read-only (a copy can be made); the user's own can be edited and deleted, the latter after a
 * confirmation. While `lockId` is set, the changing buttons are disabled and described by it.
 */
export function AssistantCard({
  assistant,
  lockId,
  startBlockedBy,
  busy,
  actions,
}: {
  assistant: Assistant;
  lockId: string | null;
  /** The id of the sentence that says why no chat can start with it (the school allows only its own); null when one can. */
  startBlockedBy: string | null;
  busy: boolean;
  actions: AssistantActions;
}) {
  const { t, i18n } = useTranslation();
  const headingId = useId();
  const [confirming, setConfirming] = useState(false);
  const keep = useRef<HTMLButtonElement>(null);
  const deleteButton = useRef<HTMLButtonElement>(null);
  const own = assistant.source === 'user';
  const changeDisabled = lockId !== null || busy;
  // Each "Edit" or "Delete" is told apart by the assistant's name (and, while locked, why it is disabled).
  const describedBy = [headingId, lockId].filter(Boolean).join(' ');

  useEffect(() => {
    if (confirming) keep.current?.focus();
  }, [confirming]);

  const model =
    assistant.model === null ? t('assistants.modelPicked') : isRole(assistant.model) ? t('assistants.roleNamed', { role: t(`picker.role_${assistant.model}`) }) : assistant.model;
  const temperature = assistant.temperature === null ? t('assistants.temperatureDefault') : temperatureText(assistant.temperature, i18n.language);

  return (
    <article id={assistantCardId(assistant.id)} className="card assistant-card" aria-labelledby={headingId} tabIndex={-1}>
      <div className="assistant-card-head">
        <h3 id={headingId} className="assistant-name">
          {assistant.name}
        </h3>
        {assistant.source === 'school' && <span className="badge badge-school">{t('assistants.fromSchool')}</span>}
        {assistant.source === 'builtin' && <span className="badge">{t('assistants.builtIn')}</span>}
      </div>
      {assistant.description && <p className="assistant-description">{assistant.description}</p>}
      <dl className="facts assistant-facts">
        <dt>{t('assistants.model')}</dt>
        <dd>{model}</dd>
        <dt>{t('assistants.temperature')}</dt>
        <dd>{temperature}</dd>
        {assistant.openingMessage && (
          <>
            <dt>{t('assistants.openingMessage')}</dt>
            <dd>{assistant.openingMessage}</dd>
          </>
        )}
      </dl>
      <details className="assistant-prompt">
        <summary>{t('assistants.showInstructions')}</summary>
        <p>{assistant.systemPrompt}</p>
      </details>
      {confirming ? (
        <div className="assistant-confirm" role="group" aria-label={t('assistants.confirmDeleteLabel', { name: assistant.name })}>
          <p>{t('assistants.confirmDelete', { name: assistant.name })}</p>
          <div className="row">
            <button
              type="button"
              className="button button-danger"
              disabled={changeDisabled}
              onClick={() => {
                setConfirming(false);
                actions.onDelete(assistant);
              }}
            >
              {t('assistants.deleteConfirmed')}
            </button>
            <button
              ref={keep}
              type="button"
              className="button"
              onClick={() => {
                setConfirming(false);
                requestAnimationFrame(() => deleteButton.current?.focus());
              }}
            >
              {t('assistants.keep')}
            </button>
          </div>
        </div>
      ) : (
        <div className="row assistant-actions">
          <button
            type="button"
            className="button button-primary"
            disabled={startBlockedBy !== null}
            aria-describedby={[headingId, startBlockedBy].filter(Boolean).join(' ')}
            onClick={() => actions.onStart(assistant)}
          >
            {t('assistants.startChat')}
          </button>
          {own && (
            <button type="button" className="button" disabled={changeDisabled} aria-describedby={describedBy} onClick={() => actions.onEdit(assistant)}>
              {t('assistants.edit')}
            </button>
          )}
          <button type="button" className="button" disabled={changeDisabled} aria-describedby={describedBy} onClick={() => actions.onDuplicate(assistant)}>
            {t('assistants.duplicate')}
          </button>
          {own && (
            <button ref={deleteButton} type="button" className="button button-danger" disabled={changeDisabled} aria-describedby={describedBy} onClick={() => setConfirming(true)}>
              {t('assistants.delete')}
            </button>
          )}
        </div>
      )}
    </article>
  );
}
