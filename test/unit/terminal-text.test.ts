import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TerminalTextFilter, stripTerminalControls, terminalLine, visibleForTerminal } from '../../shared/terminal-text';

// eslint-disable-next-line no-control-regex -- these are exactly the characters looked for
const CONTROLS_BUT_LF_TAB = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/;

describe('stripTerminalControls', () => {
  it.each([
    ['an OSC window title ended by BEL', 'a\u001b]0;owned\u0007b', 'ab'],
    ['an OSC window title ended by ST', 'a\u001b]2;owned\u001b\\b', 'ab'],
    ['an OSC 52 clipboard write', 'a\u001b]52;c;cm0gLXJmIH4=\u0007b', 'ab'],
    ['a hyperlink (OSC 8)', '\u001b]8;;https://evil.example\u001b\\click\u001b]8;;\u001b\\', 'click'],
    ['colours (SGR)', '\u001b[1;31mred\u001b[0m', 'red'],
    ['clear screen, cursor moves', '\u001b[2J\u001b[H\u001b[10;20Hx\u001b[?25l', 'x'],
    ['a DCS string', 'a\u001bP1$r0m\u001b\\b', 'ab'],
    ['two-byte and nF escapes', 'a\u001b7b\u001bcc\u001b(Bd\u001b#8e', 'abcde'],
    ['C1 CSI and OSC', 'a\u009b2Jb\u009d0;x\u009cc', 'abc'],
    ['other C1 controls', 'a\u0085b\u008dc', 'abc'],
    ['C0 controls but line feed and tab', 'a\rb\u0008c\u0007d\u0000e\u007ff\n\tg', 'abcdef\n\tg'],
    ['ordinary text, umlauts and emoji', 'Grüße 🦔 «Igel» – ok\n', 'Grüße 🦔 «Igel» – ok\n'],
    ['an ESC before a non-ASCII letter', 'a\u001bäb', 'aäb'],
    ['an unfinished sequence at the end', 'text\u001b]0;never ended', 'text'],
  ])('drops %s', (_name, input, expected) => {
    expect(stripTerminalControls(input)).toBe(expected);
  });

  it('lets text through again after a CSI that a letter outside ASCII breaks off', () => {
    expect(stripTerminalControls('a\u001b[12;ü and more')).toBe('aü and more');
  });
});

describe('TerminalTextFilter, streaming', () => {
  const piece = fc.oneof(
    fc.constantFrom('Igel ', 'Grüße ', '🦔', '\n', '\t', 'text', '[', ']', '\\', '0;', 'm'),
    fc.constantFrom('\u001b]0;title\u0007', '\u001b]52;c;YWJj\u001b\\', '\u001b[31m', '\u001b[0m', '\u001b[2J', '\u009b1m', '\u009d0;t\u009c', '\u001b7', '\u001b(B', '\r', '\u0007', '\u0000'),
    fc.string({ maxLength: 6 }),
  );

  it('gives the same text however the input is split into deltas, and never a control character', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 20 }), fc.array(fc.nat(), { maxLength: 8 }), (pieces, cuts) => {
        const whole = pieces.join('');
        const points = [...new Set(cuts.map((cut) => (whole.length === 0 ? 0 : cut % whole.length)))].sort((a, b) => a - b);
        const filter = new TerminalTextFilter();
        let streamed = '';
        let from = 0;
        for (const point of [...points, whole.length]) {
          streamed += filter.push(whole.slice(from, point));
          from = point;
        }
        streamed += filter.flush();
        expect(streamed).toBe(stripTerminalControls(whole));
        expect(streamed).not.toMatch(CONTROLS_BUT_LF_TAB);
      }),
      { numRuns: 500 },
    );
  });

  it('keeps nothing but its state between deltas: a long OSC does not pile up', () => {
    const filter = new TerminalTextFilter();
    expect(filter.push('a\u001b]52;c;')).toBe('a');
    for (let i = 0; i < 100; i += 1) expect(filter.push('QUJD'.repeat(10))).toBe('');
    expect(filter.push('\u0007b')).toBe('b');
  });
});

describe('terminalLine and visibleForTerminal', () => {
  it('terminalLine: one line, escapes dropped, shortened', () => {
    expect(terminalLine('Igel\u001b[2J\nim\tWinter')).toBe('Igel im Winter');
    expect(terminalLine('x'.repeat(300), 100)).toBe(`${'x'.repeat(100)}… (300 characters)`);
  });

  it('visibleForTerminal: control characters shown as U+FFFD, long runs cut, spaces and lines kept', () => {
    expect(visibleForTerminal("error: unknown command '\u001b]0;x\u0007'\n")).toBe("error: unknown command '\uFFFD]0;x\uFFFD'\n");
    expect(visibleForTerminal(`error: '${'y'.repeat(5000)}'\n`)).toBe(`error: '${'y'.repeat(59)}… (5002 characters)\n`);
    const help = 'Usage: atelier [options]\n\n  -v, --version  output the version number\n';
    expect(visibleForTerminal(help)).toBe(help);
  });
});
