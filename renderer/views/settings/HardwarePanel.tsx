import { useCallback, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatMemory } from '../../../shared/format';
import { modelRoles } from '../../../shared/choices';
import type { HardwareAdvice, HardwareReport } from '../../../shared/hardware';
import { call } from '../../ipc/client';
import { useSettings } from '../../settings/SettingsProvider';

/** The fixed context sizes offered besides "automatic", in tokens. */
const NUM_CTX_CHOICES = [4096, 8192, 16_384, 32_768, 65_536, 131_072];

/**
 * What this computer has, the tier it is in, the local models recommended for it with the
 * context size (num_ctx) each gets, and the context size setting (automatic or fixed).
 */
export function HardwarePanel() {
  const { t, i18n } = useTranslation();
  const { state, update } = useSettings();
  const [data, setData] = useState<{ report: HardwareReport; advice: HardwareAdvice } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  /** What the user is typing; null shows the saved value. */
  const [draft, setDraft] = useState<string | null>(null);
  const overrideId = useId();
  const contextId = useId();
  const overrideGb = state?.settings.hardware.vramOverrideGb ?? null;
  const numCtx = state?.settings.ollama.numCtx;
  const tokens = (count: number) => count.toLocaleString(i18n.language);

  const load = useCallback(
    (refresh: boolean) =>
      call('hardware:get', { refresh }).then(
        (value) => {
          setData(value);
          setError(null);
        },
        (failure: unknown) => setError(String((failure as Error).message)),
      ),
    [],
  );

  // Again when the override or the context size changes: both change the advice.
  useEffect(() => {
    void load(false);
  }, [load, overrideGb, numCtx]);

  const override = draft ?? (overrideGb === null ? '' : String(overrideGb));
  const saveNumCtx = (value: number | null) => {
    update({ ollama: { numCtx: value } }).then(
      () => setNotice(null),
      (failure: unknown) => setNotice(String((failure as Error).message)),
    );
  };
  const saveOverride = (value: number | null) => {
    update({ hardware: { vramOverrideGb: value } }).then(
      () => {
        setDraft(null);
        setNotice(null);
      },
      (failure: unknown) => setNotice(String((failure as Error).message)),
    );
  };

  return (
    <fieldset className="card" aria-busy={data === null}>
      <legend>{t('hardware.title')}</legend>
      {error && <p role="alert">{error}</p>}
      {data === null ? (
        <p>{t('hardware.detecting')}</p>
      ) : (
        <>
          <p>{t('hardware.computer', { cpu: data.report.cpu.brand, cores: data.report.cpu.cores, ram: formatMemory(data.report.ramBytes) })}</p>
          {data.report.gpus.length === 0 ? (
            <p>{t('hardware.noGpu')}</p>
          ) : (
            <ul className="plain-list" aria-label={t('hardware.title')}>
              {data.report.gpus.map((gpu, index) => (
                <li key={`${gpu.name}-${index}`}>
                  <strong>{gpu.name}</strong>
                  {' · '}
                  {gpu.vramBytes === null ? t('hardware.vramUnknown') : `${t('hardware.vram', { size: formatMemory(gpu.vramBytes) })} (${t(`hardware.source_${gpu.vramSource}`)})`}
                  {gpu.integrated && <span className="badge">{t('hardware.integrated')}</span>}
                  {index === data.report.primaryGpu && <span className="badge badge-fits">{t('hardware.primary')}</span>}
                  {gpu.note && <div className="muted">{gpu.note}</div>}
                </li>
              ))}
            </ul>
          )}
          <p>
            {data.report.usableVramBytes > 0
              ? t('hardware.usable', { size: formatMemory(data.report.usableVramBytes), source: t(`hardware.source_${data.report.vramSource}`) })
              : t('hardware.usableNone')}
            {' · '}
            {t('hardware.tier', { tier: data.advice.tier })}
          </p>

          <h3 className="card-heading">{data.advice.numCtxAutomatic ? t('hardware.recommendedAuto') : t('hardware.recommended', { numCtx: tokens(data.advice.numCtx) })}</h3>
          <table className="models-table">
            <tbody>
              {modelRoles.map((role) => {
                const pick = data.advice.local[role];
                return (
                  <tr key={role}>
                    <th scope="row">{t(`hardware.role_${role}`)}</th>
                    <td>
                      {pick.label} <code className="path">{pick.model}</code>
                    </td>
                    <td className="muted">{t('hardware.needs', { size: formatMemory(pick.requiredBytes) })}</td>
                    <td>
                      {t('hardware.numCtx', { numCtx: tokens(pick.numCtx) })}
                      <div className="muted">{t(`hardware.numCtxReason_${pick.numCtxReason}`)}</div>
                    </td>
                    <td>
                      <span className={`badge badge-${pick.fit}`}>{t(`hardware.fit_${pick.fit}`)}</span>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <div className="row">
            <button
              type="button"
              className="button button-primary"
              onClick={() =>
                update({ roles: { fast: data.advice.local.fast.model, advanced: data.advice.local.advanced.model, extreme: data.advice.local.extreme.model } }).then(
                  () => setNotice(t('hardware.usingThese')),
                  (failure: unknown) => setNotice(String((failure as Error).message)),
                )
              }
            >
              {t('hardware.useThese')}
            </button>
            <button type="button" className="button" onClick={() => void load(true)}>
              {t('hardware.refresh')}
            </button>
          </div>

          <label htmlFor={contextId}>{t('hardware.contextSize')}</label>
          <select id={contextId} value={numCtx === null || numCtx === undefined ? 'auto' : String(numCtx)} onChange={(event) => saveNumCtx(event.target.value === 'auto' ? null : Number(event.target.value))}>
            <option value="auto">{t('hardware.contextAuto')}</option>
            {[...new Set([...NUM_CTX_CHOICES, ...(typeof numCtx === 'number' ? [numCtx] : [])])]
              .sort((a, b) => a - b)
              .map((choice) => (
                <option key={choice} value={String(choice)}>
                  {t('hardware.contextFixed', { numCtx: tokens(choice) })}
                </option>
              ))}
          </select>
          <p className="muted">{t('hardware.contextHint')}</p>

          <label htmlFor={overrideId}>{t('hardware.override')}</label>
          <div className="row">
            <input
              id={overrideId}
              type="number"
              min={0}
              max={1024}
              step={0.5}
              inputMode="decimal"
              value={override}
              onChange={(event) => setDraft(event.target.value)}
            />
            <button
              type="button"
              className="button"
              onClick={() => {
                const value = Number(override);
                if (override.trim() === '' || !Number.isFinite(value) || value < 0 || value > 1024) setNotice(t('hardware.overrideInvalid'));
                else saveOverride(value);
              }}
            >
              {t('hardware.overrideSave')}
            </button>
            <button type="button" className="button" disabled={overrideGb === null} onClick={() => saveOverride(null)}>
              {t('hardware.overrideClear')}
            </button>
          </div>
          <p className="muted">{t('hardware.overrideHint')}</p>
          {data.report.problems.length > 0 && (
            <details>
              <summary>{t('hardware.problems')}</summary>
              <ul>
                {data.report.problems.map((problem) => (
                  <li key={problem}>{problem}</li>
                ))}
              </ul>
            </details>
          )}
        </>
      )}
      <p role="status" aria-live="polite" className="save-status">
        {notice}
      </p>
    </fieldset>
  );
}
