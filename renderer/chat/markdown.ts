import DOMPurify from 'dompurify';
import MarkdownIt from 'markdown-it';
import { highlightCode, mayLoadLanguage } from './highlight';

type RenderEnv = Record<string, unknown> & { copyLabel?: string; languagesToLoad?: Set<string> };

/** Sanitised HTML, and the languages its code blocks name that are not loaded yet. */
export interface RenderedMarkdown {
  html: string;
  languagesToLoad: string[];
}

/**
 * Markdown as models write it, rendered to sanitised HTML: markdown-it with raw HTML turned off
 * (a model's `<script>` shows as text), code highlighted by highlight.js (highlight.ts; a
 * language not loaded yet shows as plain text until then), and DOMPurify over the result as a
 * second wall. Links open in the user's browser (main allows only https there).
 */
const markdown = new MarkdownIt({ html: false, linkify: true, breaks: false });

markdown.renderer.rules.fence = (tokens, index, _options, env?: RenderEnv) => {
  const token = tokens[index];
  if (!token) return '';
  const language = token.info.trim().split(/\s+/)[0] ?? '';
  const highlighted = language === '' ? undefined : highlightCode(token.content, language);
  if (highlighted === undefined && mayLoadLanguage(language)) env?.languagesToLoad?.add(language);
  const code = highlighted ?? markdown.utils.escapeHtml(token.content);
  const label = markdown.utils.escapeHtml(language || 'text');
  return `<div class="code-block"><div class="code-head"><span>${label}</span><button type="button" class="code-copy" data-copy-code>${markdown.utils.escapeHtml(env?.copyLabel ?? 'Copy')}</button></div><pre><code class="hljs">${code}</code></pre></div>`;
};

DOMPurify.addHook('afterSanitizeAttributes', (node) => {
  if (node.tagName === 'A') {
    node.setAttribute('target', '_blank');
    node.setAttribute('rel', 'noopener noreferrer');
  }
});

export function renderMarkdown(text: string, copyLabel: string): RenderedMarkdown {
  const env: RenderEnv = { copyLabel, languagesToLoad: new Set() };
  const html = DOMPurify.sanitize(markdown.render(text, env), { ADD_ATTR: ['target'], FORBID_TAGS: ['style', 'form', 'input'] });
  return { html, languagesToLoad: [...(env.languagesToLoad ?? [])] };
}
