import { lazy, Suspense, useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { RecoveryBanner } from './components/RecoveryBanner';
import { Sidebar, type ViewName } from './components/Sidebar';
import { useSettings } from './settings/SettingsProvider';
import { useApplyPreferences } from './settings/use-apply-preferences';
import { ChatView } from './chat/ChatView';
import { isUsageSection, NavigationContext, type Section } from './navigation';
import { SettingsView } from './views/settings/SettingsView';
import { UsageView } from './views/UsageView';

// The Assistants view (its list, cards and form) is a chunk of its own, loaded when first opened.
const AssistantsView = lazy(() => import('./assistants/AssistantsView').then((module) => ({ default: module.AssistantsView })));

export function App() {
  const { t } = useTranslation();
  const { state, loadError } = useSettings();
  const [view, setView] = useState<ViewName>('chat');
  const [section, setSection] = useState<Section | null>(null);
  const go = useCallback((next: ViewName, nextSection?: Section) => {
    setView(next);
    setSection(nextSection ?? null);
  }, []);
  // The assistant picked for the next new conversation ("Start a chat" in the Assistants view, or
  // the chat's own picker): kept here, so it survives a visit to another view before sending.
  const [newChatAssistant, setNewChatAssistant] = useState<string | null>(null);
  const startChat = useCallback((assistantId: string) => {
    setNewChatAssistant(assistantId);
    setView('chat');
    setSection(null);
  }, []);
  const navigation = useMemo(() => ({ go, startChat }), [go, startChat]);
  const [recoveryDismissed, setRecoveryDismissed] = useState(false);
  useApplyPreferences(state?.settings);

  return (
    <NavigationContext.Provider value={navigation}>
    <div className="shell">
      <Sidebar current={view} onSelect={(next) => go(next)} />
      <main className="content">
        {loadError && (
          <p className="banner banner-error" role="alert">
            {t('errors.loadFailed', { message: loadError })}
          </p>
        )}
        {state?.recovery && !recoveryDismissed && (
          <RecoveryBanner recovery={state.recovery} onDismiss={() => setRecoveryDismissed(true)} />
        )}
        {view === 'chat' && <ChatView newChatAssistant={newChatAssistant} onNewChatAssistant={setNewChatAssistant} />}
        {view === 'assistants' && (
          <Suspense fallback={<p className="view">{t('app.loading')}</p>}>
            <AssistantsView />
          </Suspense>
        )}
        {view === 'settings' && <SettingsView section={isUsageSection(section) ? null : section} />}
        {view === 'usage' && <UsageView section={isUsageSection(section) ? section : null} />}
      </main>
    </div>
    </NavigationContext.Provider>
  );
}
