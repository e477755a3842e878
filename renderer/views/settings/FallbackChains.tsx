import { useCallback, useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ReliabilityStatus } from '../../../shared/reliability';
import { call, IpcCallError } from '../../ipc/client';
import { draftsOf, MAX_CHAIN_MODELS, MAX_CHAINS, parseChains, type ChainDraft, type ChainProblem } from '../../reliability/reliability-input';
import { useSettings } from '../../settings/SettingsProvider';

type Row = ChainDraft & { key: number };

/** Keys for the editor's rows, so React keeps each row's fields as rows are added and removed. */
let nextRowKey = 0;
const withKey = (draft: ChainDraft): Row => ({ ...draft, key: nextRowKey++ });
type Notice = { kind: 'saved' } | { kind: 'failed'; message: string; hint: string | null } | null;
type InForce = NonNullable<ReliabilityStatus['fallbacks']>;

/**
 * The fallback chains in force (the school's, when its policy file sets them): listed, with the
 * CLI command that sets them, and an editor (a model id per line) unless the school's policy or
 * the classroom lock keeps them, which it then says. A refusal from main (a lock set meanwhile)
 * is shown in place.
 */
export function FallbackChains() {
  const { t } = useTranslation();
  const { state } = useSettings();
  const [inForce, setInForce] = useState<InForce | null>(null);
  const [editing, setEditing] = useState(false);
  const [notice, setNotice] = useState<Notice>(null);
  const editButton = useRef<HTMLButtonElement>(null);
  const refocus = useRef(false);
  const headingId = useId();

  // Read again whenever the settings change (here, from the CLI, a lock): main knows what is in force.
  const reload = useCallback(() => {
    call('reliability:get-status', {}).then(
      (status) => setInForce(status.fallbacks ?? null),
      () => setInForce(null),
    );
  }, []);
  useEffect(() => reload(), [reload, state]);

  // When the editor closes, the focus goes back to the button that opened it (once it is there again).
  useEffect(() => {
    if (editing || !refocus.current) return;
    refocus.current = false;
    editButton.current?.focus();
  }, [editing]);

  if (!state) return null;
  // Until main has said (or where it cannot), the chains as saved in the settings.
  const chains = inForce?.chains ?? state.settings.fallbacks;
  const entries = Object.entries(chains);
  const lockedBy = inForce?.lockedBy ?? null;
  const lockText =
    lockedBy === 'classroom-lock' ? t('reliability.chainsLockedClassroom') : inForce?.source === 'policy' ? t('reliability.chainsFromPolicy') : t('reliability.chainsLockedSchool');

  const closeEditor = (saved: boolean) => {
    refocus.current = true;
    setEditing(false);
    if (saved) setNotice({ kind: 'saved' });
  };

  return (
    <section className="fallback-chains" aria-labelledby={headingId}>
      <h3 id={headingId} className="card-heading">
        {t('reliability.chainsTitle')}
      </h3>
      <p className="muted">{t('reliability.chainsAbout')}</p>
      {lockedBy && <p className="budget-locked">{lockText}</p>}
      {editing ? (
        <ChainEditor
          initial={chains}
          onSaved={() => closeEditor(true)}
          onCancel={() => closeEditor(false)}
          onRefused={(failure) => {
            setNotice(failure);
            reload();
          }}
        />
      ) : (
        <>
          {entries.length === 0 ? (
            <p>{t('reliability.noChains')}</p>
          ) : (
            <ul className="plain-list chain-list" aria-label={t('reliability.chainsTitle')}>
              {entries.map(([from, models]) => (
                <li key={from}>
                  <code className="path">{from}</code>
                  {models.map((model) => (
                    <span key={model}>
                      <span aria-hidden="true"> → </span>
                      <span className="visually-hidden">{t('reliability.chainThen')} </span>
                      <code className="path">{model}</code>
                    </span>
                  ))}
                </li>
              ))}
            </ul>
          )}
          <div className="row">
            {!lockedBy && (
              <button
                ref={editButton}
                type="button"
                className="button"
                onClick={() => {
                  setNotice(null);
                  setEditing(true);
                }}
              >
                {entries.length === 0 ? t('reliability.addChains') : t('reliability.editChains')}
              </button>
            )}
          </div>
        </>
      )}
      <p className="muted">
        {t('reliability.chainsCli')} <code className="path">atelier fallback set MODEL_OR_ROLE FALLBACK…</code>
      </p>
      <p className="save-status" role="status">
        {notice?.kind === 'saved' && t('reliability.chainsSaved')}
      </p>
      {notice?.kind === 'failed' && (
        <div className="answer-error" role="alert">
          <p>
            <strong>{t('reliability.chainsSaveFailed', { message: notice.message })}</strong>
          </p>
          {notice.hint && <p>{notice.hint}</p>}
        </div>
      )}
    </section>
  );
}

