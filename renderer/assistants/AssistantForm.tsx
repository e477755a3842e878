import { useEffect, useId, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Assistant } from '../../shared/assistants';
import { modelRoles } from '../../shared/choices';
import type { ModelCatalogue } from '../../shared/models';
import { PROVIDER_LABELS } from '../chat/ModelPicker';
import { call, IpcCallError } from '../ipc/client';
import { ASSISTANT_LIMITS, draftFields, draftOf, isKnownModel, parseDraft, problemsInMessage, type AssistantDraft, type DraftField, type FieldProblem } from './assistant-input';
import { isRole } from './assistant-model';

/**
 * Makes a new assistant (`assistant` null) or changes one of the user's own: name, description,
 * instructions, preferred model or role, temperature and opening message. Checked here first,
 * each problem next to its field; main checks again, and what it refuses is shown the same way
 * (or above the buttons, when it is not about one field).
 */
export function AssistantForm({
  assistant,
  catalogue,
  lockId,
  onSaved,
  onCancel,
}: {
  assistant: Assistant | null;
  catalogue: ModelCatalogue | null;
  lockId: string | null;
  onSaved: (assistant: Assistant, created: boolean) => void;
  onCancel: () => void;
}) {
  const { t, i18n } = useTranslation();
  const base = useId();
  const headingId = `${base}-heading`;
  const fieldId = (field: DraftField) => `${base}-${field}`;
  const [draft, setDraft] = useState<AssistantDraft>(() => draftOf(assistant, i18n.language));
  const [problems, setProblems] = useState<Partial<Record<DraftField, string>>>({});
  const [failure, setFailure] = useState<{ message: string; hint: string | null } | null>(null);
  const [saving, setSaving] = useState(false);
  const locked = lockId !== null;

  useEffect(() => {
    document.getElementById(fieldId('name'))?.focus();
  }, []); // eslint-disable-line react-hooks/exhaustive-deps

  const problemText = (field: DraftField, problem: FieldProblem) => {
    if (problem === 'temperature') return t('assistants.temperatureProblem');
    if (problem === 'required') return field === 'name' ? t('assistants.nameRequired') : t('assistants.instructionsRequired');
    return t('assistants.tooLong', { max: (ASSISTANT_LIMITS[field as keyof typeof ASSISTANT_LIMITS] ?? 0).toLocaleString(i18n.language) });
  };

  const showProblems = (found: Partial<Record<DraftField, string>>) => {
    setProblems(found);
    const first = draftFields.find((field) => found[field] !== undefined);
    if (first) document.getElementById(fieldId(first))?.focus();
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setFailure(null);
    const parsed = parseDraft(draft);
    if (!parsed.ok) {
      showProblems(Object.fromEntries(Object.entries(parsed.problems).map(([field, problem]) => [field, problemText(field as DraftField, problem)])));
      return;
    }
    setProblems({});
    setSaving(true);
    const save = assistant ? call('assistants:update', { id: assistant.id, fields: parsed.fields }) : call('assistants:add', parsed.fields);
    save.then(
      (saved) => {
        setSaving(false);
        onSaved(saved, assistant === null);
      },
      (error: unknown) => {
        setSaving(false);
        const message = error instanceof Error ? error.message : String(error);
        const byField = error instanceof IpcCallError && error.code === 'invalid_request' ? problemsInMessage(message) : {};
        if (Object.keys(byField).length > 0) showProblems(byField);
        else setFailure({ message, hint: error instanceof IpcCallError ? (error.hint ?? null) : null });
      },
    );
  };

  const change = (field: DraftField) => (event: { target: { value: string } }) => setDraft((current) => ({ ...current, [field]: event.target.value }));

  const field = (name: DraftField, label: string, control: (props: { id: string; 'aria-invalid': true | undefined; 'aria-describedby': string | undefined; disabled: boolean }) => ReactNode, help?: string) => {
    const problem = problems[name];
    const errorId = `${fieldId(name)}-error`;
    const helpId = `${fieldId(name)}-help`;
    const describedBy = [problem ? errorId : null, help ? helpId : null, locked ? lockId : null].filter(Boolean).join(' ') || undefined;
    return (
      <div className="settings-field assistant-field">
        <label htmlFor={fieldId(name)}>{label}</label>
        {control({ id: fieldId(name), 'aria-invalid': problem ? true : undefined, 'aria-describedby': describedBy, disabled: locked || saving })}
        {problem && (
          <p id={errorId} className="field-error">
            {problem}
          </p>
        )}
        {help && (
          <p id={helpId} className="muted">
            {help}
          </p>
        )}
      </div>
    );
  };

  const roleModel = (role: string) => catalogue?.roles.find((candidate) => candidate.role === role)?.model ?? null;
  const groups = catalogue?.groups.filter((group) => group.models.length > 0) ?? [];
  // A model the catalogue does not list now (another privacy setting, a key removed) stays choosable, so an edit does not lose it.
  const unlisted = draft.model !== '' && !isRole(draft.model) && !isKnownModel(draft.model, catalogue);

  return (
    <section className="card assistant-form-card" aria-labelledby={headingId}>
      <h2 id={headingId} className="card-heading">
        {assistant ? t('assistants.editTitle', { name: assistant.name }) : t('assistants.newTitle')}
      </h2>
      <form className="settings-form assistant-form" onSubmit={submit} noValidate>
        {field('name', t('assistants.name'), (props) => <input {...props} type="text" autoComplete="off" value={draft.name} onChange={change('name')} />)}
        {field('description', t('assistants.description'), (props) => <input {...props} type="text" autoComplete="off" value={draft.description} onChange={change('description')} />, t('assistants.descriptionHelp'))}
        {field(
          'systemPrompt',
          t('assistants.instructions'),
          (props) => <textarea {...props} rows={7} value={draft.systemPrompt} onChange={change('systemPrompt')} />,
          t('assistants.instructionsHelp'),
        )}
        {field(
          'model',
          t('assistants.preferredModel'),
          (props) => (
            <select {...props} value={draft.model} onChange={change('model')}>
              <option value="">{t('assistants.modelPicked')}</option>
              <optgroup label={t('picker.roles')}>
                {modelRoles.map((role) => {
                  const model = roleModel(role);
                  return (
                    <option key={role} value={role}>
                      {model ? t('assistants.roleNow', { role: t(`picker.role_${role}`), model }) : t('assistants.roleNamed', { role: t(`picker.role_${role}`) })}
                    </option>
                  );
                })}
              </optgroup>
              {groups.map((group) => (
                <optgroup key={group.provider} label={group.provider === 'local' ? t('picker.local') : (PROVIDER_LABELS[group.provider] ?? group.provider)}>
                  {group.models.map((model) => (
                    <option key={model.id} value={model.id}>
                      {model.available ? model.id : t('assistants.modelUnavailable', { model: model.id })}
                    </option>
                  ))}
                </optgroup>
              ))}
              {unlisted && <option value={draft.model}>{t('assistants.modelUnavailable', { model: draft.model })}</option>}
            </select>
          ),
          t('assistants.preferredModelHelp'),
        )}
        {field(
          'temperature',
          t('assistants.temperature'),
          (props) => <input {...props} type="text" inputMode="decimal" autoComplete="off" placeholder={t('assistants.temperatureDefault')} value={draft.temperature} onChange={change('temperature')} />,
          t('assistants.temperatureHelp'),
        )}
        {field(
          'openingMessage',
          t('assistants.openingMessage'),
          (props) => <textarea {...props} rows={3} value={draft.openingMessage} onChange={change('openingMessage')} />,
          t('assistants.openingMessageHelp'),
        )}
        {failure && (
          <div className="answer-error" role="alert">
            <p>
              <strong>{t('assistants.saveFailed', { message: failure.message })}</strong>
            </p>
            {failure.hint && <p>{failure.hint}</p>}
          </div>
        )}
        <div className="row">
          <button type="submit" className="button button-primary" disabled={locked || saving} aria-describedby={lockId ?? undefined}>
            {assistant ? t('assistants.saveChanges') : t('assistants.create')}
          </button>
          <button type="button" className="button" onClick={onCancel}>
            {t('assistants.cancel')}
          </button>
        </div>
      </form>
    </section>
  );
}
