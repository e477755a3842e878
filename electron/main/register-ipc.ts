import { ipcMain } from 'electron';
import { channelNames } from '../../shared/ipc/channels';
import type { IpcDispatch } from './ipc/dispatch';

/**
 * The only place that calls ipcMain.handle. Each channel of the contract goes through the same
 * dispatcher, which checks the sender frame and parses the input before any handler runs; the
 * handler never sees the raw event. Only the channel names are needed here (no zod, no core),
 * so the handlers can be registered before the window opens while the engine still loads.
 */
export function registerIpc(dispatch: IpcDispatch): void {
  for (const channel of channelNames) {
    ipcMain.handle(channel, (event, input: unknown) => dispatch(channel, input, { url: event.senderFrame?.url }));
  }
}

