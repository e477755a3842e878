import { useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { McpServerEntry } from '../../../shared/tools';
import { FailureNotice } from '../../gateway/FailureNotice';
import { failureOf, type Failure } from '../../gateway/gateway-lock';
import { call } from '../../ipc/client';
import { emptyDraft, fieldOfRefusal, parseDraft, type DraftField, type DraftProblem, type ToolServerDraft } from './tool-server-input';

type Problems = Partial<Record<DraftField, DraftProblem | { refused: string }>>;

/**
 * Adds a tool server: its name, and a program on this computer (command, arguments, environment
 * variables whose values go to the keychain and are never shown again) or an address. Each field
 * is checked here first, each problem said next to its field; main's refusal is put next to the
 * field it is about where it names one.
 */
export function ToolServerForm({
  taken,
  locked,
  lockId,
  onAdded,
  onLocked,
}: {
  taken: readonly string[];
  locked: boolean;
  lockId: string | null;
  onAdded: (name: string, servers: McpServerEntry[]) => void;
  onLocked: () => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const form = useRef<HTMLFormElement>(null);
  const [draft, setDraft] = useState<ToolServerDraft>(emptyDraft);
  const [problems, setProblems] = useState<Problems>({});
  const [failure, setFailure] = useState<Failure | null>(null);
  const [busy, setBusy] = useState(false);

  const change = (patch: Partial<ToolServerDraft>, cleared: DraftField[] = []) => {
    setDraft((before) => ({ ...before, ...patch }));
    if (cleared.length > 0) setProblems((before) => Object.fromEntries(Object.entries(before).filter(([field]) => !cleared.includes(field as DraftField))));
  };
  const setEnv = (index: number, patch: Partial<ToolServerDraft['env'][number]>) =>
    change({ env: draft.env.map((row, at) => (at === index ? { ...row, ...patch } : row)) }, [`env-${index}-name`]);

  /** Moves the focus to the first field with a problem (after React has rendered them). */
  const focusFirstProblem = () =>
    requestAnimationFrame(() => form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setFailure(null);
    const parsed = parseDraft(draft, taken);
    if (!parsed.ok) {
      setProblems(parsed.problems);
      focusFirstProblem();
      return;
    }
    setProblems({});
    setBusy(true);
    const hasValues = Object.keys(parsed.envValues).length > 0;
    call('tools:add-server', { server: parsed.server, ...(hasValues && { envValues: parsed.envValues }) })
      .then(
        (added) => {
          // The values are in the keychain now; the page forgets them.
          setDraft(emptyDraft());
          onAdded(parsed.server.name, added.servers);
        },
        (error: unknown) => {
          const found = failureOf(error);
          if (found.locked) onLocked();
          const field = found.locked ? null : fieldOfRefusal(found.message);
          if (field) {
            setProblems({ [field]: { refused: found.hint ? `${found.message} ${found.hint}` : found.message } });
            focusFirstProblem();
          } else setFailure(found);
        },
      )
      .finally(() => setBusy(false));
  };

  const problemText = (problem: DraftProblem | { refused: string }) => {
    if (typeof problem === 'object') return problem.refused;
    return t(`toolServers.problem_${problem}`);
  };
  /** The props that tie a field to its problem, its help and the lock's reason. */
  const described = (field: DraftField, help?: string) => ({
    'aria-invalid': problems[field] ? true : undefined,
    'aria-describedby': [problems[field] ? `${id}-${field}-error` : null, help ?? null, lockId].filter(Boolean).join(' ') || undefined,
    disabled: locked,
  });
  const problemLine = (field: DraftField) => {
    const problem = problems[field];
    return problem ? (
      <p id={`${id}-${field}-error`} className="field-error">
        {problemText(problem)}
      </p>
    ) : null;
  };

  return (
    <section className="tool-server-add" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`} className="card-heading">
        {t('toolServers.addTitle')}
      </h3>
      <form ref={form} className="settings-form" onSubmit={submit} noValidate aria-labelledby={`${id}-title`}>
        <div className="settings-field">
          <label htmlFor={`${id}-name`}>{t('toolServers.name')}</label>
          <input
            id={`${id}-name`}
            type="text"
            autoComplete="off"
            spellCheck={false}
            value={draft.name}
            {...described('name', `${id}-name-help`)}
            onChange={(event) => change({ name: event.target.value }, ['name'])}
          />
          {problemLine('name')}
          <p id={`${id}-name-help`} className="muted">
            {t('toolServers.nameHelp')}
          </p>
        </div>

        <fieldset className="tool-server-kind" disabled={locked} aria-describedby={lockId ?? undefined}>
          <legend>{t('toolServers.kind')}</legend>
          {(['stdio', 'http'] as const).map((kind) => (
            <label key={kind} className="choice">
              <input type="radio" name={`${id}-kind`} value={kind} checked={draft.kind === kind} onChange={() => change({ kind })} />
              <span>{kind === 'stdio' ? t('toolServers.kindProgram') : t('toolServers.kindAddress')}</span>
            </label>
          ))}
        </fieldset>

        {draft.kind === 'stdio' ? (
          <>
            <div className="settings-field">
              <label htmlFor={`${id}-command`}>{t('toolServers.command')}</label>
              <input
                id={`${id}-command`}
                type="text"
                autoComplete="off"
                spellCheck={false}
                value={draft.command}
                {...described('command', `${id}-command-help`)}
                onChange={(event) => change({ command: event.target.value }, ['command'])}
              />
              {problemLine('command')}
              <p id={`${id}-command-help`} className="muted">
                {t('toolServers.commandHelp')}
              </p>
            </div>
            <div className="settings-field tool-server-wide">
              <label htmlFor={`${id}-args`}>{t('toolServers.args')}</label>
              <input
                id={`${id}-args`}
                type="text"
                autoComplete="off"
                spellCheck={false}
                value={draft.args}
                {...described('args', `${id}-args-help`)}
                onChange={(event) => change({ args: event.target.value }, ['args'])}
              />
              {problemLine('args')}
              <p id={`${id}-args-help`} className="muted">
                {t('toolServers.argsHelp')}
              </p>
            </div>
            <fieldset className="tool-server-env" disabled={locked}>
              <legend>{t('toolServers.env')}</legend>
              <p className="muted">{t('toolServers.envHelp')}</p>
              {draft.env.map((row, index) => {
                const field: DraftField = `env-${index}-name`;
                return (
                  <div key={index} className="env-row">
                    <div className="settings-field">
                      <label htmlFor={`${id}-${field}`}>{t('toolServers.envName', { number: index + 1 })}</label>
                      <input
                        id={`${id}-${field}`}
                        type="text"
                        autoComplete="off"
                        spellCheck={false}
                        value={row.name}
                        {...described(field)}
                        onChange={(event) => setEnv(index, { name: event.target.value })}
                      />
                      {problemLine(field)}
                    </div>
                    <div className="settings-field">
                      <label htmlFor={`${id}-env-${index}-value`}>{t('toolServers.envValue', { number: index + 1 })}</label>
                      <input
                        id={`${id}-env-${index}-value`}
                        type="password"
                        autoComplete="new-password"
                        spellCheck={false}
                        value={row.value}
                        disabled={locked}
                        onChange={(event) => setEnv(index, { value: event.target.value })}
                      />
                    </div>
                    <button
                      type="button"
                      className="button"
                      aria-label={t('toolServers.envRemoveNamed', { number: index + 1 })}
                      onClick={() => {
                        change({ env: draft.env.filter((_, at) => at !== index) });
                        setProblems({});
                      }}
                    >
                      {t('toolServers.envRemove')}
                    </button>
                  </div>
                );
              })}
              <div className="row">
                <button type="button" className="button" onClick={() => change({ env: [...draft.env, { name: '', value: '' }] })}>
                  {t('toolServers.envAdd')}
                </button>
              </div>
            </fieldset>
          </>
        ) : (
          <div className="settings-field tool-server-wide">
            <label htmlFor={`${id}-url`}>{t('toolServers.url')}</label>
            <input
              id={`${id}-url`}
              type="url"
              autoComplete="off"
              spellCheck={false}
              value={draft.url}
              {...described('url', `${id}-url-help`)}
              onChange={(event) => change({ url: event.target.value }, ['url'])}
            />
            {problemLine('url')}
            <p id={`${id}-url-help`} className="muted">
              {t('toolServers.urlHelp')}
            </p>
          </div>
        )}

        <div className="row">
          <button type="submit" className="button button-primary" disabled={locked || busy} aria-describedby={lockId ?? undefined}>
            {t('toolServers.add')}
          </button>
        </div>
        <FailureNotice lead={t('toolServers.notAdded')} failure={failure} />
      </form>
    </section>
  );
}
