import type { Command } from 'commander';
import { AtelierError, describeIssues } from '../../../shared/errors';
import { SettingsPatchSchema, settingKeys, type SettingsPatch, type SettingsState } from '../../../shared/settings';
import { SettingsStore } from '../../core/settings/settings-store';
import { dataDirFor, printJson, type CliIo } from '../cli-context';

type SettingKey = keyof SettingsPatch;

export function registerSettingsCommand(program: Command, io: CliIo): void {
  const settings = program.command('settings').description('show or change settings (the same file the app uses)');

  settings
    .command('get')
    .description('print all settings, or the value of one')
    .argument('[key]', `one of: ${settingKeys.join(', ')}`)
    .option('--json', 'print JSON instead of text')
    .action(async (key: string | undefined, options: { json?: boolean }) => {
      const store = await openStore(io);
      const current = store.get().settings;
      if (key !== undefined) {
        const value = current[checkKey(key)];
        if (options.json) printJson(io, value);
        else io.stdout(`${String(value)}\n`);
        return;
      }
      if (options.json) {
        printJson(io, current);
        return;
      }
      for (const name of settingKeys) io.stdout(`${name} = ${String(current[name])}\n`);
    });

  settings
    .command('set')
    .description('change one setting')
    .argument('<key>', `one of: ${settingKeys.join(', ')}`)
    .argument('<value>', 'the new value')
    .action(async (key: string, value: string) => {
      const name = checkKey(key);
      const patch = SettingsPatchSchema.safeParse({ [name]: parseValue(value) });
      if (!patch.success) {
        throw new AtelierError(
          'invalid_request',
          `"${value}" is not a valid value for ${name}: ${describeIssues(patch.error.issues)}.`,
          `Run "atelier settings get ${name}" to see the current value.`,
        );
      }
      const store = await openStore(io);
      const state = await store.update(patch.data);
      io.stdout(`${name} = ${String(state.settings[name])}\n`);
    });
}

async function openStore(io: CliIo): Promise<SettingsStore> {
  const store = await SettingsStore.open(dataDirFor(io));
  warnAboutRecovery(io, store.get());
  return store;
}

/** Tells the user once that their settings file had to be repaired, and where the original is. */
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

function checkKey(key: string): SettingKey {
  if ((settingKeys as string[]).includes(key)) return key as SettingKey;
  throw new AtelierError(
    'invalid_request',
    `"${key}" is not a setting.`,
    `Settings you can change: ${settingKeys.join(', ')}.`,
  );
}

/** Numbers and booleans arrive as text on a command line; JSON-looking values are read as JSON. */
function parseValue(value: string): unknown {
  if (/^(true|false|null|-?\d+(\.\d+)?)$/.test(value)) return JSON.parse(value) as unknown;
  return value;
}
