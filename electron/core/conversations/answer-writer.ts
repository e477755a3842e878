import type { StreamPart } from '../../../shared/chat';
import type { ToolActivity } from '../../../shared/tools';
import type { MessageStatus } from '../../../shared/choices';
import type { AnswerUpdate, ConversationStore } from './conversation-store';

/** How often streamed text is written: a crash loses at most this much of an answer. */
export const DEFAULT_FLUSH_MS = 250;

/**
 * Saves an answer as it streams: text in batches (at most one write per `flushMs`, never one
 * per token), provenance and notices at once, and the ending with its usage and timings.
 */
export class AnswerWriter {
  private text = '';
  private dirty = false;
  private timer: NodeJS.Timeout | null = null;
  private finished = false;
  private readonly notices: string[] = [];
  private readonly toolCalls: ToolActivity[] = [];
  private readonly started = performance.now();
  private readonly startedAt = new Date().toISOString();
  private firstTokenMs: number | null = null;

  constructor(
    private readonly store: ConversationStore,
    private readonly messageId: number,
    private readonly flushMs = DEFAULT_FLUSH_MS,
  ) {}

  apply(part: StreamPart): void {
    if (this.finished) return;
    switch (part.type) {
      case 'text-delta':
        if (part.text === '') return;
        this.firstTokenMs ??= this.elapsed();
        this.text += part.text;
        this.dirty = true;
        this.timer ??= setTimeout(() => this.flush(), this.flushMs);
        return;
      case 'provenance': {
        const { type: _type, ...provenance } = part;
        this.write({ provenance });
        return;
      }
      case 'notice':
        this.notices.push(part.message);
        this.write({ notices: [...this.notices] });
        return;
      case 'tool-call':
        this.toolCalls.push({ id: part.id, name: part.name, args: part.args, result: null, isError: false });
        this.flush();
        this.write({ toolCalls: [...this.toolCalls] });
        return;
      case 'tool-result': {
        const call = this.toolCalls.find((entry) => entry.id === part.id && entry.result === null);
        if (call) Object.assign(call, { result: part.text, isError: part.isError });
        this.write({ toolCalls: [...this.toolCalls] });
        return;
      }
      case 'finish':
        this.end('complete', { usage: part.usage });
        return;
      case 'error': {
        const { type: _type, ...error } = part;
        if (error.code === 'cancelled') this.end('cancelled', {});
        else this.end('failed', { error });
      }
    }
  }

  /** The stream ended without a finish or error part (the reader stopped): the answer was cancelled. */
  close(): void {
    if (!this.finished) this.end('cancelled', {});
  }

  private end(status: MessageStatus, update: AnswerUpdate): void {
    this.finished = true;
    this.clearTimer();
    this.write({
      ...update,
      text: this.text,
      status,
      timings: { startedAt: this.startedAt, firstTokenMs: this.firstTokenMs, durationMs: this.elapsed() },
    });
  }

  private flush(): void {
    this.timer = null;
    if (this.dirty && !this.finished) this.write({ text: this.text });
  }

  private write(update: AnswerUpdate): void {
    try {
      this.store.updateAnswer(this.messageId, update);
      if (update.text !== undefined) this.dirty = false;
    } catch {
      // A database that fails mid-stream (disk full) must not stop the answer on screen; the
      // text is written again with the next batch, and stays visible while the app runs.
    }
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private elapsed(): number {
    return Math.round(performance.now() - this.started);
  }
}
