import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { McpServerEntry, ToolInfo } from '../../../shared/tools';
import { RouteBadge } from '../../chat/RouteBadge';
import { FailureNotice } from '../../gateway/FailureNotice';
import { failureOf, type Failure } from '../../gateway/gateway-lock';
import { call } from '../../ipc/client';
import { onLockChanged } from '../../settings/privacy-lock-events';
import { useSettings } from '../../settings/SettingsProvider';
import { ToolServerForm } from './ToolServerForm';
import { quoteArg } from './tool-server-input';

type LockedBy = 'classroom-lock' | 'policy' | null;
/** A server's tools as shown: being asked for, listed, or why not. */
type ToolsShown = { state: 'loading' } | { state: 'listed'; tools: ToolInfo[] } | { state: 'failed'; failure: Failure };

/**
 * Settings → Tools: the MCP servers a model may use (a program on this computer or an address),
 * where each runs, switched on or off, removed after a confirmation, their tools listed on
 * request; and a form to add one. Under the classroom lock or the school's locked settings every
 * change is disabled, saying why; main refuses them anyway, and a refusal is shown in place.
 */
export function ToolsPanel() {
  const { t } = useTranslation();
  const { state } = useSettings();
  const lockId = useId();
  const listId = useId();
  const [servers, setServers] = useState<McpServerEntry[] | null>(null);
  const [lockedBy, setLockedBy] = useState<LockedBy>(null);
  const [shown, setShown] = useState<Record<string, ToolsShown>>({});
  const [pending, setPending] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [done, setDone] = useState<{ what: 'added' | 'removed'; name: string } | null>(null);
  const [failure, setFailure] = useState<{ lead: string; failure: Failure } | null>(null);
  const keepButton = useRef<HTMLButtonElement>(null);
  const removeButtons = useRef(new Map<string, HTMLButtonElement>());
  const listHeading = useRef<HTMLHeadingElement>(null);

  const reload = useCallback(() => {
    call('tools:list-servers').then(
      (listed) => {
        setServers(listed.servers);
        setLockedBy(listed.lockedBy);
      },
      () => setServers(null),
    );
  }, []);
  // Read again when the settings change (the CLI may add one) and when the lock is set or lifted here.
  useEffect(() => reload(), [reload, state]);
  useEffect(() => onLockChanged(reload), [reload]);
  useEffect(() => {
    if (confirming) keepButton.current?.focus();
  }, [confirming]);

  if (servers === null) return null;
  const locked = lockedBy !== null;
  const lockText = lockedBy === 'classroom-lock' ? t('toolServers.lockedClassroom') : lockedBy === 'policy' ? t('toolServers.lockedSchool') : null;
  const describedBy = lockText ? lockId : undefined;

  const refused = (lead: string, error: unknown) => {
    const found = failureOf(error);
    if (found.locked) reload();
    setFailure({ lead, failure: found });
  };

  const setEnabled = (name: string, enabled: boolean) => {
    setPending(name);
    setFailure(null);
    setDone(null);
    call('tools:set-enabled', { name, enabled })
      .then((changed) => setServers(changed.servers), (error: unknown) => refused(t('toolServers.notSwitched'), error))
      .finally(() => setPending(null));
  };

  const remove = (name: string) => {
    setConfirming(null);
    setFailure(null);
    setPending(name);
    call('tools:remove-server', { name })
      .then(
        (changed) => {
          setServers(changed.servers);
          setShown(({ [name]: _gone, ...rest }) => rest);
          setDone({ what: 'removed', name });
          listHeading.current?.focus();
        },
        (error: unknown) => refused(t('toolServers.notRemoved'), error),
      )
      .finally(() => setPending(null));
  };

  const showTools = (name: string) => {
    if (shown[name] && shown[name].state !== 'loading') {
      setShown(({ [name]: _hidden, ...rest }) => rest);
      return;
    }
    setShown((before) => ({ ...before, [name]: { state: 'loading' } }));
    call('tools:list-tools', { name }).then(
      (listed) => setShown((before) => ({ ...before, [name]: { state: 'listed', tools: listed.tools } })),
      (error: unknown) => setShown((before) => ({ ...before, [name]: { state: 'failed', failure: failureOf(error) } })),
    );
  };

  return (
    <fieldset className="card tools-panel">
      <legend>{t('toolServers.title')}</legend>
      <p className="muted">{t('toolServers.about')}</p>
      <p className="muted">{t('toolServers.aboutRemote')}</p>
      {lockText && (
        <p id={lockId} className="budget-locked">
          {lockText}
        </p>
      )}

      <section className="tool-servers" aria-labelledby={listId}>
        <h3 id={listId} ref={listHeading} tabIndex={-1} className="card-heading">
          {t('toolServers.listTitle')}
        </h3>
        <p className="save-status" role="status">
          {done?.what === 'removed' && t('toolServers.removed', { name: done.name })}
          {done?.what === 'added' && t('toolServers.added', { name: done.name })}
        </p>
        {failure && <FailureNotice lead={failure.lead} failure={failure.failure} />}
        {servers.length === 0 && <p>{t('toolServers.none')}</p>}
        {servers.length > 0 && (
          <ul className="tool-server-list">
            {servers.map((server) => {
              const tools = shown[server.name];
              const headingId = `${listId}-${server.name}`;
              const toolsId = `${headingId}-tools`;
              return (
                <li key={server.name} className="tool-server">
                  <div className="tool-server-head">
                    <h4 id={headingId} className="tool-server-name">
                      {server.name}
                      {server.fromSchool === true && <span className="badge"> {t('toolServers.fromSchool')}</span>}
                    </h4>
                    <span className="visually-hidden">{t('toolServers.runsOn')}</span>
                    <RouteBadge routeClass={server.routeClass} />
                    {!server.enabled && <span className="badge">{t('toolServers.off')}</span>}
                  </div>
                  <dl className="facts tool-server-facts">
                    {server.transport === 'stdio' ? (
                      <>
                        <dt>{t('toolServers.program')}</dt>
                        <dd>
                          <code className="path">{[server.command, ...server.args.map(quoteArg)].join(' ')}</code>
                        </dd>
                        {server.env.length > 0 && (
                          <>
                            <dt>{t('toolServers.variables')}</dt>
                            <dd>
                              {server.env.map((variable, index) => (
                                <span key={variable}>
                                  {index > 0 && ', '}
                                  <code className="path">{variable}</code>
                                </span>
                              ))}{' '}
                              <span className="muted">{t('toolServers.variablesKept')}</span>
                            </dd>
                          </>
                        )}
                      </>
                    ) : (
                      <>
                        <dt>{t('toolServers.address')}</dt>
                        <dd>
                          <code className="path">{server.url}</code>
                        </dd>
                      </>
                    )}
                  </dl>
                  <div className="row tool-server-actions">
                    <span className="endpoint-switch">
                      <input
                        id={`${headingId}-on`}
                        type="checkbox"
                        role="switch"
                        className="switch"
                        checked={server.enabled}
                        disabled={locked || pending !== null || server.fromSchool === true}
                        aria-describedby={describedBy}
                        onChange={(event) => setEnabled(server.name, event.target.checked)}
                      />
                      <label htmlFor={`${headingId}-on`}>{t('toolServers.enable', { name: server.name })}</label>
                    </span>
                    <button type="button" className="button" aria-expanded={tools !== undefined} aria-controls={toolsId} onClick={() => showTools(server.name)}>
                      {tools ? t('toolServers.hideTools') : t('toolServers.showTools')}
                      <span className="visually-hidden"> ({server.name})</span>
                    </button>
                    <button
                      ref={(button) => {
                        if (button) removeButtons.current.set(server.name, button);
                        else removeButtons.current.delete(server.name);
                      }}
                      type="button"
                      className="button button-danger"
                      disabled={locked || pending !== null || confirming !== null || server.fromSchool === true}
                      aria-label={t('toolServers.removeNamed', { name: server.name })}
                      aria-describedby={describedBy}
                      onClick={() => {
                        setDone(null);
                        setConfirming(server.name);
                      }}
                    >
                      {t('toolServers.remove')}
                    </button>
                  </div>
                  {confirming === server.name && (
                    <div className="assistant-confirm" role="group" aria-label={t('toolServers.removeNamed', { name: server.name })}>
                      <p>{t('toolServers.confirmRemove', { name: server.name })}</p>
                      <div className="row">
                        <button type="button" className="button button-danger" disabled={locked} onClick={() => remove(server.name)}>
                          {t('toolServers.removeConfirmed')}
                        </button>
                        <button
                          ref={keepButton}
                          type="button"
                          className="button"
                          onClick={() => {
                            setConfirming(null);
                            requestAnimationFrame(() => removeButtons.current.get(server.name)?.focus());
                          }}
                        >
                          {t('toolServers.keep')}
                        </button>
                      </div>
                    </div>
                  )}
                  <div id={toolsId} className="tool-list" aria-live="polite">
                    {tools && <ToolList name={server.name} shown={tools} />}
                  </div>
                </li>
              );
            })}
          </ul>
        )}
      </section>

      <ToolServerForm
        taken={servers.map((server) => server.name)}
        locked={locked}
        lockId={lockText ? lockId : null}
        onAdded={(name, changed) => {
          setServers(changed);
          setFailure(null);
          setDone({ what: 'added', name });
        }}
        onLocked={reload}
      />
    </fieldset>
  );
}

/** A server's tools (name, title, description), or why they could not be listed and what to do. */
function ToolList({ name, shown }: { name: string; shown: ToolsShown }) {
  const { t } = useTranslation();
  if (shown.state === 'loading') return <p className="muted">{t('toolServers.asking', { name })}</p>;
  if (shown.state === 'failed') return <FailureNotice lead={t('toolServers.toolsFailed')} failure={shown.failure} />;
  if (shown.tools.length === 0) return <p>{t('toolServers.noTools')}</p>;
  return (
    <ul className="plain-list" aria-label={t('toolServers.toolsOf', { name })}>
      {shown.tools.map((tool) => (
        <li key={tool.name}>
          <code className="path">{tool.name}</code>
          {tool.title && <strong> {tool.title}</strong>}
          {tool.description && <span className="muted"> {tool.description}</span>}
        </li>
      ))}
    </ul>
  );
}
