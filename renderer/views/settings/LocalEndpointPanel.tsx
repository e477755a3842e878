import { useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { GatewayStatus } from '../../../shared/gateway';
import { CopyButton } from '../../components/CopyButton';
import { FailureNotice } from '../../gateway/FailureNotice';
import { failureOf, useEndpointLock, type Failure, type SaveGateway } from '../../gateway/gateway-lock';
import { MAX_PORT, MIN_PORT, parsePort, type PortProblem } from '../../gateway/gateway-input';
import { useGatewayStatus } from '../../gateway/use-gateway';
import { useSettings } from '../../settings/SettingsProvider';
import { AllowedOrigins } from './AllowedOrigins';
import { EndpointTokens } from './EndpointTokens';

/** Where the endpoint answers on a port (it listens on loopback only). */
const baseUrlFor = (port: number) => `http://127.0.0.1:${port}/v1`;

/**
 * Settings → Local endpoint: tools that speak the OpenAI API chat through Atelier (same tier,
 * lists, budget and record). Switched on and off, its port, its status (running where, or why it
 * could not start and what to do), a token per tool, the browser pages allowed to call it, and an
 * example. Under the classroom lock or the school's locked settings every change is disabled,
 * saying why; main refuses them anyway, and a refusal is shown in place.
 */
export function LocalEndpointPanel() {
  const { t } = useTranslation();
  const { state, update } = useSettings();
  const status = useGatewayStatus();
  const { lock, reload: reloadLock } = useEndpointLock(state);
  const lockId = useId();
  const switchId = useId();
  const [pending, setPending] = useState<boolean | null>(null);
  const [switchFailure, setSwitchFailure] = useState<Failure | null>(null);

  if (!state) return null;
  const gateway = state.settings.gateway;
  const locked = lock !== null;
  const lockText = lock === 'classroom' ? t('gateway.lockedClassroom') : lock === 'school' ? t('gateway.lockedSchool') : null;

  /** Saves a change of the gateway settings: null when saved, else what main said (the lock is read again if it was one). */
  const save: SaveGateway = (patch) =>
    update({ gateway: patch }).then(
      () => null,
      (error: unknown) => {
        const failure = failureOf(error);
        if (failure.locked) reloadLock();
        return failure;
      },
    );

  const toggle = (enabled: boolean) => {
    setPending(enabled);
    setSwitchFailure(null);
    void save({ enabled }).then((failure) => {
      setSwitchFailure(failure);
      setPending(null);
    });
  };

  return (
    <fieldset className="card endpoint-panel">
      <legend>{t('gateway.title')}</legend>
      <p className="muted">{t('gateway.about')}</p>
      {lockText && (
        <p id={lockId} className="budget-locked">
          {lockText}
        </p>
      )}
      <div className="endpoint-switch">
        <input
          id={switchId}
          type="checkbox"
          role="switch"
          className="switch"
          checked={pending ?? gateway.enabled}
          disabled={locked || pending !== null}
          aria-describedby={lockText ? lockId : undefined}
          onChange={(event) => toggle(event.target.checked)}
        />
        <label htmlFor={switchId}>{t('gateway.enable')}</label>
      </div>
      <FailureNotice lead={t('gateway.switchFailed')} failure={switchFailure} />
      <EndpointStatus status={status} enabled={gateway.enabled} />
      <PortForm saved={gateway.port} locked={locked} lockId={lockText ? lockId : null} save={save} />
      <EndpointTokens locked={locked} lockId={lockText ? lockId : null} onLocked={reloadLock} />
      <AllowedOrigins saved={gateway.allowedOrigins} locked={locked} lockId={lockText ? lockId : null} save={save} />
      <EndpointExample baseUrl={status?.baseUrl ?? baseUrlFor(gateway.port)} />
    </fieldset>
  );
}

/** Running where (with a copy button), starting, off, or why it could not start and what to do. */
function EndpointStatus({ status, enabled }: { status: GatewayStatus | null; enabled: boolean }) {
  const { t } = useTranslation();
  if (status === null) return null;
  return (
    <>
      <div className="endpoint-status" role="status">
        {status.running && status.baseUrl ? (
          <p className="row">
            <span>
              <span className="endpoint-dot endpoint-dot-on" aria-hidden="true" /> {t('gateway.runningAt')} <code className="path">{status.baseUrl}</code>
            </span>
            <CopyButton text={status.baseUrl} label={t('gateway.copyAddress')} />
          </p>
        ) : status.problem ? (
          <p>{t('gateway.notRunning')}</p>
        ) : (
          <p>
            <span className="endpoint-dot" aria-hidden="true" /> {enabled ? t('gateway.starting') : t('gateway.off')}
          </p>
        )}
      </div>
      {!status.running && status.problem && (
        <div className="banner banner-error endpoint-problem" role="alert">
          <div>
            <strong>{t('gateway.problemTitle')}</strong>
            <p>{status.problem}</p>
            <p>{t('gateway.problemFix')}</p>
          </div>
        </div>
      )}
    </>
  );
}

function PortForm({
  saved,
  locked,
  lockId,
  save,
}: {
  saved: number;
  locked: boolean;
  lockId: string | null;
  save: SaveGateway;
}) {
  const { t } = useTranslation();
  const id = useId();
  const field = useRef<HTMLInputElement>(null);
  // What is typed; null: the field shows the saved port (which may change from the CLI meanwhile).
  const [typed, setTyped] = useState<string | null>(null);
  const [problem, setProblem] = useState<PortProblem | null>(null);
  const [saving, setSaving] = useState(false);
  const [done, setDone] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const text = typed ?? String(saved);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setDone(false);
    setFailure(null);
    const parsed = parsePort(text);
    if (!parsed.ok) {
      setProblem(parsed.problem);
      field.current?.focus();
      return;
    }
    setProblem(null);
    setSaving(true);
    void save({ port: parsed.port }).then((refused) => {
      setSaving(false);
      setFailure(refused);
      if (refused === null) {
        setTyped(null);
        setDone(true);
      }
    });
  };

  const errorId = `${id}-error`;
  return (
    <form className="settings-form" onSubmit={submit} noValidate aria-label={t('gateway.portTitle')}>
      <div className="settings-field">
        <label htmlFor={id}>{t('gateway.port')}</label>
        <div className="row">
          <input
            ref={field}
            id={id}
            type="number"
            inputMode="numeric"
            className="port-input"
            min={MIN_PORT}
            max={MAX_PORT}
            step={1}
            value={text}
            disabled={locked}
            aria-invalid={problem ? true : undefined}
            aria-describedby={[problem ? errorId : null, `${id}-help`, lockId].filter(Boolean).join(' ')}
            onChange={(event) => {
              setTyped(event.target.value);
              setProblem(null);
              setDone(false);
            }}
          />
          <button type="submit" className="button" disabled={locked || saving}>
            {t('gateway.savePort')}
          </button>
          <span className="save-status" role="status">
            {done && t('gateway.portSaved')}
          </span>
        </div>
        {problem && (
          <p id={errorId} className="field-error">
            {problem === 'out-of-range' ? t('gateway.portOutOfRange', { min: MIN_PORT, max: MAX_PORT }) : t('gateway.portNotWhole', { min: MIN_PORT, max: MAX_PORT })}
          </p>
        )}
        <p id={`${id}-help`} className="muted">
          {t('gateway.portHelp', { min: MIN_PORT, max: MAX_PORT })}
        </p>
      </div>
      <FailureNotice lead={t('gateway.portSaveFailed')} failure={failure} />
    </form>
  );
}

