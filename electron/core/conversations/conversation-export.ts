import type { Conversation, ExportFormat, StoredMessage } from '../../../shared/conversations';
import { stripTerminalControls, terminalLine } from '../../../shared/terminal-text';

const EXPORT_FORMAT_VERSION = 1;

/** A conversation as a file to save: Markdown to read and share, JSON to keep everything. */
export function exportConversation(conversation: Conversation, messages: StoredMessage[], format: ExportFormat): { fileName: string; mediaType: string; content: string } {
  const base = fileBaseName(conversation);
  if (format === 'json') {
    const content = JSON.stringify({ format: 'atelier-conversation', version: EXPORT_FORMAT_VERSION, conversation, messages }, null, 2);
    return { fileName: `${base}.json`, mediaType: 'application/json', content: `${content}\n` };
  }
  return { fileName: `${base}.md`, mediaType: 'text/markdown', content: toMarkdown(conversation, messages) };
}

/**
 * A Markdown document to read, often straight in a terminal (`atelier conversations export 1`):
 * terminal escape sequences and control characters in the title and the messages (a model can be
 * made to answer with them) are dropped, and the title stays one heading line. The JSON export
 * keeps every character, escaped.
 */
function toMarkdown(conversation: Conversation, messages: StoredMessage[]): string {
  const lines = [`# ${terminalLine(conversation.title, 300) || 'Conversation'}`, '', `Exported from Atelier, ${new Date().toISOString().slice(0, 10)}. Started ${conversation.createdAt}.`, ''];
  if (conversation.assistant) {
    const { name, id, systemPrompt } = conversation.assistant;
    const instructions = stripTerminalControls(systemPrompt)
      .split('\n')
      .map((line) => `> ${line}`.trimEnd());
    lines.push(`With the assistant **${markdownText(terminalLine(name, 200))}** (${id}), whose instructions were:`, '', ...instructions, '');
  }
  for (const message of messages) {
    // An answer names its model; the assistant's opening message (saved with none) says what it is.
    const who = message.role === 'user' ? 'You' : message.model === null && conversation.assistant ? `${markdownText(terminalLine(conversation.assistant.name, 200))} (opening message)` : `Assistant (${terminalLine(message.model ?? 'unknown model', 300)})`;
    lines.push(`## ${who}`, '');
    for (const call of message.toolCalls ?? []) {
      const outcome = call.result === null ? 'did not finish' : `${call.isError ? 'failed: ' : '→ '}${stripTerminalControls(call.result).slice(0, 2000)}`;
      lines.push(`> Tool \`${terminalLine(call.name, 100)}\` ${terminalLine(JSON.stringify(call.args), 500)} ${outcome}`, '');
    }
    for (const part of message.parts) {
      lines.push(part.type === 'text' ? stripTerminalControls(part.text) : `*[image, ${terminalLine(part.mediaType, 80)}]*`, '');
    }
    if (message.role === 'assistant') {
      const facts: string[] = [];
      if (message.status !== 'complete') facts.push(message.status);
      if (message.provenance) {
        const { provider, region, host, routeClass } = message.provenance;
        facts.push(`${provider}${region ? ` ${region}` : ''} at ${host}, route ${routeClass}`);
      }
      if (message.usage && message.usage.inputTokens !== null) facts.push(`${message.usage.inputTokens} tokens in, ${message.usage.outputTokens ?? '?'} out`);
      if (message.error) facts.push(`error: ${terminalLine(message.error.message, 1000)}`);
      if (facts.length > 0) lines.push(`> ${facts.join(' · ')}`, '');
    }
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

/** Text that Markdown shows as it is: its emphasis, code and link characters escaped. */
function markdownText(text: string): string {
  return text.replace(/[\\`*_[\]<>#]/g, (char) => `\\${char}`);
}

/** A file name from the title: letters, digits and dashes, never a path. */
function fileBaseName(conversation: Conversation): string {
  const slug = (conversation.title || 'conversation')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 50);
  return `atelier-${slug || 'conversation'}-${conversation.createdAt.slice(0, 10)}`;
}
