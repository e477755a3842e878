import type { ErrorPayload } from '../../shared/errors';
import type { ChannelInput, ChannelName, ChannelOutput } from '../../shared/ipc/contract';

/** An IPC call that main answered with an error; keeps the code and the hint for the UI. */
export class IpcCallError extends Error {
  readonly code: ErrorPayload['code'];
  readonly hint: string | undefined;

  constructor(payload: ErrorPayload) {
    super(payload.message);
    this.name = 'IpcCallError';
    this.code = payload.code;
    this.hint = payload.hint;
  }
}

type InputArgs<C extends ChannelName> =
  undefined extends ChannelInput<C> ? [input?: ChannelInput<C>] : [input: ChannelInput<C>];

/** Calls main and unwraps the Result: resolves with the value or rejects with an IpcCallError. */
export async function call<C extends ChannelName>(channel: C, ...args: InputArgs<C>): Promise<ChannelOutput<C>> {
  const result = await window.atelier.invoke(channel, ...args);
  if (!result.ok) throw new IpcCallError(result.error);
  return result.value;
}
