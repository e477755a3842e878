import { useTranslation } from 'react-i18next';
import type { StoredMessage } from '../../shared/conversations';
import { answeringModel, reasonText } from '../reliability/reliability-words';
import { formatMoney } from '../usage/format-usage';
import { RouteBadge } from './RouteBadge';

/** Seconds with one decimal under ten (two or more digits without), written as the UI's language writes decimals (2.4 / 2,4). */
const seconds = (ms: number, language: string) => {
  const digits = ms < 10_000 ? 1 : 0;
  return (ms / 1000).toLocaleString(language, { minimumFractionDigits: digits, maximumFractionDigits: digits, useGrouping: false });
};

/**
 * Under each answer: where it went (route class, the privacy setting it was checked against,
 * provider, region, endpoint host, model), what it cost (tokens, dollars, time to first token,
 * time) and how many tries it took. When a model of the fallback chain answered in place of
 * the one asked, a line above says so: which model, instead of which, and why.
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
  if (timings && timings.firstTokenMs !== null) facts.push(t('chat.firstToken', { seconds: seconds(timings.firstTokenMs, i18n.language) }));
  if (timings && timings.durationMs !== null) facts.push(t('chat.duration', { seconds: seconds(timings.durationMs, i18n.language) }));
  // The try of the answering model that answered (or failed last): earlier ones failed before any text.
  if (provenance.attempt !== undefined && provenance.attempt > 1) facts.push(t('chat.afterTries', { count: provenance.attempt }));
  return (
    <>
      {provenance.fallbackFrom !== undefined && (
        <p className="answer-fallback" data-testid="fallback">
          <span className="badge badge-fallback">{t('chat.fallbackLabel')}</span>
          <span>
            {provenance.fallbackReason
              ? t('chat.fallbackAnswered', { model: answeringModel(provenance), asked: provenance.fallbackFrom, reason: reasonText(t, provenance.fallbackReason) })
              : t('chat.fallbackAnsweredNoReason', { model: answeringModel(provenance), asked: provenance.fallbackFrom })}
          </span>
        </p>
      )}
      {provenance.omittedMessages !== undefined && provenance.omittedMessages > 0 && (
        <p className="answer-omitted" data-testid="omitted">
          {t('chat.omittedMessages', { count: provenance.omittedMessages, context: (provenance.contextTokens ?? 0).toLocaleString(i18n.language) })}
        </p>
      )}
      <p className="answer-footer" data-testid="provenance">
        <RouteBadge routeClass={provenance.routeClass} />
        <span>{t('chat.checkedUnder', { tier: t(`privacy.tier_${provenance.tier}`) })}</span>
        <span>{facts.join(' · ')}</span>
      </p>
    </>
  );
}
