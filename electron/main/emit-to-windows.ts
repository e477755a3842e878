import { BrowserWindow } from 'electron';
import { ipcEvents } from '../../shared/ipc/contract';
import type { EmitEvent } from './ipc/handlers';

/** Sends a contract event to every window, validated against the contract first. */
export const emitToAllWindows: EmitEvent = (event, payload) => {
  const checked = ipcEvents[event].parse(payload);
  for (const window of BrowserWindow.getAllWindows()) {
    window.webContents.send(event, checked);
  }
};