/** How a tool uses it: the base URL, the token as its API key, Atelier's model ids. */
function EndpointExample({ baseUrl }: { baseUrl: string }) {
  const { t } = useTranslation();
  const headingId = useId();
  const curl = [
    `curl ${baseUrl}/chat/completions \\`,
    '  -H "Authorization: Bearer atl_…" \\',
    '  -H "Content-Type: application/json" \\',
    `  -d '{"model": "fast", "messages": [{"role": "user", "content": "${t('gateway.exampleHello')}"}]}'`,
  ].join('\n');
  return (
    <section className="endpoint-example" aria-labelledby={headingId}>
      <h3 id={headingId} className="card-heading">
        {t('gateway.exampleTitle')}
      </h3>
      <dl className="facts">
        <dt>{t('gateway.exampleBaseUrl')}</dt>
        <dd>
          <code className="path">{baseUrl}</code>
        </dd>
        <dt>{t('gateway.exampleKey')}</dt>
        <dd>
          {t('gateway.exampleKeyText')} <code className="path">Authorization: Bearer atl_…</code>
        </dd>
        <dt>{t('gateway.exampleModels')}</dt>
        <dd>
          {t('gateway.exampleModelsText')} <code className="path">local/llama3.2:3b</code>, <code className="path">fast</code>, <code className="path">advanced</code>,{' '}
          <code className="path">extreme</code>
        </dd>
      </dl>
      <pre className="endpoint-code" tabIndex={0} aria-label={t('gateway.exampleCode')}>
        <code>{curl}</code>
      </pre>
    </section>
  );
}
