import { useCallback, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatBytes } from '../../../shared/format';
import type { InstalledModel, OllamaStatus, PullEvent, PullProgress } from '../../../shared/ollama';
import { call } from '../../ipc/client';

interface PullState {
  progress: PullProgress | null;
}

/** Ollama's status, the installed models with the context each gets and their fit on this computer, downloads and deletes. */
export function OllamaPanel() {
  const { t, i18n } = useTranslation();
  const [status, setStatus] = useState<OllamaStatus | null>(null);
  const [models, setModels] = useState<InstalledModel[]>([]);
  const [pulls, setPulls] = useState<Record<string, PullState>>({});
  const [name, setName] = useState('');
  const [confirming, setConfirming] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const inputId = useId();

  const load = useCallback(
    () =>
      call('ollama:status').then(async (current) => {
        setStatus(current);
        setModels(current.running ? (await call('ollama:list')).models : []);
      }),
    [],
  );

  useEffect(() => {
    void load().catch((failure: unknown) => setNotice(String((failure as Error).message)));
    return window.atelier.on('ollama:pull-progress', (event: PullEvent) => {
      if (!event.finished) {
        setPulls((current) => ({ ...current, [event.model]: { progress: event.progress } }));
        return;
      }
      setPulls(({ [event.model]: _done, ...rest }) => rest);
      if (event.error === null) setNotice(t('ollama.pulled', { model: event.model }));
      else setNotice(event.error.code === 'cancelled' ? t('ollama.pullStopped') : `${event.error.message} ${event.error.hint ?? ''}`);
      void load();
    });
  }, [load, t]);

  const startPull = () => {
    const model = name.trim();
    setNotice(null);
    call('ollama:pull', { model }).then(
      () => {
        setPulls((current) => ({ ...current, [model]: current[model] ?? { progress: null } }));
        setName('');
      },
      (failure: unknown) => setNotice(String((failure as Error).message)),
    );
  };

  const remove = (model: string) => {
    setConfirming(null);
    call('ollama:delete', { model }).then(
      () => {
        setNotice(t('ollama.deleted', { model }));
        void load();
      },
      (failure: unknown) => setNotice(String((failure as Error).message)),
    );
  };

  return (
    <fieldset className="card">
      <legend>{t('ollama.title')}</legend>
      {status === null ? (
        <p>{t('ollama.checking')}</p>
      ) : status.running ? (
        <p>{t('ollama.running', { version: status.version, host: status.host })}</p>
      ) : (
        <div className="banner banner-warning" role="alert">
          <div className="banner-text">
            <strong>{t('ollama.notRunning', { host: status.host })}</strong>
            <p>{status.problem?.message}</p>
            {status.problem?.hint && <p>{status.problem.hint}</p>}
          </div>
          <button type="button" className="button" onClick={() => void load()}>
            {t('ollama.refresh')}
          </button>
        </div>
      )}

      {status?.running && (
        <>
          <h3 className="card-heading">{t('ollama.installed')}</h3>
          {models.length === 0 ? (
            <p className="muted">{t('ollama.none')}</p>
          ) : (
            <table className="models-table" aria-label={t('ollama.installed')}>
              <tbody>
                {models.map((model) => (
                  <tr key={model.name}>
                    <th scope="row">
                      <code className="path">{model.name}</code>
                    </th>
                    <td className="muted">{formatBytes(model.sizeBytes)}</td>
                    <td className="muted" title={t(`hardware.numCtxReason_${model.numCtxReason}`)}>
                      {t('hardware.numCtx', { numCtx: model.numCtx.toLocaleString(i18n.language) })}
                    </td>
                    <td>
                      {model.fit && <span className={`badge badge-${model.fit}`}>{t(`hardware.fit_${model.fit}`)}</span>}
                      {model.loaded && <span className="badge">{t('ollama.loaded')}</span>}
                    </td>
                    <td>
                      {confirming === model.name ? (
                        <button type="button" className="button button-danger" onClick={() => remove(model.name)}>
                          {t('ollama.confirmDelete', { model: model.name })}
                        </button>
                      ) : (
                        <button type="button" className="button" aria-label={`${t('ollama.delete')} ${model.name}`} onClick={() => setConfirming(model.name)}>
                          {t('ollama.delete')}
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}

          <label htmlFor={inputId}>{t('ollama.pullLabel')}</label>
          <form
            className="row"
            onSubmit={(event) => {
              event.preventDefault();
              startPull();
            }}
          >
            <input id={inputId} value={name} placeholder={t('ollama.pullPlaceholder')} onChange={(event) => setName(event.target.value)} />
            <button type="submit" className="button button-primary" disabled={name.trim() === ''}>
              {t('ollama.pull')}
            </button>
          </form>
          {Object.entries(pulls).map(([model, pull]) => (
            <div key={model} className="pull">
              <div className="row">
                <code className="path">{model}</code>
                <progress max={100} value={pull.progress?.percent ?? undefined} aria-label={model} />
                <button type="button" className="button" onClick={() => void call('ollama:cancel-pull', { model })}>
                  {t('ollama.cancel')}
                </button>
              </div>
              <p className="muted" aria-live="polite">
                {pull.progress && pull.progress.totalBytes > 0
                  ? t('ollama.progress', {
                      percent: (pull.progress.percent ?? 0).toFixed(1),
                      done: formatBytes(pull.progress.completedBytes),
                      total: formatBytes(pull.progress.totalBytes),
                    })
                  : (pull.progress?.status ?? '…')}
                {pull.progress?.bytesPerSecond ? ` · ${t('ollama.speed', { speed: formatBytes(pull.progress.bytesPerSecond) })}` : ''}
              </p>
            </div>
          ))}
        </>
      )}
      <p role="status" aria-live="polite" className="save-status">
        {notice}
      </p>
    </fieldset>
  );
}
