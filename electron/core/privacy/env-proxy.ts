/**
 * Node 24 sends every request through the proxy in HTTP_PROXY/HTTPS_PROXY when NODE_USE_ENV_PROXY
 * is set (or --use-env-proxy is given): a road past the privacy check, which judges where a
 * request goes by its own address. Atelier refuses to start with it rather than send words to a
 * proxy it cannot see, and says so; null when there is none.
 */
export function environmentProxyProblem(env: Readonly<Record<string, string | undefined>>, execArgv: readonly string[]): string | null {
  const flag = execArgv.includes('--use-env-proxy') || /(^|\s)--use-env-proxy(\s|$)/.test(env.NODE_OPTIONS ?? '');
  const variable = (env.NODE_USE_ENV_PROXY ?? '').trim() !== '' && env.NODE_USE_ENV_PROXY !== '0';
  return flag || variable ? 'Node is told to send every request through a proxy (NODE_USE_ENV_PROXY or --use-env-proxy), which Atelier’s privacy check cannot see.' : null;
}

export const ENVIRONMENT_PROXY_HINT = 'Unset NODE_USE_ENV_PROXY (and remove --use-env-proxy from NODE_OPTIONS) for Atelier.';
