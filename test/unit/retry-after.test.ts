import { describe, expect, it } from 'vitest';
import { nextDelay, parseRetryAfter } from '../../electron/core/reliability/retry';

describe('Retry-After', () => {
  const now = Date.parse('2026-12-01T10:00:00Z');

  it('reads delta-seconds, an HTTP date and retry-after-ms; ignores what is not one', () => {
    expect(parseRetryAfter('2', null, now)).toBe(2000);
    expect(parseRetryAfter(' 1.5 ', null, now)).toBe(1500);
    expect(parseRetryAfter('Tue, 01 Dec 2026 10:00:03 GMT', null, now)).toBe(3000);
    expect(parseRetryAfter('2', '250', now)).toBe(250);
    for (const bad of ['-1', 'abc', '', 'NaN', 'Infinity', 'Tue, 01 Dec 2026 09:00:00 GMT']) expect(parseRetryAfter(bad, null, now), bad).toBeUndefined();
  });

  it('reads a wait of years, or a number too large to hold, as a day', () => {
    expect(parseRetryAfter('9999999999', null, now)).toBe(86_400_000);
    expect(parseRetryAfter('9'.repeat(400), null, now)).toBe(86_400_000);
  });

  it('waits at least as long as asked, and not at all past the deadline', () => {
    const policy = { maxAttempts: 4, baseDelayMs: 500, maxDelayMs: 8000, deadlineMs: 30_000 };
    expect(nextDelay(policy, 1, 0, 2000, () => 0)).toBe(2000);
    expect(nextDelay(policy, 1, 0, undefined, () => 0)).toBe(250);
    expect(nextDelay(policy, 1, 0, undefined, () => 1)).toBe(500);
    expect(nextDelay(policy, 3, 0, undefined, () => 1)).toBe(2000);
    expect(nextDelay(policy, 4, 0, undefined)).toBeNull();
    expect(nextDelay(policy, 1, 0, 31_000)).toBeNull();
    expect(nextDelay(policy, 2, 29_900, undefined, () => 0)).toBeNull();
  });
});
