import type { StreamPart } from '../../../shared/chat';

/** About one animation frame: the renderer cannot show text faster than it paints. */
export const FRAME_MS = 16;

export interface PartCoalescer {
  push(part: StreamPart): void;
  /** Sends any buffered text now. */
  flush(): void;
}

/**
 * Merges text deltas that arrive within one frame into a single part, so a model writing
 * thousands of tokens a second costs the renderer about sixty IPC messages a second, not
 * thousands. No text is dropped or reordered: a `finish` or `error` part first flushes the
 * buffered text, then goes out at once.
 */
export function createPartCoalescer(
  emit: (part: StreamPart) => void,
  intervalMs = FRAME_MS,
  timers: { set: (fn: () => void, ms: number) => unknown; clear: (handle: unknown) => void } = {
    set: (fn, ms) => setTimeout(fn, ms),
    clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  },
): PartCoalescer {
  let buffer = '';
  let timer: unknown = null;

  const flush = () => {
    if (timer !== null) {
      timers.clear(timer);
      timer = null;
    }
    if (buffer !== '') {
      const text = buffer;
      buffer = '';
      emit({ type: 'text-delta', text });
    }
  };

  return {
    push(part) {
      if (part.type === 'text-delta') {
        buffer += part.text;
        timer ??= timers.set(flush, intervalMs);
        return;
      }
      flush();
      emit(part);
    },
    flush,
  };
}
