/**
 * Credentials written into a URL: user info (`https://user:password@host`, `https://token@host`)
 * and query parameters named like keys (`?api_key=…`, `&token=…`). Such a URL would put a secret
 * into settings.json, listings and error messages, so Atelier refuses it and keeps keys in the
 * keychain instead. Works on the text alone, so it also masks URLs that no longer parse.
 */

/**
 * `scheme://` then the authority up to its last `@`: the user info, if there is any. Slashes may
 * be backslashes or missing (`http:\\user@host`, `http:user@host`): WHATWG URL reads those as
 * user info too, and so does fetch.
 */
const USER_INFO = /^(\s*[A-Za-z][A-Za-z0-9+.-]*:[/\\]*)([^/\\?#]*)@/;

/** Whether a URL parser finds a user name or password in it, for forms the pattern misses. */
function parsedUserInfo(url: string): URL | null {
  try {
    const parsed = new URL(url);
    return parsed.username !== '' || parsed.password !== '' ? parsed : null;
  } catch {
    return null;
  }
}

/** Query parameter names that carry a secret: api_key, apikey, key, access_token, password, sig, code, … */
const CREDENTIAL_PARAMETER = /key|token|secret|passw|pwd|signature|credential|auth|^sig$|^code$/i;

function queryOf(url: string): { before: string; query: string; after: string } | null {
  const start = url.indexOf('?');
  if (start < 0) return null;
  const hash = url.indexOf('#', start);
  const end = hash < 0 ? url.length : hash;
  return { before: url.slice(0, start + 1), query: url.slice(start + 1, end), after: url.slice(end) };
}

function parameterName(pair: string): string {
  const name = pair.split('=')[0] ?? '';
  try {
    return decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    return name;
  }
}

/**
 * What credential a URL holds, in words for an error, or null when it holds none. Never quotes
 * the credential.
 */
export function urlCredentialProblem(url: string): string | null {
  if (USER_INFO.test(url) || parsedUserInfo(url)) return 'it holds a user name or password before the host (user:password@)';
  const query = queryOf(url);
  const named = query?.query.split('&').map(parameterName).find((name) => CREDENTIAL_PARAMETER.test(name));
  if (named !== undefined) return `it holds a key in its query (${/^[A-Za-z0-9_.-]{1,40}$/.test(named) ? `${named}=` : 'a parameter named like a key'})`;
  return null;
}

/**
 * The URL with its user info and any key-like query values replaced by `***`, for listings of
 * settings written before Atelier refused them: `https://***@host/v1`, `…?api_key=***`.
 */
export function maskUrlCredentials(url: string): string {
  let masked = url.replace(USER_INFO, '$1***@');
  const left = parsedUserInfo(masked);
  if (left && (left.username !== '***' || left.password !== '')) masked = `${left.protocol}//***@${left.host}${left.pathname}${left.search}${left.hash}`;
  const query = queryOf(masked);
  if (query) {
    const pairs = query.query.split('&').map((pair) => (CREDENTIAL_PARAMETER.test(parameterName(pair)) ? `${pair.split('=')[0] ?? ''}=***` : pair));
    masked = `${query.before}${pairs.join('&')}${query.after}`;
  }
  return masked;
}
