import { randomUUID } from 'node:crypto';
import type { ChatRequest, StreamPart } from '../../../shared/chat';
import { createPartCoalescer } from '../../core/chat/coalesce';
import type { ChatRouter } from '../../core/chat/router';

export interface StreamPartEvent {
  streamId: string;
  part: StreamPart;
}

type Listener = (event: StreamPartEvent) => void;

/**
 * The answers being streamed to the renderer. `start` checks the model id at once (a bad one is
 * an error of the call, not of the stream), then runs the stream in the background and sends
 * its parts, coalesced to about one message per frame, to whoever listens.
 */
export class ChatStreams {
  private readonly running = new Map<string, AbortController>();
  private readonly finishing = new Set<Promise<void>>();
  private readonly listeners = new Set<Listener>();

  constructor(
    private readonly router: ChatRouter,
    private readonly frameMs?: number,
  ) {}

  async start(request: ChatRequest): Promise<{ streamId: string }> {
    await this.router.resolve(request.model); // rejects with invalid_request before anything starts
    return { streamId: this.run((signal) => this.router.stream(request, signal)) };
  }

  /** Runs any stream of parts (a conversation's answer, say) in the background; its id to abort it. */
  run(stream: (signal: AbortSignal) => AsyncIterable<StreamPart>): string {
    const streamId = randomUUID();
    const controller = new AbortController();
    this.running.set(streamId, controller);
    const coalescer = createPartCoalescer((part) => this.emit({ streamId, part }), this.frameMs);
    const done = (async () => {
      try {
        for await (const part of stream(controller.signal)) coalescer.push(part);
      } finally {
        coalescer.flush();
        this.running.delete(streamId);
      }
    })().catch(() => undefined);
    this.finishing.add(done);
    void done.then(() => this.finishing.delete(done));
    return streamId;
  }

  /** Stops a stream; its last part will be `cancelled`. False if it had already ended. */
  abort(streamId: string): { aborted: boolean } {
    const controller = this.running.get(streamId);
    if (!controller) return { aborted: false };
    controller.abort();
    return { aborted: true };
  }

  /** Stops everything, when the app quits. */
  abortAll(): void {
    for (const controller of this.running.values()) controller.abort();
  }

  /** Resolves once every stream has ended (its answer saved as it stands), or after `timeoutMs`. */
  async settled(timeoutMs = 3000): Promise<void> {
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, timeoutMs).unref());
    await Promise.race([Promise.all([...this.finishing]), timeout]);
  }

  get active(): number {
    return this.running.size;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(event: StreamPartEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A window that went away must not stop the stream for the others.
      }
    }
  }
}
