import { isChannelName, isEventName, type ChannelName, type EventName } from './channels';
import type { ChannelInput, ChannelOutput, EventPayload } from './contract';
import { fail, type IpcResult } from './result';

/** How the API object reaches main: ipcRenderer in the preload, a Playwright binding in e2e tests. */
export interface IpcTransport {
  invoke(channel: ChannelName, input: unknown): Promise<unknown>;
  subscribe(event: EventName, listener: (payload: unknown) => void): () => void;
}

type InputArgs<C extends ChannelName> =
  undefined extends ChannelInput<C> ? [input?: ChannelInput<C>] : [input: ChannelInput<C>];

/** The object the renderer sees as `window.atelier`. */
export interface AtelierApi {
  invoke<C extends ChannelName>(channel: C, ...args: InputArgs<C>): Promise<IpcResult<ChannelOutput<C>>>;
  /** Listens to a main-process event; returns the function that stops listening. */
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

/**
 * Builds `window.atelier`. The preload and the end-to-end harness both call this, so the tests
 * exercise the same bridge the app ships. It exposes two functions and nothing else: no
 * ipcRenderer, no channel outside the contract.
 */
export function createAtelierApi(transport: IpcTransport): AtelierApi {
  const api: AtelierApi = {
    invoke(channel, ...args) {
      if (!isChannelName(channel)) {
        return Promise.resolve(
          fail({
            code: 'invalid_request',
            message: `"${String(channel)}" is not an Atelier IPC channel.`,
          }),
        );
      }
      return transport.invoke(channel, args[0]) as Promise<IpcResult<ChannelOutput<typeof channel>>>;
    },
    on(event, listener) {
      if (!isEventName(event)) {
        throw new TypeError(`"${String(event)}" is not an Atelier IPC event.`);
      }
      if (typeof listener !== 'function') {
        throw new TypeError('The listener must be a function.');
      }
      return transport.subscribe(event, (payload) => {
        listener(payload as EventPayload<typeof event>);
      });
    },
  };
  return Object.freeze(api);
}
