import { memo, useEffect, useMemo, useState, type MouseEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { loadLanguage } from './highlight';
import { renderMarkdown, type RenderedMarkdown } from './markdown';

/**
 * An answer's Markdown, sanitised; the copy button of each code block copies its code. In a
 * chunk of its own with markdown-it, DOMPurify and highlight.js: Markdown.tsx loads it.
 */
export const MarkdownBody = memo(function MarkdownBody({ text }: { text: string }) {
  const { t } = useTranslation();
  const label = t('chat.copyCode');
  const rendered = useMemo(() => renderMarkdown(text, label), [text, label]);
  // Code in a language that is not loaded yet shows as plain text; once its chunk is in, the
  // same text is rendered again, highlighted (until the text changes and renders highlighted).
  const [rerendered, setRerendered] = useState<{ from: RenderedMarkdown; html: string }>();
  useEffect(() => {
    if (rendered.languagesToLoad.length === 0) return;
    let current = true;
    void Promise.all(rendered.languagesToLoad.map(loadLanguage)).then((loaded) => {
      if (current && loaded.includes(true)) setRerendered({ from: rendered, html: renderMarkdown(text, label).html });
    });
    return () => {
      current = false;
    };
  }, [rendered, text, label]);
  const html = rerendered?.from === rendered ? rerendered.html : rendered.html;
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
