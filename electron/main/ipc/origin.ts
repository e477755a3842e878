/**
 * `scheme://host[:port]` of a URL. Done by hand because WHATWG URL gives custom schemes such as
 * `app://` the origin "null", which would make every custom-scheme page look alike.
 */
export function originOf(url: string | null | undefined): string | null {
  if (!url) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.host === '') return null; // file:, data:, about:blank and the like are never trusted
  return `${parsed.protocol}//${parsed.host}`;
}
