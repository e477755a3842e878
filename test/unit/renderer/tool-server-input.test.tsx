import { describe, expect, it } from 'vitest';
import { McpServerConfigSchema } from '../../../shared/tools';
import { emptyDraft, fieldOfRefusal, parseDraft, quoteArg, splitArgs } from '../../../renderer/views/settings/tool-server-input';

describe('Settings → Tools: the add form’s input', () => {
  it('splits the arguments on spaces, keeping quoted ones whole', () => {
    expect(splitArgs('  -y @modelcontextprotocol/server-filesystem   ~/Schule ')).toEqual(['-y', '@modelcontextprotocol/server-filesystem', '~/Schule']);
    expect(splitArgs('"/home/anna/Meine Schule" --root=\'a b\' ""')).toEqual(['/home/anna/Meine Schule', '--root=a b', '']);
    expect(splitArgs('')).toEqual([]);
    expect(splitArgs('"not closed')).toBeNull();
    // Shown as typed: the list quotes what has spaces.
    expect(['/home/anna/Meine Schule', '-y', ''].map(quoteArg).join(' ')).toBe('"/home/anna/Meine Schule" -y ""');
  });

  it('checks each field as main does, and gives main what its schema takes', () => {
    expect(parseDraft({ ...emptyDraft(), name: 'My Tools' }, [])).toEqual({ ok: false, problems: { name: 'name-characters', command: 'command-empty' } });
    expect(parseDraft({ ...emptyDraft(), name: 'wiki', kind: 'http', url: 'mcp.school.example' }, ['wiki'])).toEqual({ ok: false, problems: { name: 'name-twice', url: 'url-invalid' } });
    const twice = { ...emptyDraft(), name: 'files', command: 'npx', env: [{ name: 'A_TOKEN', value: '1' }, { name: 'A_TOKEN', value: '2' }, { name: '9X', value: '' }] };
    expect(parseDraft(twice, [])).toEqual({ ok: false, problems: { 'env-1-name': 'env-twice', 'env-2-name': 'env-name' } });

    const program = parseDraft({ ...emptyDraft(), name: 'files', command: ' npx ', args: '-y "a b"', env: [{ name: 'WIKI_TOKEN', value: 's3cret' }, { name: 'EMPTY', value: '' }, { name: '', value: '' }] }, []);
    expect(program).toEqual({
      ok: true,
      server: { name: 'files', transport: 'stdio', command: 'npx', args: ['-y', 'a b'], env: ['WIKI_TOKEN', 'EMPTY'], enabled: true },
      envValues: { WIKI_TOKEN: 's3cret' },
    });
    const address = parseDraft({ ...emptyDraft(), name: 'wiki', kind: 'http', url: 'https://mcp.school.example/mcp' }, []);
    expect(address).toEqual({ ok: true, server: { name: 'wiki', transport: 'http', url: 'https://mcp.school.example/mcp', enabled: true }, envValues: {} });
    for (const parsed of [program, address]) if (parsed.ok) expect(McpServerConfigSchema.parse(parsed.server)).toEqual(parsed.server);
  });

  it('puts main’s refusal next to the field it names', () => {
    expect(fieldOfRefusal('There is a tool server “wiki” already.')).toBe('name');
    expect(fieldOfRefusal('tools:add-server was called with invalid input: server.url: use the server’s http:// or https:// address.')).toBe('url');
    expect(fieldOfRefusal('The keychain is locked.')).toBeNull();
  });
});
