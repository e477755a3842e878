import { looksLikeSecret } from './secret-shapes';

/**
 * Credentials written into a URL: user info (`https://user:password@host`, `https://token@host`),
 * query or path parameters named like keys (`?api_key=…`, `&token=…`, `/v1;api_key=…`), a
 * fragment (`#token=…`), and anything shaped like a key anywhere in the path or query
 * (`/sk-…/v1`, `?x=AKIA…`). Such a URL would put a secret into settings.json, listings and error
 * messages, so Atelier refuses it and keeps keys in the keychain instead. Works on the text
 * alone, so it also masks URLs that no longer parse.
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

function parameterName(pair: string): string {
  const name = pair.split('=')[0] ?? '';
  try {
    return decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    return name;
  }
}

/** `scheme:` and the authority (slashes, user info, host, port): what comes before the path. */
const SCHEME_AND_AUTHORITY = /^(\s*[A-Za-z][A-Za-z0-9+.-]*:[/\\]*[^/\\?#]*)/;

/** The URL cut into what precedes its path, the path, the query (after `?`) and the fragment (after `#`). */
function partsOf(url: string): { head: string; path: string; query: string | null; fragment: string | null } {
  const head = SCHEME_AND_AUTHORITY.exec(url)?.[1] ?? '';
  let rest = url.slice(head.length);
  let fragment: string | null = null;
  const hash = rest.indexOf('#');
  if (hash >= 0) {
    fragment = rest.slice(hash + 1);
    rest = rest.slice(0, hash);
  }
  const question = rest.indexOf('?');
  return question < 0 ? { head, path: rest, query: null, fragment } : { head, path: rest.slice(0, question), query: rest.slice(question + 1), fragment };
}

function decoded(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

/** A path segment's `;name=value` parameters (matrix parameters), after the segment's own name. */
function matrixParameters(segment: string): string[] {
  return segment.split(';').slice(1);
}

function nameForMessage(name: string): string {
  return /^[A-Za-z0-9_.-]{1,40}$/.test(name) ? `${name}=` : 'a parameter named like a key';
}

/**
 * What credential a URL holds, in words for an error, or null when it holds none. Never quotes
 * the credential.
 */
export function urlCredentialProblem(url: string): string | null {
  if (USER_INFO.test(url) || parsedUserInfo(url)) return 'it holds a user name or password before the host (user:password@)';
  const { path, query, fragment } = partsOf(url);
  // A base URL never needs a fragment (a client never sends it), and `#token=…` is how some
  // pages hand out tokens: whatever follows `#` is refused.
  if (fragment !== null) return 'it has a fragment (#…), which a base URL never needs and which may hold a token';
  const segments = path.split(/[/\\]/);
  const matrixName = segments.flatMap(matrixParameters).map(parameterName).find((name) => CREDENTIAL_PARAMETER.test(name));
  if (matrixName !== undefined) return `it holds a key in a path parameter (;${nameForMessage(matrixName)})`;
  if (segments.some((segment) => looksLikeSecret(decoded(segment)))) return 'a part of its path looks like a key';
  const pairs = query?.split('&') ?? [];
  const named = pairs.map(parameterName).find((name) => CREDENTIAL_PARAMETER.test(name));
  if (named !== undefined) return `it holds a key in its query (${nameForMessage(named)})`;
  if (pairs.some((pair) => looksLikeSecret(decoded(pair)))) return 'a value in its query looks like a key';
  return null;
}

/** A path segment with key-like matrix values masked, or all of it masked when it looks like a key. */
function maskSegment(segment: string): string {
  if (looksLikeSecret(decoded(segment))) return '***';
  const [own = '', ...parameters] = segment.split(';');
  return [own, ...parameters.map((pair) => (CREDENTIAL_PARAMETER.test(parameterName(pair)) ? `${pair.split('=')[0] ?? ''}=***` : pair))].join(';');
}

/**
 * The URL with its user info, key-like path parts, parameters and query values, and any fragment
 * replaced by `***`, for listings of settings written before Atelier refused them:
 * `https://***@host/v1`, `…?api_key=***`, a path part `***`, `#***`.
 */
export function maskUrlCredentials(url: string): string {
  let masked = url.replace(USER_INFO, '$1***@');
  const left = parsedUserInfo(masked);
  if (left && (left.username !== '***' || left.password !== '')) masked = `${left.protocol}//***@${left.host}${left.pathname}${left.search}${left.hash}`;
  const { head, path, query, fragment } = partsOf(masked);
  const maskedPath = path.replace(/[^/\\]+/g, maskSegment);
  const maskedQuery =
    query === null
      ? ''
      : `?${query
          .split('&')
          .map((pair) => (CREDENTIAL_PARAMETER.test(parameterName(pair)) || looksLikeSecret(decoded(pair)) ? `${pair.split('=')[0] ?? ''}=***` : pair))
          .join('&')}`;
  return `${head}${maskedPath}${maskedQuery}${fragment === null ? '' : fragment === '' ? '#' : '#***'}`;
}
