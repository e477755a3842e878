import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { createHandlers } from '../../electron/main/ipc/handlers';
import { channelNames, eventNames } from '../../shared/ipc/channels';
import { ipcChannels, ipcEvents } from '../../shared/ipc/contract';
import { startMainProcess } from '../support/main-process';
import { tempDir } from '../support/temp-dir';

const NAMING = /^[a-z]+:[a-z]+(-[a-z]+)*$/;

describe('the IPC contract', () => {
  // Any change to the IPC surface (a channel, an event, a field) shows up in this snapshot, and
  // so in review. Update it with `npx vitest run -u` when the change is intended.
  it('has this surface', () => {
    const describe = (schema: z.ZodType, io: 'input' | 'output') => z.toJSONSchema(schema, { io, unrepresentable: 'any' });
    const surface = {
      channels: Object.fromEntries(
        Object.entries(ipcChannels).map(([name, spec]) => [name, { input: describe(spec.input, 'input'), output: describe(spec.output, 'output') }]),
      ),
      events: Object.fromEntries(Object.entries(ipcEvents).map(([name, schema]) => [name, describe(schema, 'output')])),
    };
    expect(Object.keys(surface.channels)).toMatchInlineSnapshot(`
      [
        "app:get-info",
        "settings:get",
        "settings:update",
        "chat:start-stream",
        "chat:abort",
        "chat:send",
        "chat:regenerate",
        "conversations:list",
        "conversations:get",
        "conversations:get-message",
        "conversations:rename",
        "conversations:delete",
        "conversations:restore",
        "conversations:search",
        "conversations:export",
        "models:get-catalogue",
        "hardware:get",
        "ollama:status",
        "ollama:list",
        "ollama:pull",
        "ollama:cancel-pull",
        "ollama:load",
        "ollama:delete",
        "providers:test",
        "providers:get-credentials",
        "providers:set-secret",
        "providers:remove-secret",
        "providers:import-aws-csv",
        "providers:list-aws-profiles",
        "egress:list",
        "egress:export-csv",
        "privacy:get-state",
        "privacy:lock",
        "privacy:unlock",
        "usage:get-report",
        "usage:export-csv",
        "usage:get-budget",
        "usage:set-budget",
        "reliability:get-status",
        "assistants:list",
        "assistants:add",
        "assistants:update",
        "assistants:duplicate",
        "assistants:remove",
        "school:get-status",
        "tools:list-servers",
        "tools:add-server",
        "tools:remove-server",
        "tools:set-enabled",
        "tools:list-tools",
        "tools:answer-approval",
        "gateway:get-status",
        "gateway:list-tokens",
        "gateway:add-token",
        "gateway:revoke-token",
      ]
    `);
    expect(Object.keys(surface.events)).toMatchInlineSnapshot(`
      [
        "settings:changed",
        "chat:stream-part",
        "ollama:pull-progress",
        "tools:approval-requested",
        "gateway:status-changed",
      ]
    `);
    expect(surface).toMatchSnapshot();
  });

  it('lists the same names as the schema tables', () => {
    expect([...channelNames].sort()).toEqual(Object.keys(ipcChannels).sort());
    expect([...eventNames].sort()).toEqual(Object.keys(ipcEvents).sort());
  });

  it('names channels and events namespace:kebab-case (verb-noun for channels)', () => {
    for (const name of [...channelNames, ...eventNames]) expect(name).toMatch(NAMING);
    for (const name of channelNames) expect(name.split(':')[1]).toMatch(/^(get|update|start|abort|list|delete|test|pull|cancel|status|set|remove|import|export|lock|unlock|send|regenerate|rename|restore|search|load|add|duplicate|revoke|answer)(-|$)/);
  });

  it('has a handler for every channel and none besides', async () => {
    const main = await startMainProcess(await tempDir(), ['app://atelier']);
    expect(Object.keys(createHandlers(main.services)).sort()).toEqual([...channelNames].sort());
  });
});
