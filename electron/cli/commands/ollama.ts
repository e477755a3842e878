import type { Command } from 'commander';
import { AtelierError } from '../../../shared/errors';
import type { PullProgress } from '../../../shared/ollama';
import { resolveProviderConfig } from '../../core/config/provider-config';
import { detectHardware } from '../../core/hardware/system-probe';
import { OllamaService } from '../../core/ollama/ollama-service';
import { dataDirFor, egressRecorderFor, formatBytes, policyFileFor, printJson, type CliIo } from '../cli-context';
import { effectivePolicy } from '../../core/privacy/policy';
import { CliExit, EXIT_INTERRUPTED } from '../exit-codes';
import { openSettingsStore } from './settings';
import { terminalLine } from '../../../shared/terminal-text';

const FIT_WORDS = { fits: 'fits in GPU memory', spills: 'spills out of GPU memory (slow)', cpu: 'runs on the CPU', 'too-big': 'too big for this machine' } as const;

async function service(io: CliIo): Promise<{ ollama: OllamaService; vramOverrideGb: number | null }> {
  const settings = (await openSettingsStore(io)).get().settings;
  const policy = effectivePolicy(settings, policyFileFor(io).read());
  return {
    ollama: new OllamaService(() => resolveProviderConfig(settings, io.env).ollama, { policy: () => policy, onEgress: egressRecorderFor(io) }),
    vramOverrideGb: settings.hardware.vramOverrideGb,
  };
}

export function registerOllamaCommand(program: Command, io: CliIo): void {
  const ollama = program.command('ollama').description('manage local models in Ollama: list, pull, load, rm');

  ollama
    .command('list')
    .description('installed models with size, fit on this machine, and whether loaded')
    .option('--json', 'print JSON instead of text')
    .action(async (options: { json?: boolean }) => {
      const { ollama: client, vramOverrideGb } = await service(io);
      // Kept in the data folder too: `atelier chat` plans Ollama's num_ctx with it, without probing.
      const hardware = await detectHardware({ vramOverrideBytes: vramOverrideGb === null ? null : vramOverrideGb * 1024 ** 3, rememberIn: dataDirFor(io) });
      const models = await client.list(hardware);
      if (options.json) {
        printJson(io, models);
        return;
      }
      if (models.length === 0) io.stdout('No models installed. Try: atelier ollama pull llama3.2:3b\n');
      for (const model of models) {
        const fit = model.fit ? FIT_WORDS[model.fit] : 'fit unknown';
        io.stdout(`${terminalLine(model.name, 120).padEnd(28)} ${formatBytes(model.sizeBytes).padStart(8)}  ${fit}${model.loaded ? ', loaded' : ''}\n`);
      }
    });

  ollama
    .command('pull')
    .description('download a model (Ctrl-C stops; pulling again resumes)')
    .argument('<model>', 'an Ollama model name, such as llama3.2:3b')
    .action(async (model: string) => {
      const { ollama: client } = await service(io);
      const controller = new AbortController();
      const stopListening = io.onInterrupt(() => controller.abort());
      const show = io.stdoutIsTTY ? progressBar(io) : progressLines(io);
      try {
        await client.pull(model, show, controller.signal);
        io.stdout(`${io.stdoutIsTTY ? '\n' : ''}Installed ${model}.\n`);
      } catch (error) {
        if (io.stdoutIsTTY) io.stdout('\n');
        if (error instanceof AtelierError && error.code === 'cancelled') {
          io.stderr(`Stopped. ${error.hint ?? ''}\n`);
          throw new CliExit(EXIT_INTERRUPTED);
        }
        throw error;
      } finally {
        stopListening();
      }
    });

  ollama
    .command('load')
    .description('load a model into memory now, so the first answer does not wait for it')
    .argument('<model>', 'an installed model')
    .action(async (model: string) => {
      await (await service(io)).ollama.preload(model);
      io.stdout(`${model} is loaded and ready.\n`);
    });

  ollama
    .command('rm')
    .description('delete an installed model')
    .argument('<model>', 'the model to delete')
    .action(async (model: string) => {
      await (await service(io)).ollama.delete(model);
      io.stdout(`Deleted ${model}.\n`);
    });
}

/** On a terminal: one line redrawn in place, at most ten times a second. */
function progressBar(io: CliIo): (progress: PullProgress) => void {
  let last = 0;
  return (progress) => {
    const now = performance.now();
    if (!progress.done && now - last < 100) return;
    last = now;
    const width = 30;
    const filled = progress.percent === null ? 0 : Math.round((progress.percent / 100) * width);
    const bar = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
    const amount = progress.totalBytes > 0 ? ` ${formatBytes(progress.completedBytes)}/${formatBytes(progress.totalBytes)}` : '';
    const speed = progress.bytesPerSecond ? `  ${formatBytes(progress.bytesPerSecond)}/s` : '';
    const percent = progress.percent === null ? '' : ` ${progress.percent.toFixed(1).padStart(5)}%`;
    io.stdout(`\r${bar}${percent}${amount}${speed}  ${progress.status}\u001b[K`);
  };
}

/** Piped: a plain line when the step changes and at every tenth of the download. */
function progressLines(io: CliIo): (progress: PullProgress) => void {
  let lastStatus = '';
  let lastTenth = -1;
  return (progress) => {
    const tenth = progress.percent === null ? -1 : Math.floor(progress.percent / 10);
    const downloading = /^pulling [0-9a-f]+$/.test(progress.status);
    const step = downloading ? 'downloading' : progress.status;
    if (progress.done || (step === lastStatus && (!downloading || tenth === lastTenth))) return; // "Installed …" follows
    lastStatus = step;
    lastTenth = tenth;
    const amount = downloading ? ` ${progress.percent?.toFixed(0) ?? 0}% (${formatBytes(progress.completedBytes)} of ${formatBytes(progress.totalBytes)})` : '';
    io.stdout(`${step}${amount}\n`);
  };
}
