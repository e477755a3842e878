import type { Command } from 'commander';
import { retiredModel } from '../../core/models/lifecycle';
import { AtelierError, describeIssues } from '../../../shared/errors';
import type * as z from 'zod';
import { DEFAULT_SETTINGS, SettingsPatchSchema, applySettingsPatch, builtinProviderPrefixes, type Settings, type SettingsPatch, type SettingsState } from '../../../shared/settings';
import { printable } from '../../../shared/text';
import { SettingsStore } from '../../core/settings/settings-store';
import { guardSettings } from '../../core/privacy/settings-guard';
import { classroomLockFor, dataDirFor, policyFileFor, printJson, type CliIo } from '../cli-context';

/**
 * The settings a command line can set, as dotted paths: `theme`, `ollama.host`, … Lists
 * (endpoints) have their own command.
 */
export const settingPaths: readonly string[] = Object.entries(DEFAULT_SETTINGS).flatMap(([key, value]) => {
  if (key === 'schemaVersion' || Array.isArray(value)) return [];
  if (typeof value === 'object' && value !== null) return Object.keys(value).map((inner) => `${key}.${inner}`);
  return [key];
});

export function registerSettingsCommand(program: Command, io: CliIo): void {
  const settings = program
    .command('settings')
    .alias('config')
    .description('show or change settings, never secrets (the same file the app uses); also: atelier config');

  settings
    .command('get')
    .alias('list')
    .description('print all settings, or the value of one')
    .argument('[key]', `one of: ${settingPaths.join(', ')}`)
    .option('--json', 'print JSON instead of text')
    .action(async (key: string | undefined, options: { json?: boolean }) => {
      const current = (await openSettingsStore(io)).get().settings;
      if (key !== undefined) {
        const path = checkPath(key);
        const value = readPath(current, path);
        if (options.json) printJson(io, value);
        else io.stdout(`${formatValue(value, path)}\n`);
        return;
      }
      if (options.json) {
        printJson(io, current);
        return;
      }
      for (const path of settingPaths) io.stdout(`${path} = ${formatValue(readPath(current, path), path)}\n`);
      for (const endpoint of current.endpoints) io.stdout(`endpoint ${endpoint.prefix} = ${endpoint.baseUrl} (${endpoint.name})\n`);
    });

  settings
    .command('set')
    .description('change one setting ("null" resets the ones that may be empty; "auto" lets Atelier choose ollama.numCtx)')
    .argument('<key>', `one of: ${settingPaths.join(', ')}`)
    .argument('<value>', 'the new value')
    .action(async (key: string, value: string) => {
      const path = checkPath(key);
      const patch = parsePatch(path, value);
      // A model id must name a provider there is: decided on the endpoints on disk now, under the
      // settings lock (the schema alone cannot know which endpoints were added).
      const store = await openSettingsStore(io);
      // The school's server (its policy file's schoolServer) counts too, though it is not in the file.
      const inForce = store.get().settings.endpoints.map((endpoint) => endpoint.prefix);
      const state = await store.update((current) => {
        checkProvider(path, value, readPath(applySettingsPatch(current, patch), path), current, inForce);
        return patch;
      });
      io.stdout(`${path} = ${formatValue(readPath(state.settings, path), path)}\n`);
    });
}

/**
 * Opens the shared settings file, warning once on stderr if it had to be repaired. Every change
 * through it is checked against the school's policy file and the classroom lock, under the data
 * folder's lock (so the app or another command cannot slip a change in between).
 */
export async function openSettingsStore(io: CliIo): Promise<SettingsStore> {
  const lock = classroomLockFor(io);
  const policyFile = policyFileFor(io);
  // The school's server (policy file `schoolServer`) is among the endpoints in force.
  const store = await SettingsStore.open(dataDirFor(io), { guard: guardSettings(policyFile, lock), pins: lock, policy: () => policyFile.read() });
  warnAboutRecovery(io, store.get());
  return store;
}

function warnAboutRecovery(io: CliIo, state: SettingsState): void {
  if (state.recovery === null) return;
  io.stderr(
    [
      'Warning: your settings file could not be used as it was; Atelier repaired it.',
      ...state.recovery.problems.map((problem) => `  - ${problem}`),
      `  The original was kept at ${state.recovery.keptAt}`,
      '',
    ].join('\n'),
  );
}

function checkPath(key: string): string {
  if (settingPaths.includes(key)) return key;
  throw new AtelierError('invalid_request', `"${printable(key, 80)}" is not a setting.`, `Settings you can change: ${settingPaths.join(', ')}.`);
}

function readPath(settings: Settings, path: string): unknown {
  return path.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], settings);
}

/** Settings that hold a list, given comma-separated. */
const LIST_SETTINGS = new Set(['gateway.allowedOrigins']);

/** Settings whose empty value (null) means that Atelier chooses: `auto` sets and shows it. */
const AUTOMATIC_SETTINGS = new Set(['ollama.numCtx']);

