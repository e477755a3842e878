import highlightJs from 'highlight.js/lib/core';
import type { LanguageLoader } from './highlight-languages';
import bash from 'highlight.js/lib/languages/bash';
import c from 'highlight.js/lib/languages/c';
import cpp from 'highlight.js/lib/languages/cpp';
import css from 'highlight.js/lib/languages/css';
import java from 'highlight.js/lib/languages/java';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import markdown from 'highlight.js/lib/languages/markdown';
import plaintext from 'highlight.js/lib/languages/plaintext';
import python from 'highlight.js/lib/languages/python';
import shell from 'highlight.js/lib/languages/shell';
import sql from 'highlight.js/lib/languages/sql';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';

/*
 * Code highlighting with highlight.js, languages loaded on demand. Its ~190 languages would be
 * most of the Markdown renderer's chunk, so the languages models write most are registered here
 * (with their aliases: js, ts, py, sh, html, …) and every other one is a chunk of its own, fetched
 * the first time a code block names it (see highlight-languages.ts). Until then that block shows
 * plain, escaped text; MarkdownBody.tsx renders it again once the language is in.
 */

// An instance of our own: what is registered here is all it knows, whoever else loads highlight.js.
const hljs = highlightJs.newInstance();

/** The languages registered at start, by name (their aliases come with them). */
export const commonLanguages = { bash, c, cpp, css, java, javascript, json, markdown, plaintext, python, shell, sql, typescript, xml };
for (const [name, language] of Object.entries(commonLanguages)) hljs.registerLanguage(name, language);

/** Names that no chunk answers to (or whose chunk failed): not asked for again. */
const unavailable = new Set<string>();
const loading = new Map<string, Promise<boolean>>();

/** The code as highlighted HTML (highlight.js escapes it), or undefined while its language is not registered. */
export function highlightCode(code: string, language: string): string | undefined {
  if (hljs.getLanguage(language) === undefined) return undefined;
  return hljs.highlight(code, { language, ignoreIllegals: true }).value;
}

/** Whether loading `language` may still make it highlightable (false once it is known not to). */
export function mayLoadLanguage(language: string): boolean {
  return language !== '' && !unavailable.has(language.toLowerCase()) && hljs.getLanguage(language) === undefined;
}

/**
 * Loads and registers a language by its name or alias; true once it is registered, false for a
 * name highlight.js does not know (or a chunk that failed to load). Each name is asked for once.
 */
export function loadLanguage(language: string): Promise<boolean> {
  const key = language.toLowerCase();
  if (hljs.getLanguage(key) !== undefined) return Promise.resolve(true);
  let promise = loading.get(key);
  if (!promise) {
    promise = fetchLanguage(key).then(
      (loaded) => {
        if (!loaded) unavailable.add(key);
        return loaded;
      },
      () => {
        unavailable.add(key);
        return false;
      },
    );
    loading.set(key, promise);
  }
  return promise;
}

async function fetchLanguage(key: string): Promise<boolean> {
  const { languageAliases, languageLoaders } = await import('./highlight-languages');
  // Own properties only: a code block may name 'constructor' or '__proto__'.
  const name = Object.hasOwn(languageAliases, key) ? languageAliases[key] : key;
  if (name === undefined || !Object.hasOwn(languageLoaders, name)) return false;
  await registerWithSubLanguages(name, languageLoaders, languageAliases, new Set());
  return hljs.getLanguage(key) !== undefined;
}

/**
 * Registers a language and the languages it embeds (erb embeds ruby, julia-repl embeds julia):
 * highlight.js shows an embedded language it does not have as plain text.
 */
async function registerWithSubLanguages(name: string, loaders: Record<string, LanguageLoader>, aliases: Record<string, string>, seen: Set<string>): Promise<void> {
  if (seen.has(name)) return;
  seen.add(name);
  const loader = loaders[name];
  if (hljs.getLanguage(name) === undefined && loader) hljs.registerLanguage(name, (await loader()).default);
  const language = hljs.getLanguage(name);
  if (!language) return;
  for (const embedded of subLanguages(language)) {
    const target = Object.hasOwn(aliases, embedded) ? aliases[embedded] : embedded;
    if (target !== undefined && Object.hasOwn(loaders, target)) await registerWithSubLanguages(target, loaders, aliases, seen);
  }
}

/** The names a language's modes hand over to (`subLanguage`), found by walking its mode tree. */
function subLanguages(language: object): Set<string> {
  const found = new Set<string>();
  const visited = new Set<object>();
  const walk = (mode: unknown) => {
    if (typeof mode !== 'object' || mode === null || visited.has(mode)) return;
    visited.add(mode);
    const { subLanguage, contains, variants, starts } = mode as { subLanguage?: unknown; contains?: unknown; variants?: unknown; starts?: unknown };
    for (const name of Array.isArray(subLanguage) ? subLanguage : [subLanguage]) if (typeof name === 'string') found.add(name);
    for (const child of [...(Array.isArray(contains) ? contains : []), ...(Array.isArray(variants) ? variants : []), starts]) walk(child);
  };
  walk(language);
  return found;
}
