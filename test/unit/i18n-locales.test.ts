import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import de from '../../renderer/i18n/locales/de.json';
import en from '../../renderer/i18n/locales/en.json';
import { resolveLanguage } from '../../renderer/i18n';

/** `{ 'a.b.c': text }` for every string of a translation tree. */
function flatten(tree: object, prefix = ''): Record<string, string> {
  return Object.fromEntries(
    Object.entries(tree).flatMap(([key, value]) =>
      typeof value === 'object' && value !== null
        ? Object.entries(flatten(value as object, `${prefix}${key}.`))
        : [[`${prefix}${key}`, String(value)]],
    ),
  );
}

const placeholders = (text: string | undefined) => (text ?? '').match(/\{\{\w+\}\}/g)?.sort() ?? [];

describe('the translations', () => {
  const english = flatten(en);
  const german = flatten(de);

  it('have the same keys in English and German', () => {
    expect(Object.keys(german).sort()).toEqual(Object.keys(english).sort());
  });

  it('have no empty text and the same placeholders in both languages', () => {
    for (const [key, text] of Object.entries(german)) {
      expect(text.trim(), key).not.toBe('');
      expect(english[key]?.trim(), key).not.toBe('');
      expect(placeholders(text), key).toEqual(placeholders(english[key]));
    }
  });

  it('have every key the renderer asks for (complete in both languages)', () => {
    const rendererDir = path.resolve(import.meta.dirname, '../../renderer');
    const files = fs.readdirSync(rendererDir, { recursive: true, encoding: 'utf8' }).filter((file) => /\.tsx?$/.test(file));
    const used = new Set(files.flatMap((file) => [...fs.readFileSync(path.join(rendererDir, file), 'utf8').matchAll(/\bt\('([\w.-]+)'/g)].map((match) => match[1] ?? '')));
    expect(used.size).toBeGreaterThan(100);
    expect([...used].filter((key) => english[key] === undefined)).toEqual([]);
  });

  it('resolve "system" from the OS languages, falling back to English', () => {
    expect(resolveLanguage('system', ['de-AT', 'en-US'])).toBe('de');
    expect(resolveLanguage('system', ['fr-FR', 'en-GB'])).toBe('en');
    expect(resolveLanguage('system', ['fr-FR'])).toBe('en');
    expect(resolveLanguage('de', ['en-US'])).toBe('de');
  });
});
