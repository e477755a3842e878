/**
 * Text a person may have written with any editor. Windows PowerShell 5.1 (`Set-Content -Encoding
 * UTF8`) and Notepad before 2019 start UTF-8 files with a byte-order mark, U+FEFF: invisible,
 * and an error for JSON.parse. Every reader of such a file strips it first.
 */
export const BYTE_ORDER_MARK = '\uFEFF';

export function stripByteOrderMark(text: string): string {
  return text.startsWith(BYTE_ORDER_MARK) ? text.slice(1) : text;
}

/**
 * `UTF-16 (little-endian)` or `UTF-16 (big-endian)` when the bytes are UTF-16 text (what Windows
 * PowerShell 5.1's `>` and `Out-File` write by default), else null: by the byte-order mark, or
 * by the NUL bytes every other byte of ASCII text in UTF-16 has.
 */
export function utf16Encoding(bytes: Uint8Array): string | null {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'UTF-16 (little-endian)';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'UTF-16 (big-endian)';
  if (bytes.length >= 4 && bytes[1] === 0 && bytes[3] === 0 && bytes[0] !== 0) return 'UTF-16 (little-endian)';
  if (bytes.length >= 4 && bytes[0] === 0 && bytes[2] === 0 && bytes[1] !== 0) return 'UTF-16 (big-endian)';
  return null;
}

/**
 * The text of a file a person may have written: UTF-8 (with or without a byte-order mark) or
 * UTF-16 as Windows PowerShell 5.1 writes it, decoded either way, the byte-order mark dropped.
 */
export function decodePersonsText(bytes: Uint8Array): string {
  const encoding = utf16Encoding(bytes);
  const text = new TextDecoder(encoding === null ? 'utf-8' : encoding.includes('big') ? 'utf-16be' : 'utf-16le').decode(bytes);
  return stripByteOrderMark(text);
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
  return shortened(cleaned, maxLength);
}

/** `text` cut to its first `maxLength` characters (whole code points) and its length, when longer. */
export function shortened(text: string, maxLength: number): string {
  const characters = Array.from(text);
  return characters.length > maxLength ? `${characters.slice(0, maxLength).join('')}… (${characters.length} characters)` : text;
}

/** Names the first invisible character in `text`, for an error message; null if there is none. */
export function describeInvisibleCharacter(text: string): string | null {
  for (const [character, name] of Object.entries(INVISIBLE_NAMES)) {
    const at = text.indexOf(character);
    if (at >= 0) return `${name} at character ${at + 1}`;
  }
  return null;
}
