import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { StoredSecret } from '../../shared/secrets';
import { call } from '../ipc/client';

/**
 * One secret: what is saved (masked only; the value never comes back from main), a password
 * field to replace it, and remove. `onChange` reloads the overview after a save or removal.
 */
export function SecretField(props: { name: string; label: string; saved: StoredSecret | undefined; sessionOnly: boolean; onChange: () => void }) {
  const { t } = useTranslation();
  const [value, setValue] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const id = useId();

  const save = () => {
    call('providers:set-secret', { name: props.name, value, sessionOnly: props.sessionOnly }).then(
      () => {
        setValue('');
        setMessage(t('providers.saved'));
        props.onChange();
      },
      (error: unknown) => setMessage(String((error as Error).message)),
    );
  };
  const remove = () => {
    call('providers:remove-secret', { name: props.name }).then(
      () => {
        setMessage(t('providers.removed'));
        props.onChange();
      },
      (error: unknown) => setMessage(String((error as Error).message)),
    );
  };

  const state = props.saved
    ? props.saved.storage === 'session'
      ? t('providers.sessionAs', { masked: props.saved.masked })
      : t('providers.savedAs', { masked: props.saved.masked })
    : t('providers.notSet');

  return (
    <div className="secret-field">
      <label htmlFor={id}>
        {props.label} <span className="muted">({state})</span>
      </label>
      <form
        className="row"
        onSubmit={(event) => {
          event.preventDefault();
          save();
        }}
      >
        <input id={id} type="password" autoComplete="off" spellCheck={false} value={value} onChange={(event) => setValue(event.target.value)} />
        <button type="submit" className="button" disabled={value.trim() === ''}>
          {t('providers.save')}
        </button>
        {props.saved && (
          <button type="button" className="button" onClick={remove} aria-label={`${t('providers.remove')} ${props.label}`}>
            {t('providers.remove')}
          </button>
        )}
      </form>
      {message && <p className="muted">{message}</p>}
    </div>
  );
}
