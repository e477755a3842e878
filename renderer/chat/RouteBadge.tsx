import { useTranslation } from 'react-i18next';
import type { RouteClass } from '../../shared/choices';

/** Where words go, as a badge: this computer, the EU, or outside the EU. */
export function RouteBadge({ routeClass }: { routeClass: RouteClass }) {
  const { t } = useTranslation();
  return <span className={`badge route-${routeClass}`}>{t(`chat.route_${routeClass}`)}</span>;
}
