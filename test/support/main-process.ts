import { describeApp, nodeRuntime } from '../../electron/core/app-info';
import { createRouterFor } from '../../electron/core/chat/settings-router';
import { SettingsStore } from '../../electron/core/settings/settings-store';
import { ChatStreams } from '../../electron/main/ipc/chat-streams';
import { createIpcDispatcher, type IpcDispatch } from '../../electron/main/ipc/dispatch';
import { createHandlers, forwardEvents, type EmitEvent, type MainServices } from '../../electron/main/ipc/handlers';

export interface MainProcess {
  services: MainServices;
  dispatch: IpcDispatch;
  /** Bugs the dispatcher caught (internal errors); tests assert this stays empty. */
  internalErrors: unknown[];
  /** Wires core's change notifications to `emit`, as main does with webContents.send. */
  forwardEvents: (emit: EmitEvent) => () => void;
}

/**
 * The main process's real handler table and dispatcher over real core services and a real data
 * folder, minus Electron. The e2e harness and the renderer tests drive the UI against this.
 */
export async function startMainProcess(
  dataDir: string,
  trustedOrigins: readonly string[],
  env: Readonly<Record<string, string | undefined>> = {},
): Promise<MainProcess> {
  const settings = await SettingsStore.open(dataDir);
  const services: MainServices = {
    appInfo: describeApp(dataDir, nodeRuntime()),
    settings,
    chat: new ChatStreams(createRouterFor(settings, env)),
  };
  const internalErrors: unknown[] = [];
  const dispatch = createIpcDispatcher({
    handlers: createHandlers(services),
    trustedOrigins,
    onInternalError: (_channel, error) => internalErrors.push(error),
  });
  return { services, dispatch, internalErrors, forwardEvents: (emit) => forwardEvents(services, emit) };
}
