import { memo, useMemo, type MouseEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { renderMarkdown } from './markdown';

/** An answer's Markdown, sanitised; the copy button of each code block copies its code. */
export const Markdown = memo(function Markdown({ text }: { text: string }) {
  const { t } = useTranslation();
  const html = useMemo(() => renderMarkdown(text, t('chat.copyCode')), [text, t]);
  const copyCode = (event: MouseEvent<HTMLDivElement>) => {
    const button = (event.target as HTMLElement).closest('[data-copy-code]');
    const code = button?.closest('.code-block')?.querySelector('code')?.textContent;
    if (!button || code === undefined || code === null) return;
    void navigator.clipboard.writeText(code).then(() => {
      button.textContent = t('chat.copied');
      setTimeout(() => (button.textContent = t('chat.copyCode')), 1500);
    });
  };
  // The HTML comes from markdown-it with raw HTML off, then DOMPurify (see markdown.ts).
  return <div className="markdown" onClick={copyCode} dangerouslySetInnerHTML={{ __html: html }} />;
});