function ChainEditor({
  initial,
  onSaved,
  onCancel,
  onRefused,
}: {
  initial: Record<string, string[]>;
  onSaved: () => void;
  onCancel: () => void;
  onRefused: (failure: Notice) => void;
}) {
  const { t } = useTranslation();
  const { update } = useSettings();
  const [rows, setRows] = useState<Row[]>(() => {
    const drafts = draftsOf(initial);
    return (drafts.length > 0 ? drafts : [{ from: '', models: '' }]).map(withKey);
  });
  const [problems, setProblems] = useState<(ChainProblem | null)[]>([]);
  const [saving, setSaving] = useState(false);
  const [focusKey, setFocusKey] = useState<number | null>(null);
  const fieldsOf = useRef(new Map<number, { from?: HTMLInputElement; models?: HTMLTextAreaElement }>());
  const addButton = useRef<HTMLButtonElement>(null);
  const baseId = useId();

  // A row just added gets the focus once it is there.
  useEffect(() => {
    if (focusKey !== null) fieldsOf.current.get(focusKey)?.from?.focus();
  }, [focusKey]);

  const keepField = (key: number, name: 'from' | 'models', element: HTMLInputElement | HTMLTextAreaElement | null) => {
    const fields = fieldsOf.current.get(key) ?? {};
    if (element) fieldsOf.current.set(key, { ...fields, [name]: element });
    else {
      delete fields[name];
      if (fields.from === undefined && fields.models === undefined) fieldsOf.current.delete(key);
    }
  };

  const problemText = (problem: ChainProblem) => {
    switch (problem.kind) {
      case 'from-empty':
        return t('reliability.chainFromEmpty');
      case 'from-invalid':
        return t('reliability.chainFromInvalid', { text: problem.text });
      case 'from-twice':
        return t('reliability.chainFromTwice', { text: problem.text });
      case 'models-empty':
        return t('reliability.chainModelsEmpty');
      case 'model-invalid':
        return t('reliability.chainModelInvalid', { text: problem.text });
      case 'own-fallback':
        return t('reliability.chainOwnFallback', { text: problem.text });
      case 'too-many':
        return t('reliability.chainTooMany', { max: MAX_CHAIN_MODELS, count: problem.count });
    }
  };

  const change = (key: number, patch: Partial<ChainDraft>) => setRows((current) => current.map((row) => (row.key === key ? { ...row, ...patch } : row)));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = parseChains(rows);
    if (!parsed.ok) {
      setProblems(parsed.problems);
      // The focus goes to the first field that is wrong.
      const index = parsed.problems.findIndex((problem) => problem !== null);
      const wrong = rows[index];
      const fields = wrong ? fieldsOf.current.get(wrong.key) : undefined;
      (parsed.problems[index]?.kind.startsWith('from') ? fields?.from : fields?.models)?.focus();
      return;
    }
    setProblems([]);
    setSaving(true);
    update({ fallbacks: parsed.chains }).then(
      () => {
        setSaving(false);
        onSaved();
      },
      (error: unknown) => {
        setSaving(false);
        onRefused({ kind: 'failed', message: error instanceof Error ? error.message : String(error), hint: error instanceof IpcCallError ? (error.hint ?? null) : null });
      },
    );
  };

  return (
    <form className="chain-editor" onSubmit={submit} noValidate aria-label={t('reliability.chainsEditor')}>
      {rows.map((row, index) => {
        const problem = problems[index] ?? null;
        const ids = { from: `${baseId}-${row.key}-from`, models: `${baseId}-${row.key}-models`, error: `${baseId}-${row.key}-error` };
        const fromWrong = problem !== null && problem.kind.startsWith('from');
        return (
          <fieldset key={row.key} className="chain-row">
            <legend>{t('reliability.chainNumber', { number: index + 1 })}</legend>
            <div className="settings-field">
              <label htmlFor={ids.from}>{t('reliability.chainFrom')}</label>
              <input
                ref={(element) => keepField(row.key, 'from', element)}
                id={ids.from}
                value={row.from}
                autoComplete="off"
                spellCheck={false}
                placeholder="anthropic/claude-sonnet-4-5"
                aria-invalid={fromWrong ? true : undefined}
                aria-describedby={fromWrong ? ids.error : undefined}
                onChange={(event) => change(row.key, { from: event.target.value })}
              />
            </div>
            <div className="settings-field">
              <label htmlFor={ids.models}>{t('reliability.chainModels', { max: MAX_CHAIN_MODELS })}</label>
              <textarea
                ref={(element) => keepField(row.key, 'models', element)}
                id={ids.models}
                rows={3}
                value={row.models}
                spellCheck={false}
                placeholder={'local/llama3.2:3b'}
                aria-invalid={problem !== null && !fromWrong ? true : undefined}
                aria-describedby={problem !== null && !fromWrong ? ids.error : undefined}
                onChange={(event) => change(row.key, { models: event.target.value })}
              />
            </div>
            {problem && (
              <p id={ids.error} className="field-error">
                {problemText(problem)}
              </p>
            )}
            <div>
              <button
                type="button"
                className="link-button"
                onClick={() => {
                  setRows((current) => current.filter((candidate) => candidate.key !== row.key));
                  setProblems([]);
                  addButton.current?.focus();
                }}
              >
                {t('reliability.removeChainNumber', { number: index + 1 })}
              </button>
            </div>
          </fieldset>
        );
      })}
      <div className="row">
        <button
          ref={addButton}
          type="button"
          className="button"
          disabled={rows.length >= MAX_CHAINS}
          onClick={() => {
            const row = withKey({ from: '', models: '' });
            setRows((current) => [...current, row]);
            setFocusKey(row.key);
          }}
        >
          {t('reliability.addChain')}
        </button>
        <button type="submit" className="button button-primary" disabled={saving}>
          {t('reliability.saveChains')}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          {t('reliability.cancelChains')}
        </button>
      </div>
    </form>
  );
}
