import * as z from 'zod';
import { DEFAULT_SETTINGS, SettingsSchema, type Settings } from '../../../shared/settings';
import { describeInvisibleCharacter, printable, stripByteOrderMark } from '../../../shared/text';
import { scrubSecrets } from '../secrets/scrub';

export interface RecoveredSettings {
  settings: Settings;
  /** null when the file was fine as it was. */
  reason: 'unreadable' | 'invalid' | null;
  problems: string[];
}

/**
 * Reads a settings file's text as far as it can. Valid values are kept, wrong or unknown ones are
 * replaced by defaults and listed as problems. Missing values silently take their defaults: a
 * file written by an older Atelier lacks the settings added since.
 */
export function recoverSettings(text: string): RecoveredSettings {
  let data: unknown;
  try {
    data = JSON.parse(stripByteOrderMark(text));
  } catch (error) {
    const invisible = describeInvisibleCharacter(stripByteOrderMark(text));
    return unreadableSettings(`the file is not valid JSON (${printable((error as Error).message)}${invisible ? `; it contains ${invisible}` : ''})`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return unreadableSettings('the file does not hold a JSON object');
  }

  const settings: Settings = { ...DEFAULT_SETTINGS };
  const problems: string[] = [];
  const shape = SettingsSchema.shape;
  for (const [key, value] of Object.entries(migrateSettings(data as Record<string, unknown>))) {
    if (!Object.hasOwn(shape, key)) {
      problems.push(`${key}: not a setting this version of Atelier knows`);
      continue;
    }
    const schema = shape[key as keyof typeof shape];
    const field = schema.safeParse(value);
    if (field.success) {
      (settings as Record<string, unknown>)[key] = field.data;
    } else if (schema instanceof z.ZodObject && typeof value === 'object' && value !== null && !Array.isArray(value)) {
      // A group (ollama, budget, …): its good values are kept one by one, the others take defaults.
      (settings as Record<string, unknown>)[key] = recoverGroup(key, schema, value as Record<string, unknown>, (settings as Record<string, unknown>)[key] as Record<string, unknown>, problems);
    } else {
      problems.push(problemWith(key, field.error.issues[0]?.message, value));
    }
  }
  return { settings, problems, reason: problems.length > 0 ? 'invalid' : null };
}

/** The old default `ollama.numCtx`, written into every settings file of layout 1. */
const OLD_DEFAULT_NUM_CTX = 8192;

/**
 * Brings a file written by an older Atelier to the current layout, so its values are read as
 * they were meant (a file of a newer layout is left alone: its version is then reported).
 *
 * 1 → 2: `ollama.numCtx` became nullable, null choosing it per model from the GPU's memory.
 * Layout 1 wrote the default 8192 into every file, so 8192 there cannot be told from a choice:
 * it is taken as the default it almost always was, and becomes automatic. Any other number was
 * set by someone and stays fixed. (Setting 8192 again now keeps it: the file is then layout 2.)
 */
export function migrateSettings(data: Record<string, unknown>): Record<string, unknown> {
  const version = data.schemaVersion ?? 1;
  if (version !== 1) return data;
  const ollama = data.ollama;
  const migrated: Record<string, unknown> = { ...data, schemaVersion: 2 };
  if (typeof ollama === 'object' && ollama !== null && !Array.isArray(ollama) && (ollama as Record<string, unknown>).numCtx === OLD_DEFAULT_NUM_CTX) {
    migrated.ollama = { ...ollama, numCtx: null };
  }
  return migrated;
}

/** The result for a file that holds nothing usable. */
export function unreadableSettings(problem: string): RecoveredSettings {
  return { settings: { ...DEFAULT_SETTINGS }, reason: 'unreadable', problems: [problem] };
}

/** What was found is quoted shortened, and never with credentials (an old endpoint URL may hold a password). */
function problemWith(key: string, message: string | undefined, value: unknown): string {
  return `${key}: ${message ?? 'invalid value'} (found ${scrubSecrets(printable(JSON.stringify(value) ?? 'nothing', 200))})`;
}

/** A settings group field by field: valid values kept, missing ones and wrong ones at their defaults (wrong ones listed). */
function recoverGroup(group: string, schema: z.ZodObject, value: Record<string, unknown>, defaults: Record<string, unknown>, problems: string[]): Record<string, unknown> {
  const recovered: Record<string, unknown> = { ...defaults };
  for (const [name, found] of Object.entries(value)) {
    const fieldSchema = (schema.shape as Record<string, z.ZodType | undefined>)[name];
    if (!fieldSchema) {
      problems.push(`${group}.${name}: not a setting this version of Atelier knows`);
      continue;
    }
    const parsed = fieldSchema.safeParse(found);
    if (parsed.success) recovered[name] = parsed.data;
    else problems.push(problemWith(`${group}.${name}`, parsed.error.issues[0]?.message, found));
  }
  const whole = schema.safeParse(recovered);
  return whole.success ? whole.data : defaults;
}
