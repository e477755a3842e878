import type { PullEvent } from '../../../shared/ollama';
import type { OllamaService } from '../../core/ollama/ollama-service';
import { toErrorPayload } from '../../../shared/errors';

type Listener = (event: PullEvent) => void;

/** Progress events are throttled: a fast download must not flood the renderer. */
const PROGRESS_INTERVAL_MS = 100;

/**
 * The downloads under way, one per model. `start` returns at once; progress and the end of each
 * pull go to the listeners. Stopping a pull keeps what Ollama downloaded, so starting it again
 * resumes.
 */
export class OllamaPulls {
  private readonly running = new Map<string, AbortController>();
  private readonly listeners = new Set<Listener>();

  constructor(
    private readonly ollama: OllamaService,
    private readonly onFinished: (model: string) => void = () => undefined,
  ) {}

  start(model: string): { started: boolean } {
    if (this.running.has(model)) return { started: false }; // already downloading
    const controller = new AbortController();
    this.running.set(model, controller);
    let lastSent = 0;
    void this.ollama
      .pull(
        model,
        (progress) => {
          const now = performance.now();
          if (!progress.done && now - lastSent < PROGRESS_INTERVAL_MS) return;
          lastSent = now;
          this.emit({ model, progress, finished: false, error: null });
        },
        controller.signal,
      )
      .then(
        () => this.emit({ model, progress: null, finished: true, error: null }),
        (error: unknown) => this.emit({ model, progress: null, finished: true, error: toErrorPayload(error) }),
      )
      .finally(() => {
        this.running.delete(model);
        this.onFinished(model);
      });
    return { started: true };
  }

  cancel(model: string): { cancelled: boolean } {
    const controller = this.running.get(model);
    if (!controller) return { cancelled: false };
    controller.abort();
    return { cancelled: true };
  }

  cancelAll(): void {
    for (const controller of this.running.values()) controller.abort();
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(event: PullEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A window that went away must not stop the download.
      }
    }
  }
}
