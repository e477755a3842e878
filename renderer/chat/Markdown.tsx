import { lazy, memo, Suspense } from 'react';

// The Markdown renderer (markdown-it, DOMPurify, highlight.js: about 75 KB gzipped) is a chunk of
// its own, so the first screen does not wait for it: the chat view asks for it as soon as it is
// shown (preloadMarkdown), and an answer rendered before it is in shows as plain text until then.
// Should the chunk not load (a damaged installation), answers stay plain text rather than the
// view failing.
const loadMarkdownBody = () => import('./MarkdownBody').then((module) => module.MarkdownBody, () => PlainText);
const MarkdownBody = lazy(() => loadMarkdownBody().then((component) => ({ default: component })));

/** Starts loading the Markdown renderer; harmless to call again (the module loads once). */
export function preloadMarkdown(): void {
  void loadMarkdownBody();
}

/** An answer's Markdown, sanitised (see MarkdownBody.tsx); plain text while the renderer loads. */
export const Markdown = memo(function Markdown({ text }: { text: string }) {
  return (
    <Suspense fallback={<PlainText text={text} />}>
      <MarkdownBody text={text} />
    </Suspense>
  );
});

function PlainText({ text }: { text: string }) {
  return (
    <div className="markdown">
      <p className="markdown-plain">{text}</p>
    </div>
  );
}
