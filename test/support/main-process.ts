import { randomUUID } from 'node:crypto';
import { nodeRuntime } from '../../electron/core/app-info';
import { SecretStore } from '../../electron/core/secrets/secret-store';
import type { ProbeResults } from '../../electron/core/hardware/interpret-hardware';
import { probeSystem } from '../../electron/core/hardware/system-probe';
import { createIpcDispatcher, type IpcDispatch } from '../../electron/main/ipc/dispatch';
import { createHandlers, forwardEvents, type EmitEvent, type MainServices } from '../../electron/main/ipc/handlers';
import { createMainServices } from '../../electron/main/ipc/main-services';

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
  probe: () => Promise<ProbeResults> = () => probeSystem(),
): Promise<MainProcess> {
  // A keychain service of its own, so parallel tests never see each other's keys.
  const secrets = new SecretStore(`Atelier-test-${randomUUID()}`);
  const services: MainServices = await createMainServices({
    dataDir,
    env: { ATELIER_POLICY_FILE: process.env.ATELIER_POLICY_FILE, ...env },
    runtime: nodeRuntime(),
    probe,
    secrets,
  });
  const internalErrors: unknown[] = [];
  const dispatch = createIpcDispatcher({
    handlers: createHandlers(services),
    trustedOrigins,
    onInternalError: (_channel, error) => internalErrors.push(error),
  });
  return { services, dispatch, internalErrors, forwardEvents: (emit) => forwardEvents(services, emit) };
}
