import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { initI18n, resolveLanguage } from './i18n';
import { SettingsProvider } from './settings/SettingsProvider';
import './styles/app.css';

initI18n(resolveLanguage('system', navigator.languages));

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element.');

createRoot(root).render(
  <StrictMode>
    <SettingsProvider>
      <App />
    </SettingsProvider>
  </StrictMode>,
);
