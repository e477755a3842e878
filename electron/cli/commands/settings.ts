import type { Command } from 'commander';
import { AtelierError, describeIssues } from '../../../shared/errors';
import { DEFAULT_SETTINGS, SettingsPatchSchema, type Settings, type SettingsState } from '../../../shared/settings';
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
        const value = readPath(current, checkPath(key));
        if (options.json) printJson(io, value);
        else io.stdout(`${formatValue(value)}\n`);
        return;
      }
      if (options.json) {
        printJson(io, current);
        return;
      }
      for (const path of settingPaths) io.stdout(`${path} = ${formatValue(readPath(current, path))}\n`);
      for (const endpoint of current.endpoints) io.stdout(`endpoint ${endpoint.prefix} = ${endpoint.baseUrl} (${endpoint.name})\n`);
    });

  settings
    .command('set')
    .description('change one setting ("null" resets the ones that may be empty)')
    .argument('<key>', `one of: ${settingPaths.join(', ')}`)
    .argument('<value>', 'the new value')
    .action(async (key: string, value: string) => {
      const path = checkPath(key);
      const [group, field] = path.split('.') as [string, string | undefined];
      const raw = field === undefined ? { [group]: parseValue(value) } : { [group]: { [field]: parseValue(value) } };
      const patch = SettingsPatchSchema.safeParse(raw);
      if (!patch.success) {
        throw new AtelierError(
          'invalid_request',
          `"${printable(value, 80)}" is not a valid value for ${path}: ${describeIssues(patch.error.issues)}.`,
          `Run "atelier settings get ${path}" to see the current value.`,
        );
      }
      const state = await (await openSettingsStore(io)).update(patch.data);
      io.stdout(`${path} = ${formatValue(readPath(state.settings, path))}\n`);
    });
}

/**
 * Opens the shared settings file, warning once on stderr if it had to be repaired. Every change
 * through it is checked against the school's policy file and the classroom lock, under the data
 * folder's lock (so the app or another command cannot slip a change in between).
 */
export async function openSettingsStore(io: CliIo): Promise<SettingsStore> {
  const lock = classroomLockFor(io);
  const store = await SettingsStore.open(dataDirFor(io), { guard: guardSettings(policyFileFor(io), lock), pins: lock });
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

function formatValue(value: unknown): string {
  return value === null ? '(not set)' : String(value);
}

/** Numbers and booleans arrive as text on a command line; JSON-looking values are read as JSON. */
function parseValue(value: string): unknown {
  if (/^(true|false|null|-?\d+(\.\d+)?)$/.test(value)) return JSON.parse(value) as unknown;
  return value;
}
