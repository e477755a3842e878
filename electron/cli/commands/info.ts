import type { Command } from 'commander';
import { describeApp, nodeRuntime } from '../../core/app-info';
import { dataDirFor, printJson, type CliIo } from '../cli-context';

export function registerInfoCommand(program: Command, io: CliIo): void {
  program
    .command('info')
    .description('show the version and where Atelier keeps its data')
    .option('--json', 'print JSON instead of text')
    .action((options: { json?: boolean }) => {
      const info = describeApp(dataDirFor(io), nodeRuntime());
      if (options.json) {
        printJson(io, info);
        return;
      }
      io.stdout(
        [
          `${info.name} ${info.version}`,
          `Platform:     ${info.platform} ${info.arch}`,
          `Node:         ${info.runtime.node}`,
          `Data folder:  ${info.dataDir}`,
          '',
        ].join('\n'),
      );
    });
}
