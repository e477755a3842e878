import type { AtelierApi } from '../shared/ipc/create-api';

declare global {
  interface Window {
    /** The preload's bridge to the main process; the only way the renderer reaches main. */
    readonly atelier: AtelierApi;
  }
}
