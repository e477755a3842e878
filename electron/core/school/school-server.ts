import type { Endpoint, Settings } from '../../../shared/settings';
import type { ManagedPolicy } from '../privacy/policy-file';

/** The prefix of the school server's model ids when the policy file names none. */
export const SCHOOL_SERVER_PREFIX = 'school';

/**
 * The school's server as the policy file declares it (`schoolServer`), as an endpoint: null when
 * there is no usable policy file or it declares none. (An invalid file declares nothing: the
 * strictest tier applies until it is fixed.)
 */
export function schoolServerOf(managed: ManagedPolicy): Endpoint | null {
  if (managed.state !== 'valid' || !managed.policy.schoolServer) return null;
  const server = managed.policy.schoolServer;
  return {
    prefix: server.prefix ?? SCHOOL_SERVER_PREFIX,
    name: server.name ?? 'School server',
    baseUrl: server.url,
    ...(server.price && { price: server.price }),
  };
}

/**
 * The settings in force with the school's server among the endpoints, without anyone adding it:
 * first in the list, in place of an endpoint of the user's with the same prefix (the school's
 * address wins). The settings file itself never holds it.
 */
export function withSchoolServer(settings: Settings, managed: ManagedPolicy): Settings {
  const server = schoolServerOf(managed);
  if (!server) return settings;
  return { ...settings, endpoints: [server, ...settings.endpoints.filter((endpoint) => endpoint.prefix !== server.prefix)] };
}
