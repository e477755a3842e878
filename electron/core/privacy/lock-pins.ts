import { FallbacksSchema, type Settings } from '../../../shared/settings';
import { BudgetSettingsSchema } from '../../../shared/usage';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The environment variables that decide where a request goes (not its keys). While the class is
 * locked they keep the values they had when the teacher locked it, whatever a later process's
 * environment says: otherwise `ANTHROPIC_BASE_URL=http://my-server` would send the teacher's
 * saved key and the students' words wherever a student liked.
 */
export const ADDRESS_VARIABLES = [
  'ANTHROPIC_BASE_URL',
  'OPENAI_BASE_URL',
  'OPENROUTER_BASE_URL',
  'OLLAMA_HOST',
  'AWS_ENDPOINT_URL_BEDROCK_RUNTIME',
  'AWS_ENDPOINT_URL_BEDROCK',
  'AWS_ENDPOINT_URL',
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
  'AWS_PROFILE',
  'AWS_CONFIG_FILE',
  'AWS_SHARED_CREDENTIALS_FILE',
] as const;

/**
 * What the classroom lock keeps as it was when the teacher locked: every setting that decides
 * where words go, and the address variables in force then.
 */
export interface LockPins {
  privacy: Settings['privacy'];
  bedrock: Settings['bedrock'];
  endpoints: Settings['endpoints'];
  roles: Settings['roles'];
  ollamaHost: Settings['ollama']['host'];
  /** The budget as it was (absent in locks made before budgets existed: then the file's applies). */
  budget?: Settings['budget'];
  /** The fallback chains as they were (absent in older locks: then the file's apply). */
  fallbacks?: Settings['fallbacks'];
  /**
   * The data folder the class was locked in: its database keeps the budget's ledger while locked,
   * so another ATELIER_HOME does not start from nothing spent.
   */
  ledgerDir?: string;
  /** Tool servers the teacher forbids while locked: `local` programs, or `all` servers; absent: none forbidden. */
  forbidTools?: 'local' | 'all';
  /** The address variables as they were (absent: not set then, so not set now). */
  environment: Partial<Record<(typeof ADDRESS_VARIABLES)[number], string>>;
}

export function pinsFrom(settings: Settings, env: Env, dataDir?: string): LockPins {
  const environment: LockPins['environment'] = {};
  for (const name of ADDRESS_VARIABLES) {
    const value = env[name];
    if (value !== undefined && value !== '') environment[name] = value;
  }
  return { privacy: settings.privacy, bedrock: settings.bedrock, endpoints: settings.endpoints, roles: settings.roles, ollamaHost: settings.ollama.host, budget: settings.budget, fallbacks: settings.fallbacks, ...(dataDir !== undefined && { ledgerDir: dataDir }), environment };
}

/** The settings in force while locked: what the file says, with the pinned ones as they were at locking. */
export function withPinnedSettings(settings: Settings, pins: LockPins | null): Settings {
  if (!pins) return settings;
  return {
    ...settings,
    privacy: pins.privacy,
    bedrock: pins.bedrock,
    endpoints: pins.endpoints,
    roles: pins.roles,
    ollama: { ...settings.ollama, host: pins.ollamaHost },
    budget: pins.budget ?? settings.budget,
    fallbacks: pins.fallbacks ?? settings.fallbacks,
  };
}

/** The environment in force while locked: the address variables as they were at locking, the rest as it is. */
export function withPinnedEnvironment(env: Env, pins: () => LockPins | null): Env {
  const names: ReadonlySet<string> = new Set(ADDRESS_VARIABLES);
  const pinned = (key: string | symbol) => (typeof key === 'string' && names.has(key) ? pins() : null);
  const value = (target: Record<string, string | undefined>, key: string | symbol) => {
    const current = pinned(key);
    return current ? current.environment[key as (typeof ADDRESS_VARIABLES)[number]] : target[key as string];
  };
  return new Proxy(env as Record<string, string | undefined>, {
    get: (target, key) => value(target, key),
    has: (target, key) => value(target, key) !== undefined,
    ownKeys: (target) => {
      const current = pins();
      const keys = new Set(Reflect.ownKeys(target));
      if (current) {
        for (const name of ADDRESS_VARIABLES) keys.delete(name);
        for (const name of Object.keys(current.environment)) keys.add(name);
      }
      return [...keys];
    },
    getOwnPropertyDescriptor: (target, key) => {
      const found = value(target, key);
      return found === undefined ? undefined : { value: found, writable: false, enumerable: true, configurable: true };
    },
  });
}

/** Whether stored pins look like pins (an old or damaged lock has none: then only changes are refused). */
export function isLockPins(value: unknown): value is LockPins {
  const pins = value as Partial<LockPins> | null;
  return (
    typeof pins === 'object' &&
    pins !== null &&
    typeof pins.privacy?.tier === 'string' &&
    typeof pins.bedrock === 'object' &&
    Array.isArray(pins.endpoints) &&
    typeof pins.roles === 'object' &&
    (pins.ollamaHost === null || typeof pins.ollamaHost === 'string') &&
    (pins.budget === undefined || BudgetSettingsSchema.safeParse(pins.budget).success) &&
    (pins.fallbacks === undefined || FallbacksSchema.safeParse(pins.fallbacks).success) &&
    (pins.ledgerDir === undefined || (typeof pins.ledgerDir === 'string' && pins.ledgerDir !== '')) &&
    (pins.forbidTools === undefined || pins.forbidTools === 'local' || pins.forbidTools === 'all') &&
    typeof pins.environment === 'object'
  );
}
