/**
 * Text a person may have written with any editor. Windows PowerShell 5.1 (`Set-Content -Encoding
 * UTF8`) and Notepad before 2019 start UTF-8 files with a byte-order mark, U+FEFF: invisible,
 * and an error for JSON.parse. Every reader of such a file strips it first.
 */
export const BYTE_ORDER_MARK = '\uFEFF';

export function stripByteOrderMark(text: string): string {
  return text.startsWith(BYTE_ORDER_MARK) ? text.slice(1) : text;
}

const INVISIBLE_NAMES: Record<string, string> = {
  '\uFEFF': 'a byte-order mark (U+FEFF)',
  '\u200B': 'a zero-width space (U+200B)',
  '\u00A0': 'a non-breaking space (U+00A0)',
  '\u0000': 'a NUL byte',
};

/**
 * Control characters and invisible ones replaced by a visible stand-in, so an error never quotes
 * something a reader cannot see, and a terminal never runs an escape sequence that came from a
 * file, an argument or a provider. Line breaks and tabs become spaces.
 */
export function printable(text: string, maxLength = 200): string {
  // eslint-disable-next-line no-control-regex -- these are exactly the characters to replace
  const cleaned = text.replace(/[\t\n\r]/g, ' ').replace(/[\u0000-\u001F\u007F-\u009F\u200B-\u200F\u2028-\u202E\u2060-\u2064\uFEFF]/g, '\uFFFD');
  return cleaned.length > maxLength ? `${cleaned.slice(0, maxLength)}… (${cleaned.length} characters)` : cleaned;
}

/** Names the first invisible character in `text`, for an error message; null if there is none. */
export function describeInvisibleCharacter(text: string): string | null {
  for (const [character, name] of Object.entries(INVISIBLE_NAMES)) {
    const at = text.indexOf(character);
    if (at >= 0) return `${name} at character ${at + 1}`;
  }
  return null;
}
