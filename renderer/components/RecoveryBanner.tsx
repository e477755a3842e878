import { useTranslation } from 'react-i18next';
import type { SettingsRecovery } from '../../shared/settings';

/** Tells the user that their settings file was repaired, what was wrong, and where the original is. */
export function RecoveryBanner({ recovery, onDismiss }: { recovery: SettingsRecovery; onDismiss: () => void }) {
  const { t } = useTranslation();
  return (
    <section className="banner banner-warning" role="alert">
      <div className="banner-text">
        <strong>{t('recovery.title')}</strong>
        <p>
          {t('recovery.body')} <code className="path">{recovery.keptAt}</code>
        </p>
        <p>{t('recovery.problems')}</p>
        <ul>
          {recovery.problems.map((problem) => (
            <li key={problem}>{problem}</li>
          ))}
        </ul>
      </div>
      <button type="button" className="button" onClick={onDismiss}>
        {t('recovery.dismiss')}
      </button>
    </section>
  );
}
