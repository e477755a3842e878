import type { AppInfo } from '../../../shared/app-info';
import type { EventName, EventPayload } from '../../../shared/ipc/contract';
import type { SettingsStore } from '../../core/settings/settings-store';
import type { ChatStreams } from './chat-streams';
import type { HandlerTable } from './dispatch';

/** What the handlers need from the running app; the e2e harness builds the same services. */
export interface MainServices {
  appInfo: AppInfo;
  settings: SettingsStore;
  chat: ChatStreams;
}

/** Pushes an event to every window of the app. */
export type EmitEvent = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

/** The main process's handler table: every channel of the contract, each a thin call into core. */
export function createHandlers(services: MainServices): HandlerTable {
  return {
    'app:get-info': () => services.appInfo,
    'settings:get': () => services.settings.get(),
    'settings:update': (patch) => services.settings.update(patch),
    'chat:start-stream': (request) => services.chat.start(request),
    'chat:abort': ({ streamId }) => services.chat.abort(streamId),
  };
}

/** Forwards core's change notifications to the renderer as contract events. */
export function forwardEvents(services: MainServices, emit: EmitEvent): () => void {
  const unsubscribers = [
    services.settings.subscribe((state) => emit('settings:changed', state)),
    services.chat.subscribe((event) => emit('chat:stream-part', event)),
  ];
  return () => {
    for (const unsubscribe of unsubscribers) unsubscribe();
  };
}
