/**
 * Warnings that SDKs print on their own. @anthropic-ai/sdk writes some with console.warn
 * directly (a deprecated model, in `messages.create`), others through its client logger. Printed
 * as they are, they reach the terminal of `atelier chat` unasked, in the SDK's words, and are lost
 * in the app. Atelier catches them and says them itself, as `notice` stream parts.
 */

/** Runs `call` (synchronous) with console.warn caught; returns its value and what it warned. */
export function catchConsoleWarnings<T>(call: () => T): { value: T; warnings: string[] } {
  const warnings: string[] = [];
  const original = console.warn;
  // Only for the duration of a synchronous call: no other code can run in between.
  console.warn = (...args: unknown[]) => {
    warnings.push(args.map(String).join(' '));
  };
  try {
    return { value: call(), warnings };
  } finally {
    console.warn = original;
  }
}

/** A logger for an SDK client (warn and error kept, debug and info dropped) and what it kept. */
export function sdkWarningLogger(): { logger: Record<'debug' | 'info' | 'warn' | 'error', (message: string, ...rest: unknown[]) => void>; take: () => string[] } {
  let kept: string[] = [];
  const keep = (message: string) => {
    kept.push(message);
  };
  return {
    logger: { debug: () => undefined, info: () => undefined, warn: keep, error: keep },
    take: () => {
      const taken = kept;
      kept = [];
      return taken;
    },
  };
}

const DEPRECATED_MODEL = /^The model '([^']+)' is deprecated and will reach end-of-life on ([^\n]+?)\s*(?:\n|$)/;

/** An Anthropic SDK warning in Atelier's words; the SDK's own text only for a warning Atelier does not know. */
export function anthropicNotice(warning: string): string {
  const deprecated = DEPRECATED_MODEL.exec(warning);
  if (deprecated) {
    return `Anthropic says the model ${plain(deprecated[1] ?? '')} is deprecated and will be retired on ${plain(deprecated[2] ?? '')}. Choose a newer Anthropic model (atelier models lists them).`;
  }
  return `The Anthropic library warned: ${plain(warning.split('\n')[0] ?? '')}`;
}

/** One line of at most 200 characters, without control characters (terminal escapes). */
function plain(text: string): string {
  // eslint-disable-next-line no-control-regex
  const line = text.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ').trim();
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}
