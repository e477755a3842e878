import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { RecoveryBanner } from './components/RecoveryBanner';
import { Sidebar, type ViewName } from './components/Sidebar';
import { useSettings } from './settings/SettingsProvider';
import { useApplyPreferences } from './settings/use-apply-preferences';
import { ChatView } from './views/ChatView';
import { SettingsView } from './views/settings/SettingsView';
import { UsageView } from './views/UsageView';

export function App() {
  const { t } = useTranslation();
  const { state, loadError } = useSettings();
  const [view, setView] = useState<ViewName>('chat');
  const [recoveryDismissed, setRecoveryDismissed] = useState(false);
  useApplyPreferences(state?.settings);

  return (
    <div className="shell">
      <Sidebar current={view} onSelect={setView} />
      <main className="content">
        {loadError && (
          <p className="banner banner-error" role="alert">
            {t('errors.loadFailed', { message: loadError })}
          </p>
        )}
        {state?.recovery && !recoveryDismissed && (
          <RecoveryBanner recovery={state.recovery} onDismiss={() => setRecoveryDismissed(true)} />
        )}
        {view === 'chat' && <ChatView />}
        {view === 'settings' && <SettingsView />}
        {view === 'usage' && <UsageView />}
      </main>
    </div>
  );
}
