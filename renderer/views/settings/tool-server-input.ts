import type { McpServerConfig } from '../../../shared/tools';

/** What the form holds: both kinds' fields, so switching the kind keeps what was typed. */
export interface ToolServerDraft {
  name: string;
  kind: 'stdio' | 'http';
  command: string;
  args: string;
  url: string;
  env: { name: string; value: string }[];
}

export const emptyDraft = (): ToolServerDraft => ({ name: '', kind: 'stdio', command: '', args: '', url: '', env: [] });

/** The form's fields a problem can belong to (`env-N-name`: the N-th variable's name). */
export type DraftField = 'name' | 'command' | 'args' | 'url' | `env-${number}-name`;
export type DraftProblem = 'name-empty' | 'name-characters' | 'name-twice' | 'command-empty' | 'args-quote' | 'url-invalid' | 'env-name' | 'env-twice';

// The same rules as shared/tools.ts, checked here first so each is said next to its field, in the UI's language.
const NAME = /^[a-z0-9][a-z0-9-]{0,39}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,99}$/;

/**
 * The arguments as one line, split on spaces; an argument with spaces goes in double or single
 * quotes. Null when a quote is not closed.
 */
export function splitArgs(line: string): string[] | null {
  const args: string[] = [];
  let current: string | null = null;
  let quote: string | null = null;
  for (const char of line) {
    if (quote !== null) {
      if (char === quote) quote = null;
      else current = (current ?? '') + char;
    } else if (char === '"' || char === "'") {
      quote = char;
      current ??= '';
    } else if (/\s/.test(char)) {
      if (current !== null) args.push(current);
      current = null;
    } else {
      current = (current ?? '') + char;
    }
  }
  if (quote !== null) return null;
  if (current !== null) args.push(current);
  return args;
}

/** An argument as the list shows it: in quotes when it has spaces (or is empty), so it reads as typed. */
export const quoteArg = (arg: string) => (arg === '' || /\s/.test(arg) ? `"${arg}"` : arg);

export type DraftResult =
  | { ok: true; server: McpServerConfig; envValues: Record<string, string> }
  | { ok: false; problems: Partial<Record<DraftField, DraftProblem>> };

/** Checks the draft field by field; `taken` are the names of the servers there are. */
export function parseDraft(draft: ToolServerDraft, taken: readonly string[]): DraftResult {
  const problems: Partial<Record<DraftField, DraftProblem>> = {};
  const name = draft.name.trim();
  if (name === '') problems.name = 'name-empty';
  else if (!NAME.test(name)) problems.name = 'name-characters';
  else if (taken.includes(name)) problems.name = 'name-twice';

  if (draft.kind === 'http') {
    const url = draft.url.trim();
    if (!isHttpUrl(url)) problems.url = 'url-invalid';
    if (Object.keys(problems).length > 0) return { ok: false, problems };
    return { ok: true, server: { name, transport: 'http', url, enabled: true }, envValues: {} };
  }

  const command = draft.command.trim();
  if (command === '') problems.command = 'command-empty';
  const args = splitArgs(draft.args);
  if (args === null) problems.args = 'args-quote';
  const rows = draft.env.filter((row) => row.name.trim() !== '' || row.value !== '');
  const seen = new Set<string>();
  draft.env.forEach((row, index) => {
    const variable = row.name.trim();
    if (variable === '' && row.value === '') return;
    if (!ENV_NAME.test(variable)) problems[`env-${index}-name`] = 'env-name';
    else if (seen.has(variable)) problems[`env-${index}-name`] = 'env-twice';
    seen.add(variable);
  });
  if (Object.keys(problems).length > 0) return { ok: false, problems };
  const env = rows.map((row) => row.name.trim());
  return {
    ok: true,
    server: { name, transport: 'stdio', command, args: args ?? [], env, enabled: true },
    envValues: Object.fromEntries(rows.filter((row) => row.value !== '').map((row) => [row.name.trim(), row.value])),
  };
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/** Which field main's refusal is about (its message names the input's path), or null for the form as a whole. */
export function fieldOfRefusal(message: string): DraftField | null {
  if (/server\.name\b|already/.test(message)) return 'name';
  if (/server\.url\b/.test(message)) return 'url';
  if (/server\.command\b/.test(message)) return 'command';
  if (/server\.args\b/.test(message)) return 'args';
  return null;
}
