import { describe, expect, it } from 'vitest';
import { nodeVersionProblem } from '../../electron/cli/node-version';

describe('which Node can run the CLI (node:sqlite without a flag)', () => {
  it.each(['22.13.0', '22.20.1', '23.4.0', '23.11.1', '24.0.0', '24.21.0', '25.1.0'])('%s can', (version) => {
    expect(nodeVersionProblem(version)).toBeNull();
  });

  it.each(['20.20.2', '18.19.1', '22.5.0', '22.12.0', '21.7.3'])('%s cannot, and the message names it', (version) => {
    expect(nodeVersionProblem(version)).toBe(`Atelier needs Node 22.13 or newer; this is Node ${version}.`);
  });

  it('23.0 to 23.3 cannot either: node:sqlite is behind a flag there', () => {
    expect(nodeVersionProblem('23.3.0')).toBe('Atelier needs Node 22.13 or newer (23.4 or newer on the 23 line); this is Node 23.3.0.');
  });
});
