import type { Command } from 'commander';
import { stripByteOrderMark } from '../../../shared/text';
import { classroomLockFor, type CliIo } from '../cli-context';

async function password(io: CliIo): Promise<string> {
  if (io.stdin.isTTY) io.stderr('Password (then Enter and Ctrl-D): ');
  return stripByteOrderMark(await io.stdin.readAll()).replace(/\r?\n$/, '');
}

export function registerLockCommands(program: Command, io: CliIo): void {
  program
    .command('lock')
    .description('lock the privacy setting, providers and keys for a class (password from standard input)')
    .action(async () => {
      await classroomLockFor(io).lock(await password(io));
      io.stdout('Atelier is locked: the privacy setting, the providers and their keys cannot be changed until it is unlocked.\n');
    });

  program
    .command('unlock')
    .description('unlock with the password the lock was set with (from standard input)')
    .action(async () => {
      await classroomLockFor(io).unlock(await password(io));
      io.stdout('Atelier is unlocked.\n');
    });
}
