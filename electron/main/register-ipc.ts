import { BrowserWindow, ipcMain } from 'electron';
import { channelNames } from '../../shared/ipc/channels';
import { ipcEvents } from '../../shared/ipc/contract';
import type { IpcDispatch } from './ipc/dispatch';
import type { EmitEvent } from './ipc/handlers';

/**
 * The only place that calls ipcMain.handle. Each channel of the contract goes through the same
 * dispatcher, which checks the sender frame and parses the input before any handler runs; the
 * handler never sees the raw event.
 */
export function registerIpc(dispatch: IpcDispatch): void {
  for (const channel of channelNames) {
    ipcMain.handle(channel, (event, input: unknown) => dispatch(channel, input, { url: event.senderFrame?.url }));
  }
}

/** Sends a contract event to every window, validated against the contract first. */
export const emitToAllWindows: EmitEvent = (event, payload) => {
  const checked = ipcEvents[event].parse(payload);
  for (const window of BrowserWindow.getAllWindows()) {
    window.webContents.send(event, checked);
  }
};
