import { describe, expect, it } from 'vitest';
import { anthropicNotice, catchConsoleWarnings, sdkWarningLogger } from '../../electron/core/providers/sdk-warnings';

describe('SDK warnings in Atelier words', () => {
  it("says the Anthropic SDK's deprecation warning without its text", () => {
    const sdk = "The model 'claude-sonnet-4-5' is deprecated and will reach end-of-life on November 30th, 2026\nPlease migrate to a newer model. Visit https://docs.anthropic.com/en/docs/resources/model-deprecations for more information.";
    expect(anthropicNotice(sdk)).toBe('Anthropic says the model claude-sonnet-4-5 is deprecated and will be retired on November 30th, 2026. Choose a newer Anthropic model (atelier models lists them).');
  });

  it('passes an unknown warning on as one plain line, without terminal escapes', () => {
    expect(anthropicNotice('Something \u001b[31mnew\u001b[0m happened\nsecond line')).toBe('The Anthropic library warned: Something  [31mnew [0m happened');
    expect(anthropicNotice('x'.repeat(500))).toHaveLength('The Anthropic library warned: '.length + 200);
  });

  it('catches console.warn only during the call, and puts it back when the call throws', () => {
    const original = console.warn;
    expect(catchConsoleWarnings(() => {
      console.warn('a', 1);
      return 'value';
    })).toEqual({ value: 'value', warnings: ['a 1'] });
    expect(() => catchConsoleWarnings(() => {
      throw new Error('boom');
    })).toThrow('boom');
    expect(console.warn).toBe(original);
  });

  it("keeps the client logger's warnings and errors until taken, and drops debug and info", () => {
    const { logger, take } = sdkWarningLogger();
    logger.debug('request details');
    logger.info('response');
    logger.warn('careful');
    logger.error('broken');
    expect(take()).toEqual(['careful', 'broken']);
    expect(take()).toEqual([]);
  });
});
