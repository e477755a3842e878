import fs from 'node:fs/promises';
import path from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { AssistantIdSchema, type Assistant, type AssistantFieldsInput } from '../../../shared/assistants';
import { AtelierError } from '../../../shared/errors';
import { decodePersonsText, printable } from '../../../shared/text';
import { terminalLine, stripTerminalControls } from '../../../shared/terminal-text';
import { AssistantLibrary } from '../../core/assistants/assistant-library';
import { AssistantStore } from '../../core/assistants/assistant-store';
import { assistantLanguage } from '../../core/assistants/builtin-assistants';
import { classroomLockFor, databaseFor, policyFileFor, printJson, type CliIo } from '../cli-context';
import { openSettingsStore } from './settings';
import { readStart } from '../user-file';

/** The assistants of this data folder, as the app has them (built-in ones in the CLI's language). */
export async function assistantLibraryFor(io: CliIo): Promise<AssistantLibrary> {
  const settings = (await openSettingsStore(io)).get().settings;
  // The app's language setting where one is chosen, else the terminal's (LC_ALL, LC_MESSAGES, LANG).
  const language = assistantLanguage(settings.language !== 'system' ? settings.language : io.env.LC_ALL || io.env.LC_MESSAGES || io.env.LANG);
  let store: AssistantStore | null = null;
  return new AssistantLibrary({
    store: () => (store ??= new AssistantStore(databaseFor(io))),
    policyFile: () => policyFileFor(io).read(),
    classroomLocked: () => classroomLockFor(io).isLocked(),
    language: () => language,
    knownPrefixes: () => settings.endpoints.map((endpoint) => endpoint.prefix),
  });
}

interface FieldOptions {
  name?: string;
  description?: string;
  promptFile?: string;
  model?: string;
  temperature?: number;
  opening?: string;
}

export function registerAssistantsCommand(program: Command, io: CliIo): void {
  const assistants = program
    .command('assistants')
    .description('assistants: a name, instructions and a preferred model, ready for a class (list, show, add, edit, remove)');

  assistants
    .command('list')
    .description("list the school's, the built-in and your own assistants")
    .option('--json', 'print JSON instead of text')
    .action(async (options: { json?: boolean }) => {
      const list = await (await assistantLibraryFor(io)).list();
      if (options.json) {
        printJson(io, list);
        return;
      }
      if (list.policyProblem) io.stderr(`Note: ${list.policyProblem} Until it is fixed, the school's assistants and rules are unknown, and assistants cannot be changed.\n`);
      if (list.schoolOnly) io.stdout('Your school allows chats only with its own assistants (marked school); the others cannot be used here.\n');
      if (list.lockedBy) io.stdout(list.lockedBy === 'policy' ? 'Your school manages the assistants: they cannot be changed here.\n' : 'The class is locked: assistants cannot be changed.\n');
      const width = Math.max(...list.assistants.map((assistant) => assistant.id.length), 2);
      for (const assistant of list.assistants) {
        const model = assistant.model ? `  [${terminalLine(assistant.model, 80)}]` : '';
        const unusable = list.schoolOnly && assistant.source !== 'school' ? '  (not allowed here)' : '';
        io.stdout(`${assistant.id.padEnd(width)}  ${SOURCE_LABEL[assistant.source].padEnd(8)}  ${terminalLine(assistant.name, 80)}${model}${unusable}\n`);
      }
      io.stdout('\nChat with one: atelier chat --assistant ID "your message"\n');
    });

  assistants
    .command('show')
    .description('show one assistant with its instructions')
    .argument('<id>', 'its id, from atelier assistants list', assistantId)
    .option('--json', 'print JSON instead of text')
    .action(async (id: string, options: { json?: boolean }) => {
      const assistant = (await assistantLibraryFor(io)).get(id);
      if (options.json) {
        printJson(io, assistant);
        return;
      }
      io.stdout(describe(assistant));
    });

  assistants
    .command('add')
    .description('add an assistant of your own (or copy one with --from)')
    .option('--name <name>', 'its name, such as "Mathe-Tutor"')
    .option('--prompt-file <file>', 'a text file with its instructions (its system prompt); - reads standard input')
    .option('--description <text>', 'one line saying what it is for')
    .option('-m, --model <id>', 'the model or role it prefers: provider/model, or fast, advanced, extreme')
    .option('-t, --temperature <number>', 'randomness, 0 to 2', temperatureArgument)
    .option('--opening <text>', 'its first message in a new conversation')
    .option('--from <id>', 'start from a copy of this assistant (a built-in one, the school’s or your own)', assistantId)
    .addHelpText('after', '\nExamples:\n  atelier assistants add --name "Mathe-Tutor" --prompt-file tutor.txt --model advanced\n  atelier assistants add --from tutor --name "Physik-Tutor"\n')
    .action(async (options: FieldOptions & { from?: string }) => {
      const library = await assistantLibraryFor(io);
      const base = options.from === undefined ? null : library.get(options.from);
      if (!base && (options.name === undefined || options.promptFile === undefined)) {
        throw new AtelierError('invalid_request', 'A new assistant needs a name and instructions.', 'Give --name "NAME" and --prompt-file FILE (or --from ID to start from a copy).');
      }
      const fields: AssistantFieldsInput = {
        name: options.name ?? `${(base?.name ?? '').slice(0, 73).trimEnd()} (copy)`,
        description: options.description ?? base?.description ?? '',
        systemPrompt: options.promptFile !== undefined ? await readPromptFile(io, options.promptFile) : (base?.systemPrompt ?? ''),
        model: options.model ?? base?.model ?? null,
        temperature: options.temperature ?? base?.temperature ?? null,
        openingMessage: options.opening ?? base?.openingMessage ?? null,
      };
      const added = await library.add(fields);
      io.stdout(`Added “${terminalLine(added.name, 80)}” as ${added.id}. Chat with it: atelier chat --assistant ${added.id} "…"\n`);
    });

  assistants
    .command('edit')
    .description('change an assistant of your own; what is not given stays')
    .argument('<id>', 'its id', assistantId)
    .option('--name <name>', 'its name')
    .option('--prompt-file <file>', 'a text file with its instructions; - reads standard input')
    .option('--description <text>', 'one line saying what it is for')
    .option('-m, --model <id>', 'the model or role it prefers; "none" for whatever is picked')
    .option('-t, --temperature <number>', 'randomness, 0 to 2', temperatureArgument)
    .option('--opening <text>', 'its first message in a new conversation; "" for none')
    .action(async (id: string, options: FieldOptions) => {
      const library = await assistantLibraryFor(io);
      const current = library.get(id);
      const updated = await library.update(id, {
        name: options.name ?? current.name,
        description: options.description ?? current.description,
        systemPrompt: options.promptFile !== undefined ? await readPromptFile(io, options.promptFile) : current.systemPrompt,
        model: options.model === undefined ? current.model : options.model === 'none' ? null : options.model,
        temperature: options.temperature ?? current.temperature,
        openingMessage: options.opening === undefined ? current.openingMessage : options.opening.trim() === '' ? null : options.opening,
      });
      io.stdout(`Saved “${terminalLine(updated.name, 80)}” (${updated.id}).\n`);
    });

  assistants
    .command('remove')
    .description('delete an assistant of your own (conversations with it keep its name and instructions)')
    .argument('<id>', 'its id', assistantId)
    .action(async (id: string) => {
      const library = await assistantLibraryFor(io);
      const { name } = library.get(id);
      await library.remove(id);
      io.stdout(`Removed “${terminalLine(name, 80)}” (${id}).\n`);
    });
}

