import { InvalidArgumentError, type Command } from 'commander';
import { printable, stripByteOrderMark } from '../../../shared/text';
import { pinsFrom } from '../../core/privacy/lock-pins';
import { classroomLockFor, dataDirFor, type CliIo } from '../cli-context';
import { openSettingsStore } from './settings';

async function password(io: CliIo): Promise<string> {
  if (io.stdin.isTTY) io.stderr('Password (then Enter and Ctrl-D): ');
  return stripByteOrderMark(await io.stdin.readAll()).replace(/\r?\n$/, '');
}

export function registerLockCommands(program: Command, io: CliIo): void {
  program
    .command('lock')
    .description('lock the privacy setting, providers and keys for a class (password from standard input)')
    .option('--forbid-tools <which>', 'while locked, forbid tool servers: local (programs on this computer) or all', (value: string) => {
      if (value !== 'local' && value !== 'all') throw new InvalidArgumentError(`--forbid-tools takes local or all, not "${printable(value, 20)}".`);
      return value;
    })
    .action(async (options: { forbidTools?: 'local' | 'all' }) => {
      const secret = await password(io);
      // What is in force now stays in force while locked: the settings and the address variables.
      const settings = (await openSettingsStore(io)).get().settings;
      const pins = { ...pinsFrom(settings, io.env, dataDirFor(io)), ...(options.forbidTools && { forbidTools: options.forbidTools }) };
      const { keychainCopy } = await classroomLockFor(io).lock(secret, pins);
      io.stdout('Atelier is locked: the privacy setting, the providers, their addresses and their keys stay as they are until it is unlocked.\n');
      if (!keychainCopy) {
        io.stderr(
          'Warning: the keychain could not be reached, so the lock holds for this data folder only (not for another one set with ATELIER_HOME).\n' +
            'Hint: unlock, start or unlock the desktop keyring, and lock again.\n',
        );
      }
    });

  program
    .command('unlock')
    .description('unlock with the password the lock was set with (from standard input)')
    .action(async () => {
      const { wasLocked } = await classroomLockFor(io).unlock(await password(io));
      io.stdout(wasLocked ? 'Atelier is unlocked.\n' : 'Atelier is not locked; nothing was changed.\n');
    });
}
