import { describe, expect, it } from 'vitest';
import { parseOrigin, parsePort, parseTokenName } from '../../../renderer/gateway/gateway-input';
import { ServeTokenNameSchema } from '../../../shared/gateway';
import { GatewaySettingsSchema } from '../../../shared/settings';

describe('Settings → Local endpoint checks what is typed as main does', () => {
  it('a port: a whole number from 1024 to 65535', () => {
    expect(parsePort(' 8765 ')).toEqual({ ok: true, port: 8765 });
    expect(parsePort('1024')).toEqual({ ok: true, port: 1024 });
    expect(parsePort('65535')).toEqual({ ok: true, port: 65_535 });
    expect(parsePort('80')).toEqual({ ok: false, problem: 'out-of-range' });
    expect(parsePort('65536')).toEqual({ ok: false, problem: 'out-of-range' });
    for (const text of ['', '87.5', '8e3', '-8765', 'acht', '0x2000', '1234567']) expect(parsePort(text), text).toEqual({ ok: false, problem: 'not-whole' });
  });

  it('an origin: http or https, a host, maybe a port, nothing after (a trailing slash is taken off); once; at most 20', () => {
    expect(parseOrigin('http://localhost:8888', [])).toEqual({ ok: true, origin: 'http://localhost:8888' });
    expect(parseOrigin(' http://localhost:8888/ ', [])).toEqual({ ok: true, origin: 'http://localhost:8888' });
    expect(parseOrigin('https://Notebook.Schule.example', [])).toEqual({ ok: true, origin: 'https://notebook.schule.example' });
    expect(parseOrigin('http://[::1]:3000', [])).toEqual({ ok: true, origin: 'http://[::1]:3000' });
    expect(parseOrigin('', [])).toEqual({ ok: false, problem: 'empty' });
    for (const text of ['localhost:8888', 'ftp://localhost', 'file:///tmp', 'http://user:pw@localhost:8888', 'http//localhost', 'javascript:alert(1)']) {
      expect(parseOrigin(text, []), text).toEqual({ ok: false, problem: 'not-origin' });
    }
    for (const text of ['http://localhost:8888/lab', 'http://localhost:8888/?a=1', 'http://localhost:8888/#x', 'http://localhost:8888?']) {
      expect(parseOrigin(text, []), text).toEqual({ ok: false, problem: 'has-path' });
    }
    expect(parseOrigin('http://localhost:8888/', ['http://localhost:8888'])).toEqual({ ok: false, problem: 'twice' });
    const twenty = Array.from({ length: 20 }, (_, index) => `http://localhost:${3000 + index}`);
    expect(parseOrigin('http://localhost:8888', twenty)).toEqual({ ok: false, problem: 'too-many' });
    // What passes here, main's schema takes.
    for (const text of ['http://localhost:8888/', 'https://Notebook.Schule.example', 'http://[::1]:3000']) {
      const parsed = parseOrigin(text, []);
      expect(parsed.ok && GatewaySettingsSchema.shape.allowedOrigins.safeParse([parsed.origin]).success, text).toBe(true);
    }
  });

  it('a token name: letters, digits, spaces, dots, dashes, underscores; not twice, whatever the case', () => {
    expect(parseTokenName('  VS Code ', [])).toEqual({ ok: true, name: 'VS Code' });
    expect(parseTokenName('Notebook_7b.v2-ä', [])).toEqual({ ok: true, name: 'Notebook_7b.v2-ä' });
    expect(parseTokenName(' ', [])).toEqual({ ok: false, problem: 'empty' });
    expect(parseTokenName('x'.repeat(65), [])).toEqual({ ok: false, problem: 'too-long' });
    for (const text of ['-VS', 'VS/Code', 'Notebook?', 'a\tb']) expect(parseTokenName(text, []), text).toEqual({ ok: false, problem: 'characters' });
    expect(parseTokenName('vs code', ['VS Code'])).toEqual({ ok: false, problem: 'twice' });
    for (const text of ['VS Code', 'Notebook_7b.v2-ä', 'x'.repeat(64)]) expect(ServeTokenNameSchema.safeParse(text).success, text).toBe(true);
    for (const text of ['-VS', 'VS/Code', 'Notebook?']) expect(ServeTokenNameSchema.safeParse(text).success, text).toBe(false);
  });
});