const SOURCE_LABEL: Record<Assistant['source'], string> = { school: 'school', builtin: 'built-in', user: 'yours' };

function describe(assistant: Assistant): string {
  const lines = [
    `${terminalLine(assistant.name, 200)} (${assistant.id}, ${SOURCE_LABEL[assistant.source]}${assistant.editable ? '' : ', read-only'})`,
    ...(assistant.description ? [terminalLine(assistant.description, 400)] : []),
    `Model: ${assistant.model === null ? 'whichever is picked' : terminalLine(assistant.model, 300)}`,
    `Temperature: ${assistant.temperature ?? 'the provider’s default'}`,
    ...(assistant.openingMessage ? [`Opening message: ${terminalLine(assistant.openingMessage, 2000)}`] : []),
    '',
    'Instructions:',
    stripTerminalControls(assistant.systemPrompt),
  ];
  return `${lines.join('\n')}\n`;
}

function assistantId(value: string): string {
  if (!AssistantIdSchema.safeParse(value).success) {
    throw new InvalidArgumentError(`"${printable(value, 70)}" is not an assistant id: ids are lower-case letters, digits and dashes, such as mathe-tutor (see atelier assistants list).`);
  }
  return value;
}

function temperatureArgument(value: string): number {
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isFinite(parsed) || parsed < 0 || parsed > 2) {
    throw new InvalidArgumentError(`--temperature must be a number from 0 to 2, such as 0.7, not "${printable(value, 40)}".`);
  }
  return parsed;
}

/** The largest instructions file read (the instructions themselves may be 20,000 characters). */
const MAX_PROMPT_FILE_BYTES = 256 * 1024;

/** Reads the instructions from a file the user named (or standard input for `-`): UTF-8 (a BOM is fine) or UTF-16. */
async function readPromptFile(io: CliIo, file: string): Promise<string> {
  if (file === '-') {
    if (io.stdin.isTTY) throw new AtelierError('invalid_request', 'There are no instructions on standard input.', 'Pipe them in: atelier assistants add --name N --prompt-file - < prompt.txt');
    return io.stdin.readAll();
  }
  const full = path.resolve(io.cwd, file);
  let content: Buffer;
  try {
    const stat = await fs.stat(full);
    if (stat.isDirectory()) throw new AtelierError('invalid_request', `${printable(file, 200)} is a folder, not a file.`, 'Give a text file with the instructions.');
    if (stat.isFile() && stat.size > MAX_PROMPT_FILE_BYTES) throw tooLarge(file);
    // A pipe (`--prompt-file <(…)`) or a device is read up to the limit.
    content = Buffer.from(await readStart(full, MAX_PROMPT_FILE_BYTES + 1));
    if (content.length > MAX_PROMPT_FILE_BYTES) throw tooLarge(file);
  } catch (error) {
    if (error instanceof AtelierError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new AtelierError(
      'invalid_request',
      code === 'ENOENT' ? `There is no file ${printable(file, 200)}.` : `${printable(file, 200)} cannot be read (${code ?? 'unknown error'}).`,
      'Check the file name (it is relative to the current folder).',
    );
  }
  const text = decodePersonsText(content);
  // Text saved as Latin-1 or Windows-1252 ("ANSI") is not UTF-8: taken as it is, its umlauts would be lost.
  if (text.includes('\uFFFD') && !content.includes(Buffer.from('\uFFFD', 'utf8'))) {
    throw new AtelierError('invalid_request', `${printable(file, 200)} is not UTF-8 text (it may be saved as Latin-1 or "ANSI").`, 'Save it as UTF-8 (in Notepad: Save as → Encoding: UTF-8) and try again.');
  }
  return text;
}

function tooLarge(file: string): AtelierError {
  return new AtelierError('invalid_request', `${printable(file, 200)} is larger than 256 KB: instructions are at most 20,000 characters.`, 'Shorten the instructions.');
}
