import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { Assistant, AssistantList } from '../../shared/assistants';
import { useNavigation } from '../navigation';

/**
 * In a new conversation: which assistant it starts with (none: a free chat). Where the school
 * allows only its own assistants, only those are offered and one must be picked; `noteId` names
 * the sentence that says so, for the composer to point at too.
 */
export function AssistantPicker({ list, value, onChange, noteId }: { list: AssistantList; value: string | null; onChange: (id: string | null) => void; noteId: string }) {
  const { t } = useTranslation();
  const { go } = useNavigation();
  const id = useId();
  const of = (source: Assistant['source']) => list.assistants.filter((assistant) => assistant.source === source);
  const group = (label: string, assistants: Assistant[]) =>
    assistants.length > 0 && (
      <optgroup label={label}>
        {assistants.map((assistant) => (
          <option key={assistant.id} value={assistant.id}>
            {assistant.name}
          </option>
        ))}
      </optgroup>
    );

  return (
    <div className="assistant-picker">
      <div className="row">
        <label htmlFor={id}>{t('assistants.pickerLabel')}</label>
        <select id={id} value={value ?? ''} aria-describedby={list.schoolOnly ? noteId : undefined} onChange={(event) => onChange(event.target.value === '' ? null : event.target.value)}>
          {list.schoolOnly ? (
            <option value="" disabled>
              {t('assistants.pickSchool')}
            </option>
          ) : (
            <option value="">{t('assistants.noAssistant')}</option>
          )}
          {group(t('assistants.schoolTitle'), of('school'))}
          {!list.schoolOnly && group(t('assistants.builtinTitle'), of('builtin'))}
          {!list.schoolOnly && group(t('assistants.ownTitle'), of('user'))}
        </select>
        <button type="button" className="link-button" onClick={() => go('assistants')}>
          {t('assistants.manage')}
        </button>
      </div>
      {list.schoolOnly && (
        <p id={noteId} className="assistant-school-only">
          {t('assistants.schoolOnlyChat')}
        </p>
      )}
    </div>
  );
}
