import { useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Settings } from '../../../shared/settings';
import { IpcCallError } from '../../ipc/client';
import { MAX_TIMEOUT_S, MIN_TIMEOUT_S, parseTimeout, type TimeoutProblem } from '../../reliability/reliability-input';
import { useSettings } from '../../settings/SettingsProvider';
import { FallbackChains } from './FallbackChains';

type TimeoutName = keyof Settings['reliability'];
type SaveState = { kind: 'idle' } | { kind: 'saving' } | { kind: 'saved' } | { kind: 'failed'; message: string; hint: string | null };

const NAMES: readonly TimeoutName[] = ['firstTokenTimeoutS', 'idleTimeoutS'];

/**
 * Reliability: how long Atelier waits for an answer's first text and through a silence in it
 * (each checked here, whole seconds from 5 to 3600, before it is saved), and the fallback chains.
 */
export function ReliabilityPanel() {
  const { t } = useTranslation();
  const { state } = useSettings();
  if (!state) return null;
  return (
    <fieldset className="card reliability-panel">
      <legend>{t('reliability.title')}</legend>
      <p className="muted">{t('reliability.about')}</p>
      <TimeoutsForm saved={state.settings.reliability} />
      <FallbackChains />
    </fieldset>
  );
}

function TimeoutsForm({ saved }: { saved: Settings['reliability'] }) {
  const { t } = useTranslation();
  const { update } = useSettings();
  const ids = { help: useId(), firstTokenTimeoutS: useId(), idleTimeoutS: useId() };
  const fields = { firstTokenTimeoutS: useRef<HTMLInputElement>(null), idleTimeoutS: useRef<HTMLInputElement>(null) };
  // What is typed; null: the field shows the saved value (which may change from the CLI meanwhile).
  const [typed, setTyped] = useState<Partial<Record<TimeoutName, string>>>({});
  const [problems, setProblems] = useState<Partial<Record<TimeoutName, TimeoutProblem>>>({});
  const [save, setSave] = useState<SaveState>({ kind: 'idle' });
  const text = (name: TimeoutName) => typed[name] ?? String(saved[name]);

  const problemText = (problem: TimeoutProblem) => {
    switch (problem) {
      case 'too-small':
        return t('reliability.timeoutTooSmall', { min: MIN_TIMEOUT_S });
      case 'too-large':
        return t('reliability.timeoutTooLarge', { max: MAX_TIMEOUT_S });
      default:
        return t('reliability.timeoutNotWhole', { min: MIN_TIMEOUT_S, max: MAX_TIMEOUT_S });
    }
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found: Partial<Record<TimeoutName, TimeoutProblem>> = {};
    const values: Partial<Record<TimeoutName, number>> = {};
    for (const name of NAMES) {
      const parsed = parseTimeout(text(name));
      if (parsed.ok) values[name] = parsed.seconds;
      else found[name] = parsed.problem;
    }
    setProblems(found);
    const firstWrong = NAMES.find((name) => found[name] !== undefined);
    if (firstWrong) {
      setSave({ kind: 'idle' });
      fields[firstWrong].current?.focus();
      return;
    }
    setSave({ kind: 'saving' });
    update({ reliability: values }).then(
      () => {
        setTyped({});
        setSave({ kind: 'saved' });
      },
      (error: unknown) =>
        setSave({
          kind: 'failed',
          message: error instanceof Error ? error.message : String(error),
          hint: error instanceof IpcCallError ? (error.hint ?? null) : null,
        }),
    );
  };

  const field = (name: TimeoutName, label: string) => {
    const problem = problems[name];
    const errorId = `${ids[name]}-error`;
    return (
      <div className="settings-field">
        <label htmlFor={ids[name]}>{label}</label>
        <input
          ref={fields[name]}
          id={ids[name]}
          type="number"
          inputMode="numeric"
          min={MIN_TIMEOUT_S}
          max={MAX_TIMEOUT_S}
          step={1}
          value={text(name)}
          aria-invalid={problem ? true : undefined}
          aria-describedby={[problem ? errorId : null, ids.help].filter(Boolean).join(' ')}
          onChange={(event) => {
            setTyped((current) => ({ ...current, [name]: event.target.value }));
            setSave({ kind: 'idle' });
          }}
        />
        {problem && (
          <p id={errorId} className="field-error">
            {problemText(problem)}
          </p>
        )}
      </div>
    );
  };

  return (
    <form className="settings-form" onSubmit={submit} noValidate aria-label={t('reliability.timeoutsTitle')}>
      <h3 className="card-heading">{t('reliability.timeoutsTitle')}</h3>
      <div className="settings-fields">
        {field('firstTokenTimeoutS', t('reliability.firstTokenTimeout'))}
        {field('idleTimeoutS', t('reliability.idleTimeout'))}
      </div>
      <p id={ids.help} className="muted">
        {t('reliability.timeoutHelp', { min: MIN_TIMEOUT_S, max: MAX_TIMEOUT_S })}
      </p>
      <div className="row">
        <button type="submit" className="button button-primary" disabled={save.kind === 'saving'}>
          {t('reliability.saveTimeouts')}
        </button>
        <span className="save-status" role="status">
          {save.kind === 'saved' && t('reliability.saved')}
        </span>
      </div>
      {save.kind === 'failed' && (
        <div className="answer-error" role="alert">
          <p>
            <strong>{t('reliability.saveFailed', { message: save.message })}</strong>
          </p>
          {save.hint && <p>{save.hint}</p>}
        </div>
      )}
    </form>
  );
}
