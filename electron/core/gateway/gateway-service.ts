import type { GatewayStatus } from '../../../shared/gateway';
import type { GatewaySettings } from '../../../shared/settings';
import { AtelierError } from '../../../shared/errors';
import { startGateway, type Gateway, type GatewayOptions } from './gateway-server';

type Listener = (status: GatewayStatus) => void;

/**
 * The app's local endpoint: started, stopped and moved to another port as the settings say, one
 * change after another. Its status (running, where, or why it could not start) is pushed to
 * whoever listens.
 */
export class GatewayService {
  private gateway: Gateway | null = null;
  private wanted: GatewaySettings | null = null;
  private problem: string | null = null;
  private port: number;
  private queue: Promise<void> = Promise.resolve();
  private readonly listeners = new Set<Listener>();

  constructor(private readonly options: Omit<GatewayOptions, 'port' | 'allowedOrigins'> & { settings: () => GatewaySettings }) {
    this.port = options.settings().port;
  }

  status(): GatewayStatus {
    return { running: this.gateway !== null, baseUrl: this.gateway?.baseUrl ?? null, port: this.gateway?.port ?? this.port, problem: this.problem };
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Brings the endpoint in line with the settings (on at their port, or off). */
  sync(): Promise<GatewayStatus> {
    const run = this.queue.then(() => this.apply(this.options.settings()));
    this.queue = run.catch(() => undefined);
    return run.then(() => this.status());
  }

  async close(): Promise<void> {
    await this.queue;
    await this.gateway?.close();
    this.gateway = null;
  }

  private async apply(settings: GatewaySettings): Promise<void> {
    const same = this.wanted !== null && this.wanted.enabled === settings.enabled && this.wanted.port === settings.port;
    this.wanted = settings;
    this.port = settings.port;
    if (same && (this.gateway !== null || !settings.enabled || this.problem !== null)) return;
    if (this.gateway) {
      await this.gateway.close();
      this.gateway = null;
    }
    this.problem = null;
    if (settings.enabled) {
      try {
        this.gateway = await startGateway({ ...this.options, port: settings.port, allowedOrigins: () => this.options.settings().allowedOrigins });
      } catch (error) {
        // The message only: the hint names the CLI's --port, and the app's panel says what to do there.
        this.problem = error instanceof AtelierError ? error.message : String(error);
      }
    }
    const status = this.status();
    for (const listener of this.listeners) listener(status);
  }
}
