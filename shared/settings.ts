import { z } from 'zod';
import { languages, themes } from './preferences';

/** The current version of the settings file layout; bumped when a migration is needed. */
export const SETTINGS_SCHEMA_VERSION = 1;

/**
 * Everything the user can set that is not a secret. Secrets live in the OS keychain only, so no
 * field here may ever hold a key, a token or a password.
 */
export const SettingsSchema = z.strictObject({
  schemaVersion: z.literal(SETTINGS_SCHEMA_VERSION),
  /** UI language; `system` follows the operating system's language. */
  language: z.enum(languages),
  /** Colour theme; `system` follows the operating system's light or dark mode. */
  theme: z.enum(themes),
});
export type Settings = z.infer<typeof SettingsSchema>;

export const DEFAULT_SETTINGS: Settings = {
  schemaVersion: SETTINGS_SCHEMA_VERSION,
  language: 'system',
  theme: 'system',
};

/** A change to some settings; keys left out keep their value. */
export const SettingsPatchSchema = SettingsSchema.omit({ schemaVersion: true }).partial();
export type SettingsPatch = z.infer<typeof SettingsPatchSchema>;

/** The user-editable setting names, for the CLI and for error hints. */
export const settingKeys = Object.keys(SettingsPatchSchema.shape) as (keyof SettingsPatch)[];

/**
 * What happened when a settings file could not be used as it was. The original file is never
 * dropped: it is kept beside the new one at `keptAt` so the user (or support) can look at it.
 */
export const SettingsRecoverySchema = z.object({
  /** `unreadable`: not JSON or not an object; `invalid`: some values were wrong or unknown. */
  reason: z.enum(['unreadable', 'invalid']),
  /** One line per problem, such as `theme: expected one of system, light, dark`. */
  problems: z.array(z.string()),
  /** Absolute path of the copy of the original file. */
  keptAt: z.string(),
});
export type SettingsRecovery = z.infer<typeof SettingsRecoverySchema>;

export const SettingsStateSchema = z.object({
  settings: SettingsSchema,
  /** Set when the file read at start-up had to be repaired; null otherwise. */
  recovery: SettingsRecoverySchema.nullable(),
});
export type SettingsState = z.infer<typeof SettingsStateSchema>;
