import { useCallback, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { privacyTiers, type PrivacyTier } from '../../../shared/choices';
import type { PrivacyState } from '../../../shared/privacy';
import { call } from '../../ipc/client';
import { announceLockChanged } from '../../settings/privacy-lock-events';
import { useSettings } from '../../settings/SettingsProvider';

/**
 * The privacy tier, as a choice of three with what each allows; who controls it (the school's
 * policy, a classroom lock); and the lock itself, for teachers.
 */
export function PrivacyPanel() {
  const { t } = useTranslation();
  const { state, update } = useSettings();
  /** The choice being saved: shown at once, until the saved settings come back. */
  const [pending, setPending] = useState<PrivacyTier | null>(null);
  const [privacy, setPrivacy] = useState<PrivacyState | null>(null);
  const [password, setPassword] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const passwordId = useId();
  const toolsId = useId();
  /** What the lock forbids of tool servers while it is on. */
  const [forbidTools, setForbidTools] = useState<'none' | 'local' | 'all'>('none');

  const reload = useCallback(() => {
    call('privacy:get-state').then(setPrivacy, () => setPrivacy(null));
  }, []);
  useEffect(() => reload(), [reload, state]);

  if (!state || !privacy) return null;
  const managed = privacy.source === 'policy-file';
  const frozen = managed || privacy.classroomLocked || privacy.schoolLocksSettings;
  // The user's own tier comes straight from the saved settings (no flicker while the state reloads);
  // a tier the school pins, or the strictest one forced by an unusable policy file, from the policy.
  const current = pending ?? (managed ? privacy.tier : state.settings.privacy.tier);
  const choose = (tier: PrivacyTier) => {
    setPending(tier);
    setMessage(null);
    void update({ privacy: { tier } })
      .catch((error: unknown) => setMessage(String((error as Error).message)))
      .finally(() => setPending(null));
  };
  const toggleLock = () => {
    const channel = privacy.classroomLocked ? 'privacy:unlock' : 'privacy:lock';
    const input = privacy.classroomLocked || forbidTools === 'none' ? { password } : { password, forbidTools };
    call(channel, input).then(
      (next) => {
        setPrivacy(next);
        setPassword('');
        setMessage(null);
        announceLockChanged();
      },
      (error: unknown) => setMessage(String((error as Error).message)),
    );
  };

  return (
    <fieldset className="card" role="radiogroup" aria-label={t('privacy.title')}>
      <legend>{t('privacy.title')}</legend>
      {privacy.problem && (
        <p className="banner banner-warning" role="alert">
          {privacy.problem}
        </p>
      )}
      {managed && privacy.policyFile && <p className="muted">{t('privacy.managed', { file: privacy.policyFile })}</p>}
      {privacy.classroomLocked && <p className="muted">{t('privacy.locked')}</p>}
      {privacyTiers.map((tier: PrivacyTier) => (
        <label key={tier} className="choice">
          <input type="radio" name="privacy-tier" value={tier} checked={current === tier} disabled={frozen} onChange={() => choose(tier)} />
          <span>
            <strong>{t(`privacy.tier_${tier}`)}</strong>
            <span className="muted"> — {t(`privacy.about_${tier}`)}</span>
          </span>
        </label>
      ))}
      <p className="muted">{t('privacy.enforced')}</p>
      {!managed && !privacy.schoolLocksSettings && (
        <>
          <label htmlFor={passwordId}>{t('privacy.password')}</label>
          <form
            className="row"
            onSubmit={(event) => {
              event.preventDefault();
              toggleLock();
            }}
          >
            <input id={passwordId} type="password" autoComplete="off" value={password} onChange={(event) => setPassword(event.target.value)} />
            <button type="submit" className="button" disabled={password === ''}>
              {privacy.classroomLocked ? t('privacy.unlock') : t('privacy.lock')}
            </button>
          </form>
          {!privacy.classroomLocked && (
            <>
              <label htmlFor={toolsId}>{t('privacy.lockTools')}</label>
              <select id={toolsId} value={forbidTools} onChange={(event) => setForbidTools(event.target.value as typeof forbidTools)}>
                <option value="none">{t('privacy.lockToolsNone')}</option>
                <option value="local">{t('privacy.lockToolsLocal')}</option>
                <option value="all">{t('privacy.lockToolsAll')}</option>
              </select>
            </>
          )}
          <p className="muted">{t('privacy.lockHint')}</p>
        </>
      )}
      <p role="status" aria-live="polite" className="save-status">
        {message}
      </p>
    </fieldset>
  );
}
