import { InvalidArgumentError, type Command } from 'commander';
import { exportFormats, type ExportFormat } from '../../../shared/choices';
import { SNIPPET_MARK_END, SNIPPET_MARK_START, type SearchHit } from '../../../shared/conversations';
import { terminalLine } from '../../../shared/terminal-text';
import { exportConversation } from '../../core/conversations/conversation-export';
import { ConversationStore } from '../../core/conversations/conversation-store';
import { openDatabase } from '../../core/store/database';
import { dataDirFor, printJson, writeUserFile, type CliIo } from '../cli-context';

const conversationId = (value: string): number => {
  const id = Number(value);
  if (!Number.isInteger(id) || id <= 0) throw new InvalidArgumentError('a conversation number, as `atelier conversations list` shows it.');
  return id;
};

const exportFormat = (value: string): ExportFormat => {
  if (!(exportFormats as readonly string[]).includes(value)) throw new InvalidArgumentError(`one of ${exportFormats.join(', ')}.`);
  return value as ExportFormat;
};

/**
 * Matched words between U+0002 and U+0003 become «…», in a terminal and in JSON alike: the
 * markers are the app's own, and control characters in JSON output would only confuse a reader.
 */
const markedSnippet = (snippet: string) => snippet.replaceAll(SNIPPET_MARK_START, '«').replaceAll(SNIPPET_MARK_END, '»');

/** A title for a line of output: escape sequences and other controls dropped, one line. */
const titleLine = (title: string) => terminalLine(title, 120) || '(untitled)';

/** A search hit as `--json` prints it: the snippet with «» marks. */
const hitForJson = (hit: SearchHit): SearchHit => ({ ...hit, snippet: markedSnippet(hit.snippet) });

export function registerConversationsCommand(program: Command, io: CliIo): void {
  const conversations = program.command('conversations').description('the saved conversations: list, search, export');
  const store = () => new ConversationStore(openDatabase(dataDirFor(io)));

  conversations
    .command('list')
    .description('every conversation, latest first')
    .option('--json', 'print JSON instead of text')
    .action((options: { json?: boolean }) => {
      const list = store().listConversations();
      if (options.json) {
        printJson(io, list);
        return;
      }
      if (list.length === 0) io.stdout('No conversations yet.\n');
      for (const conversation of list) {
        io.stdout(`${String(conversation.id).padStart(5)}  ${conversation.updatedAt.slice(0, 16).replace('T', ' ')}  ${titleLine(conversation.title)}${conversation.model ? `  [${terminalLine(conversation.model, 120)}]` : ''}\n`);
      }
    });

  conversations
    .command('search')
    .description('full-text search over every message (accents and case ignored)')
    .argument('<words...>', 'what to look for')
    .option('--json', 'print JSON instead of text')
    .action((words: string[], options: { json?: boolean }) => {
      const hits = store().search(words.join(' '));
      if (options.json) {
        printJson(io, hits.map(hitForJson));
        return;
      }
      if (hits.length === 0) io.stdout('Nothing found.\n');
      for (const hit of hits) io.stdout(`${String(hit.conversationId).padStart(5)}  ${titleLine(hit.conversationTitle)}: ${terminalLine(markedSnippet(hit.snippet), 400)}\n`);
    });

  conversations
    .command('export')
    .description('write one conversation as Markdown or JSON')
    .argument('<id>', 'the conversation’s number (from `list` or `search`)', conversationId)
    .argument('[file]', 'where to write it (default: standard output)')
    .option('--format <format>', `${exportFormats.join(' or ')}`, exportFormat, 'markdown')
    .action(async (id: number, file: string | undefined, options: { format: ExportFormat }) => {
      const conversations = store();
      const conversation = conversations.getConversation(id);
      const exported = exportConversation(conversation, conversations.messages(id), options.format);
      if (file === undefined) {
        io.stdout(exported.content.endsWith('\n') ? exported.content : `${exported.content}\n`);
        return;
      }
      const target = await writeUserFile(io, file, exported.content);
      io.stdout(`Wrote “${titleLine(conversation.title)}” as ${options.format === 'json' ? 'JSON' : 'Markdown'} to ${target}.\n`);
    });
}
