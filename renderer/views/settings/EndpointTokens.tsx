import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ServeToken } from '../../../shared/gateway';
import { CopyButton } from '../../components/CopyButton';
import { call } from '../../ipc/client';
import { FailureNotice } from '../../gateway/FailureNotice';
import { failureOf, type Failure } from '../../gateway/gateway-lock';
import { MAX_TOKEN_NAME, parseTokenName, type TokenNameProblem } from '../../gateway/gateway-input';
import { useServeTokens } from '../../gateway/use-gateway';

type Done = { what: 'revoked'; name: string } | null;

/**
 * The tools' access tokens: made by name (the token shown this once, with a copy button, and
 * never again: main keeps only its fingerprint to check), listed masked with when each was made
 * and last used, and revoked after a confirmation. Disabled, described by `lockId`, while locked.
 */
export function EndpointTokens({ locked, lockId, onLocked }: { locked: boolean; lockId: string | null; onLocked: () => void }) {
  const { t, i18n } = useTranslation();
  const { tokens, reload } = useServeTokens();
  const headingId = useId();
  const nameId = useId();
  const nameField = useRef<HTMLInputElement>(null);
  const newTokenBox = useRef<HTMLDivElement>(null);
  const keepButton = useRef<HTMLButtonElement>(null);
  const revokeButtons = useRef(new Map<string, HTMLButtonElement>());
  const [name, setName] = useState('');
  const [problem, setProblem] = useState<TokenNameProblem | null>(null);
  const [busy, setBusy] = useState(false);
  const [made, setMade] = useState<{ name: string; token: string } | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [done, setDone] = useState<Done>(null);
  const [failure, setFailure] = useState<{ lead: string; failure: Failure } | null>(null);

  // The new token takes the focus, so a screen reader reads it and the note that it is shown only now.
  useEffect(() => {
    if (made) newTokenBox.current?.focus();
  }, [made]);
  useEffect(() => {
    if (confirming) keepButton.current?.focus();
  }, [confirming]);

  const refused = (lead: string, error: unknown) => {
    const found = failureOf(error);
    if (found.locked) onLocked();
    setFailure({ lead, failure: found });
  };

  const create = (event: FormEvent) => {
    event.preventDefault();
    setDone(null);
    setFailure(null);
    const parsed = parseTokenName(name, (tokens ?? []).map((token) => token.name));
    if (!parsed.ok) {
      setProblem(parsed.problem);
      nameField.current?.focus();
      return;
    }
    setProblem(null);
    setBusy(true);
    call('gateway:add-token', { name: parsed.name })
      .then(
        (added) => {
          setName('');
          setMade({ name: added.name, token: added.token });
          reload();
        },
        (error: unknown) => refused(t('gateway.tokenNotMade'), error),
      )
      .finally(() => setBusy(false));
  };

  const revoke = (tokenName: string) => {
    setConfirming(null);
    setDone(null);
    setFailure(null);
    setBusy(true);
    call('gateway:revoke-token', { name: tokenName })
      .then(
        () => {
          setDone({ what: 'revoked', name: tokenName });
          if (made?.name === tokenName) setMade(null);
          reload();
          nameField.current?.focus();
        },
        (error: unknown) => refused(t('gateway.tokenNotRevoked'), error),
      )
      .finally(() => setBusy(false));
  };

  const problemText = (found: TokenNameProblem) => {
    switch (found) {
      case 'empty':
        return t('gateway.tokenNameEmpty');
      case 'too-long':
        return t('gateway.tokenNameTooLong', { max: MAX_TOKEN_NAME });
      case 'twice':
        return t('gateway.tokenNameTwice');
      default:
        return t('gateway.tokenNameCharacters');
    }
  };
  const when = (iso: string | null) => (iso === null ? t('gateway.neverUsed') : new Date(iso).toLocaleString(i18n.language));
  const errorId = `${nameId}-error`;

  return (
    <section className="endpoint-tokens" aria-labelledby={headingId}>
      <h3 id={headingId} className="card-heading">
        {t('gateway.tokensTitle')}
      </h3>
      <p className="muted">{t('gateway.tokensAbout')}</p>

      <form className="settings-form" onSubmit={create} noValidate aria-label={t('gateway.newToken')}>
        <div className="settings-field">
          <label htmlFor={nameId}>{t('gateway.tokenName')}</label>
          <div className="row">
            <input
              ref={nameField}
              id={nameId}
              type="text"
              autoComplete="off"
              spellCheck={false}
              maxLength={MAX_TOKEN_NAME + 20}
              value={name}
              disabled={locked}
              aria-invalid={problem ? true : undefined}
              aria-describedby={[problem ? errorId : null, `${nameId}-help`, lockId].filter(Boolean).join(' ')}
              onChange={(event) => {
                setName(event.target.value);
                setProblem(null);
              }}
            />
            <button type="submit" className="button button-primary" disabled={locked || busy}>
              {t('gateway.createToken')}
            </button>
          </div>
          {problem && (
            <p id={errorId} className="field-error">
              {problemText(problem)}
            </p>
          )}
          <p id={`${nameId}-help`} className="muted">
            {t('gateway.tokenNameHelp')}
          </p>
        </div>
      </form>

      {made && (
        <div ref={newTokenBox} className="token-new" role="group" aria-labelledby={`${nameId}-made`} tabIndex={-1}>
          <p id={`${nameId}-made`}>
            <strong>{t('gateway.tokenMade', { name: made.name })}</strong> {t('gateway.tokenShownOnce')}
          </p>
          <div className="row">
            <code className="path token-value" data-testid="new-token">
              {made.token}
            </code>
          </div>
          <div className="row">
            <CopyButton text={made.token} label={t('gateway.copyToken')} />
            <button type="button" className="button" onClick={() => setMade(null)}>
              {t('gateway.tokenCopiedDone')}
            </button>
          </div>
        </div>
      )}

      <p className="save-status" role="status">
        {done && t('gateway.tokenRevoked', { name: done.name })}
      </p>
      {failure && <FailureNotice lead={failure.lead} failure={failure.failure} />}

      {tokens !== null && tokens.length === 0 && <p>{t('gateway.noTokens')}</p>}
      {tokens !== null && tokens.length > 0 && (
        <div className="table-scroll">
          <table className="models-table tokens-table" aria-labelledby={headingId}>
            <thead>
              <tr>
                <th scope="col">{t('gateway.tokenNameColumn')}</th>
                <th scope="col">{t('gateway.tokenMasked')}</th>
                <th scope="col">{t('gateway.tokenCreated')}</th>
                <th scope="col">{t('gateway.tokenLastUsed')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('gateway.tokenActions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {tokens.map((token: ServeToken) => (
                <tr key={token.name}>
                  <th scope="row">{token.name}</th>
                  <td>
                    <code className="path">{token.masked}</code>
                  </td>
                  <td>{when(token.createdAt)}</td>
                  <td>{when(token.lastUsedAt)}</td>
                  <td>
                    <button
                      ref={(button) => {
                        if (button) revokeButtons.current.set(token.name, button);
                        else revokeButtons.current.delete(token.name);
                      }}
                      type="button"
                      className="button button-danger"
                      disabled={locked || busy || confirming !== null}
                      aria-label={t('gateway.revokeNamed', { name: token.name })}
                      aria-describedby={lockId ?? undefined}
                      onClick={() => {
                        setDone(null);
                        setConfirming(token.name);
                      }}
                    >
                      {t('gateway.revoke')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {confirming && (
        <div className="assistant-confirm" role="group" aria-label={t('gateway.revokeNamed', { name: confirming })}>
          <p>{t('gateway.confirmRevoke', { name: confirming })}</p>
          <div className="row">
            <button type="button" className="button button-danger" disabled={locked || busy} onClick={() => revoke(confirming)}>
              {t('gateway.revokeConfirmed')}
            </button>
            <button
              ref={keepButton}
              type="button"
              className="button"
              onClick={() => {
                setConfirming(null);
                // Back to the row's Revoke, once it is enabled again.
                requestAnimationFrame(() => revokeButtons.current.get(confirming)?.focus());
              }}
            >
              {t('gateway.keepToken')}
            </button>
          </div>
        </div>
      )}
    </section>
  );
}
