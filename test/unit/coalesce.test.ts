import { describe, expect, it, vi } from 'vitest';
import type { StreamPart } from '../../shared/chat';
import { createPartCoalescer } from '../../electron/core/chat/coalesce';

const delta = (text: string): StreamPart => ({ type: 'text-delta', text });
const finish: StreamPart = { type: 'finish', reason: { unified: 'stop', raw: 'stop' }, usage: { inputTokens: 1, outputTokens: 3 } };

describe('createPartCoalescer', () => {
  it('sends the text of one frame as one part', () => {
    vi.useFakeTimers();
    try {
      const sent: StreamPart[] = [];
      const coalescer = createPartCoalescer((part) => sent.push(part), 16);
      for (const word of ['a', 'b', 'c']) coalescer.push(delta(word));
      expect(sent).toEqual([]);
      vi.advanceTimersByTime(16);
      expect(sent).toEqual([delta('abc')]);
      coalescer.push(delta('d'));
      vi.advanceTimersByTime(16);
      expect(sent).toEqual([delta('abc'), delta('d')]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('flushes buffered text before a finish or error, in order, at once', () => {
    vi.useFakeTimers();
    try {
      const sent: StreamPart[] = [];
      const coalescer = createPartCoalescer((part) => sent.push(part), 16);
      coalescer.push(delta('Hallo'));
      coalescer.push(delta(' Welt'));
      coalescer.push(finish);
      expect(sent).toEqual([delta('Hallo Welt'), finish]);
      vi.advanceTimersByTime(100);
      expect(sent).toHaveLength(2); // no stray timer sends anything more
    } finally {
      vi.useRealTimers();
    }
  });

  it('loses nothing over many frames', () => {
    vi.useFakeTimers();
    try {
      let received = '';
      let messages = 0;
      const coalescer = createPartCoalescer((part) => {
        messages++;
        if (part.type === 'text-delta') received += part.text;
      }, 16);
      let expected = '';
      for (let i = 0; i < 10_000; i++) {
        const text = `t${i} `;
        expected += text;
        coalescer.push(delta(text));
        if (i % 100 === 0) vi.advanceTimersByTime(16);
      }
      coalescer.flush();
      expect(received).toBe(expected);
      expect(messages).toBeLessThanOrEqual(101);
    } finally {
      vi.useRealTimers();
    }
  });
});
