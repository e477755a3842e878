import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { privacyTiers, type PrivacyTier } from '../../shared/choices';
import { formatMemory } from '../../shared/format';
import type { HardwareAdvice, HardwareReport } from '../../shared/hardware';
import type { ModelCatalogue } from '../../shared/models';
import type { OllamaStatus } from '../../shared/ollama';
import type { PrivacyState } from '../../shared/privacy';
import { call } from '../ipc/client';
import { useNavigation } from '../navigation';
import { useSettings } from '../settings/SettingsProvider';

type Step = 'computer' | 'tier' | 'model';

/**
 * First run: what this computer can do (GPU, memory, Ollama), where words may go (the privacy
 * tier, in plain words for a teacher), and a first model that works: a recommended local model
 * downloaded with progress, or a cloud model once keys are in.
 */
export function FirstRun({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation();
  const { go } = useNavigation();
  const { state, update } = useSettings();
  const [step, setStep] = useState<Step>('computer');
  const [hardware, setHardware] = useState<{ report: HardwareReport; advice: HardwareAdvice } | null>(null);
  const [ollama, setOllama] = useState<OllamaStatus | null>(null);
  const [installed, setInstalled] = useState<string[]>([]);
  const [privacy, setPrivacy] = useState<PrivacyState | null>(null);
  const [tier, setTier] = useState<PrivacyTier>(state?.settings.privacy.tier ?? 'dsgvo_local');
  const [catalogue, setCatalogue] = useState<ModelCatalogue | null>(null);
  const [chosen, setChosen] = useState<string | null>(null);
  const [pull, setPull] = useState<{ model: string; percent: number | null } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  const fail = (error: unknown) => setProblem(error instanceof Error ? `${error.message}${'hint' in error && error.hint ? ` ${String(error.hint)}` : ''}` : String(error));

  const showOllama = useCallback(async (status: OllamaStatus) => {
    setOllama(status);
    setInstalled(status.running ? (await call('ollama:list')).models.map((model) => model.name) : []);
  }, []);
  const checkOllama = useCallback(() => call('ollama:status').then(showOllama), [showOllama]);

  useEffect(() => {
    call('hardware:get').then(setHardware, fail);
    call('ollama:status').then(showOllama).catch(fail);
    call('privacy:get-state').then((current) => {
      setPrivacy(current);
      setTier(current.tier);
    }, fail);
  }, [showOllama]);

  useEffect(
    () =>
      window.atelier.on('ollama:pull-progress', (event) => {
        if (!event.finished) setPull({ model: event.model, percent: event.progress?.percent ?? null });
        else {
          setPull(null);
          if (event.error) fail(new Error(event.error.message));
          else {
            setChosen(`local/${event.model}`);
            void checkOllama();
          }
        }
      }),
    [checkOllama],
  );

  const managed = privacy !== null && (privacy.source === 'policy-file' || privacy.classroomLocked);
  const recommendation = hardware ? (hardware.advice.local.advanced.fit === 'fits' || hardware.advice.local.advanced.fit === 'cpu' ? hardware.advice.local.advanced : hardware.advice.local.fast) : null;
  const recommendedName = recommendation?.model.slice('local/'.length) ?? null;

  const chooseTier = async () => {
    setProblem(null);
    try {
      if (!managed && tier !== state?.settings.privacy.tier) await update({ privacy: { tier } });
      setCatalogue(await call('models:get-catalogue'));
      setStep('model');
    } catch (error) {
      fail(error);
    }
  };

  const finish = (model: string | null) => {
    update({ chat: { firstRunCompleted: true, ...(model && { model }) } }).then(onDone, fail);
  };

  const cloudRoles = catalogue?.roles.filter((role) => role.source === 'cloud' && role.available && role.model) ?? [];
  const effectiveTier = managed && privacy ? privacy.tier : tier;

  return (
    <section className="view first-run" aria-labelledby="first-run-title">
      <h1 id="first-run-title" className="view-title">
        {t('firstRun.title')}
      </h1>
      <ol className="first-run-steps" aria-label={t('firstRun.progress')}>
        {(['computer', 'tier', 'model'] as const).map((name, index) => (
          <li key={name} aria-current={step === name ? 'step' : undefined}>
            {index + 1}. {t(`firstRun.step_${name}`)}
          </li>
        ))}
      </ol>
      {problem && (
        <p className="banner banner-error" role="alert">
          {problem}
        </p>
      )}

      {step === 'computer' && (
        <div className="card">
          <h2>{t('firstRun.computerTitle')}</h2>
          {hardware === null ? (
            <p role="status">{t('firstRun.detecting')}</p>
          ) : (
            <ul className="plain-list">
              <li>
                {hardware.report.gpus.length === 0 || hardware.report.usableVramBytes === 0
                  ? t('firstRun.noGpu', { ram: formatMemory(hardware.report.ramBytes) })
                  : t('firstRun.gpu', { name: hardware.report.gpus[hardware.report.primaryGpu ?? 0]?.name ?? '', vram: formatMemory(hardware.report.usableVramBytes) })}
              </li>
              <li>{recommendation && t('firstRun.recommended', { model: recommendedName })}</li>
            </ul>
          )}
          {ollama === null ? (
            <p role="status">{t('firstRun.checkingOllama')}</p>
          ) : ollama.running ? (
            <p>{t('firstRun.ollamaRunning', { version: ollama.version })}</p>
          ) : (
            <div className="banner banner-warning">
              <div className="banner-text">
                <strong>{ollama.problem?.message}</strong>
                {ollama.problem?.hint && <p>{ollama.problem.hint}</p>}
              </div>
              <button type="button" className="button" onClick={() => void checkOllama().catch(fail)}>
                {t('firstRun.checkAgain')}
              </button>
            </div>
          )}
          <div className="row">
            <button type="button" className="button button-primary" onClick={() => setStep('tier')}>
              {t('firstRun.next')}
            </button>
          </div>
        </div>
      )}

      {step === 'tier' && (
        <fieldset className="card">
          <legend>{t('firstRun.tierTitle')}</legend>
          <p>{t('firstRun.tierIntro')}</p>
          {managed && <p className="banner banner-warning">{privacy?.source === 'policy-file' ? t('firstRun.tierManaged') : t('firstRun.tierLocked')}</p>}
          {privacyTiers.map((option) => (
            <label key={option} className="tier-choice">
              <input type="radio" name="first-run-tier" value={option} checked={effectiveTier === option} disabled={managed} onChange={() => setTier(option)} />
              <span>
                <strong>{t(`privacy.tier_${option}`)}</strong>
                <span className="muted"> {t(`firstRun.tierPlain_${option}`)}</span>
              </span>
            </label>
          ))}
          <div className="row">
            <button type="button" className="button" onClick={() => setStep('computer')}>
              {t('firstRun.back')}
            </button>
            <button type="button" className="button button-primary" onClick={() => void chooseTier()}>
              {t('firstRun.next')}
            </button>
          </div>
        </fieldset>
      )}

      {step === 'model' && (
        <div className="card">
          <h2>{t('firstRun.modelTitle')}</h2>
          {recommendedName && ollama?.running && (
            <div className="first-run-option">
              <p>{t('firstRun.localOption', { model: recommendedName, memory: formatMemory(recommendation?.requiredBytes ?? 0) })}</p>
              {installed.includes(recommendedName) ? (
                <button type="button" className="button" aria-pressed={chosen === recommendation?.model} onClick={() => setChosen(recommendation?.model ?? null)}>
                  {t('firstRun.useModel', { model: recommendedName })}
                </button>
              ) : pull ? (
                <p role="status">
                  <progress max={100} value={pull.percent ?? undefined} aria-label={t('firstRun.downloading', { model: pull.model })} /> {pull.percent === null ? t('firstRun.starting') : `${pull.percent} %`}
                </p>
              ) : (
                <button type="button" className="button" onClick={() => call('ollama:pull', { model: recommendedName }).then(() => setPull({ model: recommendedName, percent: null }), fail)}>
                  {t('firstRun.download', { model: recommendedName })}
                </button>
              )}
              {installed.filter((name) => name !== recommendedName).length > 0 && (
                <p>
                  {t('firstRun.orInstalled')}{' '}
                  {installed
                    .filter((name) => name !== recommendedName)
                    .map((name) => (
                      <button key={name} type="button" className="link-button" aria-pressed={chosen === `local/${name}`} onClick={() => setChosen(`local/${name}`)}>
                        {name}
                      </button>
                    ))}
                </p>
              )}
            </div>
          )}
          {!ollama?.running && <p>{t('firstRun.noOllama')}</p>}
          {effectiveTier !== 'dsgvo_local' && (
            <div className="first-run-option">
              <p>{t(effectiveTier === 'dsgvo_cloud' ? 'firstRun.cloudEu' : 'firstRun.cloudAny')}</p>
              {cloudRoles.map((role) => (
                <button key={role.role} type="button" className="button" aria-pressed={chosen === role.model} onClick={() => setChosen(role.model)}>
                  {t('firstRun.useModel', { model: role.model })}
                </button>
              ))}
              <button type="button" className="link-button" onClick={() => go('settings', 'providers')}>
                {t('firstRun.enterKeys')}
              </button>
            </div>
          )}
          <div className="row">
            <button type="button" className="button" onClick={() => setStep('tier')}>
              {t('firstRun.back')}
            </button>
            <button type="button" className="button button-primary" disabled={chosen === null} onClick={() => finish(chosen)}>
              {t('firstRun.start')}
            </button>
          </div>
        </div>
      )}
      <p>
        <button type="button" className="link-button" onClick={() => finish(null)}>
          {t('firstRun.skip')}
        </button>
      </p>
    </section>
  );
}
