import { terminalLine } from '../../../shared/terminal-text';
import type { Command } from 'commander';
import { EgressLog } from '../../core/privacy/egress-log';
import { openDatabase } from '../../core/store/database';
import { dataDirFor, printJson, writeUserFile, type CliIo } from '../cli-context';

export function registerEgressCommand(program: Command, io: CliIo): void {
  const egress = program.command('egress').description('the record of requests that left this computer or were refused (never their content)');

  egress
    .command('list')
    .description('the latest entries, newest first')
    .option('--limit <n>', 'how many', '20')
    .option('--json', 'print JSON instead of text')
    .action((options: { limit: string; json?: boolean }) => {
      const log = new EgressLog(openDatabase(dataDirFor(io)));
      const entries = log.list({ limit: Math.max(1, Math.min(1000, Number(options.limit) || 20)) });
      if (options.json) {
        printJson(io, entries);
        return;
      }
      if (entries.length === 0) io.stdout('No requests recorded yet.\n');
      for (const entry of entries) {
        const via = entry.client ? `  via ${terminalLine(entry.client, 64)} (local endpoint)` : '';
        io.stdout(`${entry.at}  ${entry.outcome.padEnd(9)} ${entry.routeClass.padEnd(6)} ${entry.provider}/${entry.modelId} → ${entry.host}${entry.region ? ` (${entry.region})` : ''}${via}\n`);
      }
    });

  egress
    .command('export')
    .description('write the whole record as CSV, for a school’s data-protection records')
    .argument('<file>', 'where to write the CSV')
    .action(async (file: string) => {
      const log = new EgressLog(openDatabase(dataDirFor(io)));
      const target = await writeUserFile(io, file, log.toCsv());
      io.stdout(`Wrote ${log.count()} entries to ${target}.\n`);
    });
}
