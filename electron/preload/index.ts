import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { createAtelierApi } from '../../shared/ipc/create-api';

// The whole bridge: `window.atelier` with invoke and on, built by the same function the
// end-to-end harness uses. ipcRenderer itself never reaches the page.
const api = createAtelierApi({
  invoke: (channel, input) => ipcRenderer.invoke(channel, input),
  subscribe: (event, listener) => {
    const handler = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(event, handler);
    return () => {
      ipcRenderer.removeListener(event, handler);
    };
  },
});

contextBridge.exposeInMainWorld('atelier', api);
