import { randomUUID } from 'node:crypto';
import type { ToolApproval, ToolCallRequest } from '../../core/tools/tool-loop';

export interface ApprovalRequest extends ToolCallRequest {
  requestId: string;
  conversationId: number;
}

type Listener = (request: ApprovalRequest) => void;

/**
 * Tool calls waiting for the user's decision in the app: each is sent to the window as
 * `tools:approval-requested` and waits for `tools:answer-approval`. A stopped answer denies
 * what it was waiting for, so nothing runs after the user stopped it.
 */
export class ToolApprovals {
  private readonly pending = new Map<string, (decision: ToolApproval) => void>();
  private readonly listeners = new Set<Listener>();

  ask(conversationId: number, call: ToolCallRequest, signal?: AbortSignal): Promise<ToolApproval> {
    const requestId = randomUUID();
    return new Promise<ToolApproval>((resolve) => {
      if (signal?.aborted) return resolve('deny');
      const done = (decision: ToolApproval) => {
        this.pending.delete(requestId);
        signal?.removeEventListener('abort', onAbort);
        resolve(decision);
      };
      const onAbort = () => done('deny');
      signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.set(requestId, done);
      for (const listener of this.listeners) listener({ requestId, conversationId, ...call });
    });
  }

  /** The user's decision; false when the request is no longer waiting (answered, or stopped). */
  answer(requestId: string, decision: ToolApproval): boolean {
    const waiting = this.pending.get(requestId);
    if (!waiting) return false;
    waiting(decision);
    return true;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
