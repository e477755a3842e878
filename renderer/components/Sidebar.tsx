import { useTranslation } from 'react-i18next';

export const views = ['chat', 'assistants', 'settings', 'usage'] as const;
export type ViewName = (typeof views)[number];

// Outline icons drawn inline: no icon font, no emoji (which depend on the fonts a machine has).
const iconPaths: Record<ViewName, string> = {
  chat: 'M4 5h16v10H9l-5 4z',
  // A person with a speech line: someone to talk to.
  assistants: 'M9 11a3.5 3.5 0 1 0 0-7a3.5 3.5 0 1 0 0 7zM2.5 20c0-3.6 2.9-6 6.5-6s6.5 2.4 6.5 6M16 5h6v5h-3l-3 2z',
  settings:
    'M12 9a3 3 0 1 0 0 6a3 3 0 1 0 0-6zM12 2v3M12 19v3M2 12h3M19 12h3M4.9 4.9l2.1 2.1M17 17l2.1 2.1M4.9 19.1 7 17M17 7l2.1-2.1',
  usage: 'M4 20V10M10 20V4M16 20v-7M22 20H2',
};

function Icon({ view }: { view: ViewName }) {
  return (
    <svg className="sidebar-icon" viewBox="0 0 24 24" aria-hidden="true">
      <path d={iconPaths[view]} />
    </svg>
  );
}

export function Sidebar({ current, onSelect }: { current: ViewName; onSelect: (view: ViewName) => void }) {
  const { t } = useTranslation();
  return (
    <nav className="sidebar" aria-label={t('nav.label')}>
      <div className="sidebar-brand">{t('app.name')}</div>
      <ul>
        {views.map((view) => (
          <li key={view}>
            <button
              type="button"
              className="sidebar-item"
              aria-current={view === current ? 'page' : undefined}
              onClick={() => onSelect(view)}
            >
              <Icon view={view} />
              {t(`nav.${view}`)}
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}
