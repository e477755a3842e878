/**
 * What Settings → Local endpoint checks before anything is sent: the port, an allowed browser
 * origin and a token's name, each as main's schemas take them (GatewaySettingsSchema,
 * ServeTokenNameSchema), written again here so the renderer does not bundle zod.
 */

/** The ports main's schema allows: below 1024 needs the administrator on most systems. */
export const MIN_PORT = 1024;
export const MAX_PORT = 65_535;
/** As GatewaySettingsSchema: origins in all. */
export const MAX_ORIGINS = 20;
/** As ServeTokenNameSchema. */
export const MAX_TOKEN_NAME = 64;

export type PortProblem = 'not-whole' | 'out-of-range';

/** A port as typed: a whole number from 1024 to 65535, else why not. */
export function parsePort(text: string): { ok: true; port: number } | { ok: false; problem: PortProblem } {
  const value = text.trim();
  if (!/^\d{1,6}$/.test(value)) return { ok: false, problem: 'not-whole' };
  const port = Number(value);
  if (port < MIN_PORT || port > MAX_PORT) return { ok: false, problem: 'out-of-range' };
  return { ok: true, port };
}

export type OriginProblem = 'empty' | 'not-origin' | 'has-path' | 'twice' | 'too-many';

/**
 * A browser origin as typed: http or https, a host and maybe a port, as a browser sends it in its
 * Origin header. A trailing slash is taken off (`http://localhost:8888/` is what the address bar
 * shows); a path, a query or a user name is not an origin.
 */
export function parseOrigin(text: string, existing: readonly string[]): { ok: true; origin: string } | { ok: false; problem: OriginProblem } {
  const value = text.trim();
  if (value === '') return { ok: false, problem: 'empty' };
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { ok: false, problem: 'not-origin' };
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !/^https?:\/\//i.test(value) || url.username !== '' || url.password !== '') {
    return { ok: false, problem: 'not-origin' };
  }
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '' || /[?#]/.test(value)) return { ok: false, problem: 'has-path' };
  const origin = url.origin;
  if (existing.includes(origin)) return { ok: false, problem: 'twice' };
  if (existing.length >= MAX_ORIGINS) return { ok: false, problem: 'too-many' };
  return { ok: true, origin };
}

export type TokenNameProblem = 'empty' | 'too-long' | 'characters' | 'twice';

const TOKEN_NAME = /^[\p{L}\p{N}][\p{L}\p{N} ._-]*$/u;

/** A client's name for a new token: letters, digits, spaces, dots, dashes, underscores; unique whatever the case. */
export function parseTokenName(text: string, existing: readonly string[]): { ok: true; name: string } | { ok: false; problem: TokenNameProblem } {
  const name = text.trim();
  if (name === '') return { ok: false, problem: 'empty' };
  if (name.length > MAX_TOKEN_NAME) return { ok: false, problem: 'too-long' };
  if (!TOKEN_NAME.test(name)) return { ok: false, problem: 'characters' };
  if (existing.some((other) => other.toLocaleLowerCase() === name.toLocaleLowerCase())) return { ok: false, problem: 'twice' };
  return { ok: true, name };
}
