// Code blocks in answers: the common languages highlight in the Markdown renderer's first render,
// every other language once its chunk has loaded (the block renders again), unknown names stay
// plain text. The renderer itself is a chunk that Markdown.tsx loads (the last test).
// Each test names languages no other test loads first: registered languages are module state.
import { cleanup, render, waitFor } from '@testing-library/react';
import hljsComplete from 'highlight.js';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { commonLanguages, highlightCode, loadLanguage } from '../../../renderer/chat/highlight';
import { languageAliases, languageLoaders } from '../../../renderer/chat/highlight-languages';
import { Markdown } from '../../../renderer/chat/Markdown';
import { MarkdownBody } from '../../../renderer/chat/MarkdownBody';
import { initI18n } from '../../../renderer/i18n';

beforeAll(() => initI18n('en'));
afterEach(cleanup);

const fence = (language: string, code: string) => `Here:\n\n\`\`\`${language}\n${code}\n\`\`\`\n`;
const tokens = (container: HTMLElement) => container.querySelectorAll('pre code.hljs [class^="hljs-"]');

describe('code highlighting', () => {
  it('highlights a common language in the first render', () => {
    const { container } = render(<MarkdownBody text={fence('python', 'def sort(items):\n    return sorted(items)')} />);
    expect(container.querySelector('pre code.hljs .hljs-keyword')?.textContent).toBe('def');
    // Aliases of the common set are there at once too.
    const aliased = render(<MarkdownBody text={fence('ts', 'const n: number = 1;')} />);
    expect(aliased.container.querySelector('pre code.hljs .hljs-keyword')?.textContent).toBe('const');
  });

  it('shows a language outside the common set as plain text, then highlighted once its chunk is in', async () => {
    expect(highlightCode('fn main() {}', 'rust')).toBeUndefined();
    const { container } = render(<MarkdownBody text={fence('rust', 'fn main() {\n    let x = 1;\n}')} />);
    expect(container.querySelector('pre code')?.textContent).toBe('fn main() {\n    let x = 1;\n}\n');
    expect(tokens(container)).toHaveLength(0);
    await waitFor(() => expect(container.querySelector('pre code.hljs .hljs-keyword')?.textContent).toBe('fn'));
    expect(container.querySelector('pre code')?.textContent).toBe('fn main() {\n    let x = 1;\n}\n');
    // Registered now: the next block in it highlights in its first render.
    const next = render(<MarkdownBody text={fence('rust', 'let y = 2;')} />);
    expect(next.container.querySelector('pre code.hljs .hljs-keyword')?.textContent).toBe('let');
  });

  it('finds a lazily loaded language by its alias', async () => {
    const { container } = render(<MarkdownBody text={fence('yml', 'key: true')} />);
    expect(tokens(container)).toHaveLength(0);
    await waitFor(() => expect(container.querySelector('pre code.hljs .hljs-literal')?.textContent).toBe('true'));
  });

  it('loads the languages a language embeds', async () => {
    expect(highlightCode('x = 1', 'julia')).toBeUndefined();
    expect(await loadLanguage('julia-repl')).toBe(true);
    expect(highlightCode('x = 1', 'julia')).toContain('hljs-number');
  });

  it('shows code in an unknown language as escaped text, without an error', async () => {
    for (const language of ['nonsense', 'constructor', '__proto__', 'toString']) {
      const { container, unmount } = render(<MarkdownBody text={fence(language, '<script>alert(1)</script> <img src=x onerror=alert(2)>')} />);
      expect(container.querySelector('pre code')?.textContent).toBe('<script>alert(1)</script> <img src=x onerror=alert(2)>\n');
      expect(container.querySelector('script, img')).toBeNull();
      expect(await loadLanguage(language)).toBe(false);
      expect(container.querySelector('pre code')?.textContent).toBe('<script>alert(1)</script> <img src=x onerror=alert(2)>\n');
      unmount();
    }
  });

  it('knows every language of highlight.js, by the names and aliases highlight.js knows', () => {
    const registered = Object.keys(commonLanguages);
    const lazy = Object.keys(languageLoaders);
    expect([...registered, ...lazy].sort()).toEqual(hljsComplete.listLanguages().sort());
    expect(registered.filter((name) => lazy.includes(name))).toEqual([]);
    for (const name of lazy) {
      for (const alias of hljsComplete.getLanguage(name)?.aliases ?? []) {
        const key = alias.toLowerCase();
        // An alias a common language also uses is that language's (highlight.js checks registered languages first).
        const owner = registered.find((common) => hljsComplete.getLanguage(common) === hljsComplete.getLanguage(key));
        if (owner !== undefined || key === name) continue;
        // Where two languages claim an alias, the one complete highlight.js answers with.
        expect(hljsComplete.getLanguage(languageAliases[key] ?? '')).toBe(hljsComplete.getLanguage(key));
      }
    }
    for (const [alias, name] of Object.entries(languageAliases)) {
      expect(lazy).toContain(name);
      expect(hljsComplete.getLanguage(alias)).toBe(hljsComplete.getLanguage(name));
    }
  });

  it('renders an answer with the Markdown renderer once its chunk is in; the text is there from the first render', async () => {
    const { container, findByText } = render(<Markdown text={'**Sorted:**\n\n```java\nclass A {}\n```'} />);
    expect(container.textContent).toContain('class A {}');
    expect((await findByText('Sorted:')).tagName).toBe('STRONG');
    expect(container.querySelector('pre code.hljs .hljs-keyword')?.textContent).toBe('class');
  });
});