function formatValue(value: unknown, path: string): string {
  if (value === null) return AUTOMATIC_SETTINGS.has(path) ? 'auto' : '(not set)';
  if (Array.isArray(value)) return value.length === 0 ? '(none)' : value.join(',');
  return String(value);
}

/**
 * The value as the setting wants it. Everything arrives as text on a command line: `null` clears
 * a setting that may be empty (`auto` too, where empty means that Atelier chooses); otherwise the
 * text is tried as it is first (`ollama.keepAlive -1` is the duration "-1", a profile may be
 * called "2024"), and as a number or a boolean only when the setting does not take text
 * (`ollama.numCtx 16384`, `chat.firstRunCompleted true`).
 */
function parsePatch(path: string, value: string): SettingsPatch {
  // `auto` (or `automatic`) lets Atelier choose, as null does (ollama.numCtx auto).
  if (AUTOMATIC_SETTINGS.has(path) && /^auto(matic)?$/i.test(value.trim())) value = 'null';
  const [group, field] = path.split('.') as [string, string | undefined];
  if (LIST_SETTINGS.has(path)) {
    // A list is given comma-separated ("" for none): gateway.allowedOrigins http://localhost:8888,http://127.0.0.1:3000
    const list = value.split(',').map((item) => item.trim()).filter(Boolean);
    const parsed = SettingsPatchSchema.safeParse({ [group]: { [field ?? '']: list } });
    if (parsed.success) return parsed.data;
    throw new AtelierError('invalid_request', `"${printable(value, 80)}" is not a valid value for ${path}: ${describeIssues(parsed.error.issues)}.`, 'Give them comma-separated, such as http://localhost:8888,http://127.0.0.1:3000, or "" for none.');
  }
  const attempt = (candidate: unknown) => SettingsPatchSchema.safeParse(field === undefined ? { [group]: candidate } : { [group]: { [field]: candidate } });
  const typed: unknown[] = [];
  if (value === 'null') typed.push(null);
  else if (/^(true|false|-?\d+(\.\d+)?)$/.test(value)) typed.push(JSON.parse(value) as unknown);
  const attempts = value === 'null' ? [...typed, value] : [value, ...typed];
  let failure: z.ZodError | null = null;
  for (const candidate of attempts) {
    const parsed = attempt(candidate);
    if (parsed.success) return parsed.data;
    // What went wrong with the value as the setting would most likely take it: the typed form of
    // a number or `null`, else the text.
    if (failure === null || (candidate !== value && typed.includes(candidate))) failure = parsed.error;
  }
  throw new AtelierError(
    'invalid_request',
    `"${printable(value, 80)}" is not a valid value for ${path}: ${describeSettingIssues(path, failure?.issues ?? [])}.`,
    `Run "atelier settings get ${path}" to see the current value.`,
  );
}

/** The schema's complaints, each once, without repeating the setting's name already said. */
function describeSettingIssues(path: string, issues: readonly z.core.$ZodIssue[]): string {
  const own = issues.filter((issue) => issue.path.join('.') === path);
  if (own.length !== issues.length || own.length === 0) return describeIssues(issues);
  return [...new Set(own.map((issue) => issue.message))].join('; ');
}

/** Settings whose value is a model id (`provider/model`). */
const MODEL_ID_SETTINGS = new Set(['chat.model', 'roles.fast', 'roles.advanced', 'roles.extreme']);

/**
 * A model id for a provider that is neither built in nor an endpoint added here would fail at
 * the first message, far from the command that set it: refused now, with the providers there are.
 */
function checkProvider(path: string, value: string, id: unknown, current: Settings, inForce: readonly string[] = []): void {
  if (!MODEL_ID_SETTINGS.has(path) || typeof id !== 'string') return;
  const prefix = id.slice(0, id.indexOf('/'));
  const endpoints = [...new Set([...current.endpoints.map((endpoint) => endpoint.prefix), ...inForce])];
  const providers = [...builtinProviderPrefixes, ...endpoints];
  if (providers.includes(prefix)) {
    // A model its provider retired would fail at the first message, far from this command.
    const retired = retiredModel(prefix, id.slice(prefix.length + 1));
    if (retired) {
      throw new AtelierError('invalid_request', `"${printable(value, 80)}" was retired on ${retired.retiredOn}: it answers no more.`, retired.successor ? `Use ${retired.successor}: atelier settings set ${path} ${retired.successor}` : 'Choose a current model (atelier models lists them).');
    }
    return;
  }
  throw new AtelierError(
    'invalid_request',
    `"${printable(value, 80)}" is not a valid value for ${path}: there is no provider "${printable(prefix, 40)}".`,
    `Providers: ${providers.join(', ')}. A model id is provider/model, such as local/llama3.2:3b; add an endpoint of your own with "atelier endpoints add PREFIX URL".`,
  );
}
