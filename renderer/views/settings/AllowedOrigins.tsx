import { useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { FailureNotice } from '../../gateway/FailureNotice';
import type { Failure, SaveGateway } from '../../gateway/gateway-lock';
import { MAX_ORIGINS, parseOrigin, type OriginProblem } from '../../gateway/gateway-input';

/**
 * The browser pages allowed to call the endpoint (CORS): listed with Remove, and added one at a
 * time, each checked as an origin (scheme, host, port) before it is saved. Tools outside a
 * browser need nothing here. Disabled, described by `lockId`, while locked.
 */
export function AllowedOrigins({ saved, locked, lockId, save }: { saved: string[]; locked: boolean; lockId: string | null; save: SaveGateway }) {
  const { t } = useTranslation();
  const headingId = useId();
  const fieldId = useId();
  const field = useRef<HTMLInputElement>(null);
  const [typed, setTyped] = useState('');
  const [problem, setProblem] = useState<OriginProblem | null>(null);
  const [busy, setBusy] = useState(false);
  // What was saved last, said in the language shown now (it may change meanwhile).
  const [done, setDone] = useState<{ what: 'added' | 'removed'; origin: string } | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);

  const change = (next: string[], said: NonNullable<typeof done>) => {
    setBusy(true);
    setDone(null);
    setFailure(null);
    return save({ allowedOrigins: next }).then((refused) => {
      setBusy(false);
      setFailure(refused);
      if (refused === null) setDone(said);
      return refused === null;
    });
  };

  const add = (event: FormEvent) => {
    event.preventDefault();
    const parsed = parseOrigin(typed, saved);
    if (!parsed.ok) {
      setProblem(parsed.problem);
      setDone(null);
      field.current?.focus();
      return;
    }
    setProblem(null);
    void change([...saved, parsed.origin], { what: 'added', origin: parsed.origin }).then((ok) => ok && setTyped(''));
  };

  const remove = (origin: string) => {
    void change(
      saved.filter((other) => other !== origin),
      { what: 'removed', origin },
    ).then(() => field.current?.focus());
  };

  const problemText = (found: OriginProblem) => {
    switch (found) {
      case 'empty':
        return t('gateway.originEmpty');
      case 'has-path':
        return t('gateway.originHasPath');
      case 'twice':
        return t('gateway.originTwice');
      case 'too-many':
        return t('gateway.originTooMany', { max: MAX_ORIGINS });
      default:
        return t('gateway.originInvalid');
    }
  };
  const errorId = `${fieldId}-error`;

  return (
    <section className="endpoint-origins" aria-labelledby={headingId}>
      <h3 id={headingId} className="card-heading">
        {t('gateway.originsTitle')}
      </h3>
      <p className="muted">{t('gateway.originsAbout')}</p>
      {saved.length === 0 ? (
        <p>{t('gateway.noOrigins')}</p>
      ) : (
        <ul className="plain-list origin-list" aria-labelledby={headingId}>
          {saved.map((origin) => (
            <li key={origin} className="row">
              <code className="path">{origin}</code>
              <button
                type="button"
                className="button"
                disabled={locked || busy}
                aria-label={t('gateway.removeOrigin', { origin })}
                aria-describedby={lockId ?? undefined}
                onClick={() => remove(origin)}
              >
                {t('gateway.remove')}
              </button>
            </li>
          ))}
        </ul>
      )}
      <form className="settings-form" onSubmit={add} noValidate aria-label={t('gateway.addOrigin')}>
        <div className="settings-field">
          <label htmlFor={fieldId}>{t('gateway.originLabel')}</label>
          <div className="row">
            <input
              ref={field}
              id={fieldId}
              type="url"
              autoComplete="off"
              spellCheck={false}
              placeholder="http://localhost:8888"
              value={typed}
              disabled={locked}
              aria-invalid={problem ? true : undefined}
              aria-describedby={[problem ? errorId : null, lockId].filter(Boolean).join(' ') || undefined}
              onChange={(event) => {
                setTyped(event.target.value);
                setProblem(null);
                setDone(null);
              }}
            />
            <button type="submit" className="button" disabled={locked || busy}>
              {t('gateway.addOrigin')}
            </button>
          </div>
          {problem && (
            <p id={errorId} className="field-error">
              {problemText(problem)}
            </p>
          )}
        </div>
      </form>
      <p className="save-status" role="status">
        {done && (done.what === 'added' ? t('gateway.originAdded', { origin: done.origin }) : t('gateway.originRemoved', { origin: done.origin }))}
      </p>
      <FailureNotice lead={t('gateway.originsSaveFailed')} failure={failure} />
    </section>
  );
}
