/**
 * The names of every IPC channel and event. Kept apart from the zod schemas in contract.ts so the
 * preload can check names without bundling zod; contract.ts must give each name a schema (the
 * compiler checks both directions), so the two lists cannot drift apart.
 */
export const channelNames = [
  'app:get-info',
  'settings:get',
  'settings:update',
  'chat:start-stream',
  'chat:abort',
  'chat:send',
  'chat:regenerate',
  'conversations:list',
  'conversations:get',
  'conversations:get-message',
  'conversations:rename',
  'conversations:delete',
  'conversations:restore',
  'conversations:search',
  'conversations:export',
  'models:get-catalogue',
  'hardware:get',
  'ollama:status',
  'ollama:list',
  'ollama:pull',
  'ollama:cancel-pull',
  'ollama:load',
  'ollama:delete',
  'providers:test',
  'providers:get-credentials',
  'providers:set-secret',
  'providers:remove-secret',
  'providers:import-aws-csv',
  'providers:list-aws-profiles',
  'egress:list',
  'egress:export-csv',
  'privacy:get-state',
  'privacy:lock',
  'privacy:unlock',
  'usage:get-report',
  'usage:export-csv',
  'usage:get-budget',
  'usage:set-budget',
  'reliability:get-status',
  'assistants:list',
  'assistants:add',
  'assistants:update',
  'assistants:duplicate',
  'assistants:remove',
  'school:get-status',
  'tools:list-servers',
  'tools:add-server',
  'tools:remove-server',
  'tools:set-enabled',
  'tools:list-tools',
  'tools:answer-approval',
  'gateway:get-status',
  'gateway:list-tokens',
  'gateway:add-token',
  'gateway:revoke-token',
] as const;
export const eventNames = ['settings:changed', 'chat:stream-part', 'ollama:pull-progress', 'gateway:status-changed', 'tools:approval-requested'] as const;

export type ChannelName = (typeof channelNames)[number];
export type EventName = (typeof eventNames)[number];

const channelSet: ReadonlySet<string> = new Set(channelNames);
const eventSet: ReadonlySet<string> = new Set(eventNames);

export function isChannelName(name: unknown): name is ChannelName {
  return typeof name === 'string' && channelSet.has(name);
}

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && eventSet.has(name);
}
