import { describeIssues, toErrorPayload, type ErrorPayload } from '../../../shared/errors';
import { scrubPayload } from '../../core/secrets/scrub';
import { asDiskError } from '../../core/store/atomic-file';
import {
  ipcChannels,
  isChannelName,
  type ChannelName,
  type ChannelOutput,
  type ChannelParsedInput,
} from '../../../shared/ipc/contract';
import { fail, ok, type IpcResult } from '../../../shared/ipc/result';
import { originOf } from './origin';

export { originOf } from './origin';

/** Who sent an IPC call: the URL of the frame it came from (Electron's `event.senderFrame.url`). */
export interface IpcSender {
  url: string | null | undefined;
}

/** One function per channel. Handlers receive parsed, typed input, never the raw event. */
export type HandlerTable = {
  [C in ChannelName]: (input: ChannelParsedInput<C>) => Promise<ChannelOutput<C>> | ChannelOutput<C>;
};

export type IpcDispatch = (channel: unknown, rawInput: unknown, sender: IpcSender) => Promise<IpcResult<unknown>>;

export interface DispatcherOptions {
  handlers: HandlerTable;
  /** The origins allowed to call, such as `app://atelier`. */
  trustedOrigins: readonly string[];
  /** Where bugs are reported; it gets the real error, the caller only `internal_error`. */
  onInternalError?: (channel: string, error: unknown) => void;
}

/**
 * The one path every IPC call takes, whatever carries it (ipcMain in the app, a Playwright
 * binding in e2e tests): sender check, input validation, the handler, output validation, and
 * a Result instead of a thrown error.
 */
export function createIpcDispatcher({ handlers, trustedOrigins, onInternalError }: DispatcherOptions): IpcDispatch {
  const trusted = new Set(trustedOrigins);
  return async (channel, rawInput, sender) => {
    const origin = originOf(sender.url);
    if (origin === null || !trusted.has(origin)) {
      return fail(FORBIDDEN_SENDER);
    }
    if (!isChannelName(channel)) {
      return fail({ code: 'invalid_request', message: `"${String(channel)}" is not an Atelier IPC channel.` });
    }
    const spec = ipcChannels[channel];
    const parsed = spec.input.safeParse(rawInput);
    if (!parsed.success) {
      return fail({
        code: 'invalid_request',
        message: `${channel} was called with invalid input: ${describeIssues(parsed.error.issues)}.`,
        hint: 'This is a bug in the caller; the request was not carried out.',
      });
    }
    try {
      const handler = handlers[channel] as (input: unknown) => unknown;
      const value: unknown = await handler(parsed.data);
      // A handler returning something off-contract is a bug on this side: catch it here, not in the UI.
      return ok(spec.output.parse(value));
    } catch (error) {
      // A last net before the window: nothing key-shaped, no credentials in a URL, no control characters.
      const payload = scrubPayload(toErrorPayload(asDiskError(error)));
      if (payload.code === 'internal_error') onInternalError?.(channel, error);
      return fail(payload);
    }
  };
}

const FORBIDDEN_SENDER: ErrorPayload = {
  code: 'forbidden_sender',
  message: 'This request did not come from Atelier’s own window and was refused.',
};
