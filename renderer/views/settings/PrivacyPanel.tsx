import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { privacyTiers, type PrivacyTier } from '../../../shared/choices';
import { useSettings } from '../../settings/SettingsProvider';

/** The privacy tier, as a choice of three with what each allows. */
export function PrivacyPanel() {
  const { t } = useTranslation();
  const { state, update } = useSettings();
  /** The choice being saved: shown at once, until the saved settings come back. */
  const [pending, setPending] = useState<PrivacyTier | null>(null);
  if (!state) return null;
  const current = pending ?? state.settings.privacy.tier;
  const choose = (tier: PrivacyTier) => {
    setPending(tier);
    void update({ privacy: { tier } }).finally(() => setPending(null));
  };
  return (
    <fieldset className="card" role="radiogroup" aria-label={t('privacy.title')}>
      <legend>{t('privacy.title')}</legend>
      {privacyTiers.map((tier: PrivacyTier) => (
        <label key={tier} className="choice">
          <input type="radio" name="privacy-tier" value={tier} checked={current === tier} onChange={() => choose(tier)} />
          <span>
            <strong>{t(`privacy.tier_${tier}`)}</strong>
            <span className="muted"> — {t(`privacy.about_${tier}`)}</span>
          </span>
        </label>
      ))}
      <p className="muted">{t('privacy.enforced')}</p>
    </fieldset>
  );
}
