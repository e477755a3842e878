import { useTranslation } from 'react-i18next';
import type { StoredMessage } from '../../shared/conversations';
import { formatMoney } from '../usage/format-usage';
import { RouteBadge } from './RouteBadge';

const seconds = (ms: number) => (ms / 1000).toFixed(ms < 10_000 ? 1 : 0);

/**
 * Under each answer: where it went (route class, the privacy setting it was checked against,
 * provider, region, endpoint host, model) and what it cost (tokens, dollars, time to first token, time).
 */
export function AnswerFooter({ message }: { message: StoredMessage }) {
  const { t, i18n } = useTranslation();
  const { provenance, usage, timings } = message;
  if (!provenance) return null;
  const facts: string[] = [provenance.provider];
  if (provenance.region) facts.push(provenance.region);
  facts.push(provenance.host, provenance.modelId);
  if (usage && usage.inputTokens !== null) facts.push(t('chat.tokens', { input: usage.inputTokens, output: usage.outputTokens ?? '–' }));
  // null: no price is known (never shown as 0); undefined: an answer from before costs were kept.
  if (usage?.costUsd === null) facts.push(t('chat.costUnknown'));
  else if (usage?.costUsd !== undefined) facts.push(formatMoney(usage.costUsd, i18n.language));
  if (timings && timings.firstTokenMs !== null) facts.push(t('chat.firstToken', { seconds: seconds(timings.firstTokenMs) }));
  if (timings && timings.durationMs !== null) facts.push(t('chat.duration', { seconds: seconds(timings.durationMs) }));
  return (
    <p className="answer-footer" data-testid="provenance">
      <RouteBadge routeClass={provenance.routeClass} />
      <span>{t('chat.checkedUnder', { tier: t(`privacy.tier_${provenance.tier}`) })}</span>
      <span>{facts.join(' · ')}</span>
    </p>
  );
}
