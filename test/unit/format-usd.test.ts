import { describe, expect, it } from 'vitest';
import { formatUsd } from '../../shared/format';

describe('formatUsd', () => {
  it('gives whole dollars and cents two digits, also where floating point is off by a hair', () => {
    expect(formatUsd(0)).toBe('$0.00');
    expect(formatUsd(4.25)).toBe('$4.25');
    expect(formatUsd(1)).toBe('$1.00');
    expect(formatUsd(0.29)).toBe('$0.29');
    expect(formatUsd(0.8 + 0.05)).toBe('$0.85');
    expect(formatUsd(0.1 + 0.2)).toBe('$0.30');
  });

  it('shows a small amount with the digits it needs, never as $0.00', () => {
    expect(formatUsd(0.015)).toBe('$0.015');
    expect(formatUsd(0.0042)).toBe('$0.0042');
    expect(formatUsd(0.000042)).toBe('$0.000042');
    expect(formatUsd(0.001)).toBe('$0.001');
    expect(formatUsd(0.0000001)).toBe('$0.0000001');
    expect(formatUsd(2.505)).toBe('$2.505');
  });
});
