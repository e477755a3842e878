import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAppUrl, isSafeExternalUrl, resolveRendererFile } from '../../electron/main/app-origin';
import { CONTENT_SECURITY_POLICY } from '../../electron/main/content-security-policy';

const root = path.resolve('/opt/atelier/renderer');

describe('serving the renderer from app://atelier', () => {
  it('maps app URLs to files inside the renderer folder', () => {
    expect(resolveRendererFile(root, 'app://atelier/')).toBe(path.join(root, 'index.html'));
    expect(resolveRendererFile(root, 'app://atelier/index.html')).toBe(path.join(root, 'index.html'));
    expect(resolveRendererFile(root, 'app://atelier/assets/index-abc.js?v=1')).toBe(path.join(root, 'assets/index-abc.js'));
  });

  it.each([
    'app://atelier/../../etc/passwd',
    'app://atelier/%2e%2e/%2e%2e/etc/passwd',
    'app://atelier/assets/..%2f..%2f..%2fetc/passwd',
    'app://atelier/%2fetc%2fpasswd',
  ])('never resolves %s outside the renderer folder', (url) => {
    const file = resolveRendererFile(root, url);
    if (file !== null) expect(path.relative(root, file).startsWith('..')).toBe(false);
    expect(file).not.toBe('/etc/passwd');
  });

  it.each([
    'app://atelier/assets/..%2f..%2f..%2fetc/passwd',
    'app://atelier/%00index.html',
    'app://atelier/%E0%A4%A',
    'app://other/index.html',
    'https://atelier/index.html',
    'not a url',
  ])('refuses %s', (url) => {
    expect(resolveRendererFile(root, url)).toBeNull();
  });

  it('lets navigation stay only on the app origin and opens only https links outside', () => {
    expect(isAppUrl('app://atelier/index.html')).toBe(true);
    expect(isAppUrl('https://atelier.example/')).toBe(false);
    expect(isSafeExternalUrl('https://example.org/docs')).toBe(true);
    for (const url of ['http://example.org', 'file:///etc/passwd', 'javascript:alert(1)', 'smb://server/share']) {
      expect(isSafeExternalUrl(url)).toBe(false);
    }
  });

  it('has a strict Content-Security-Policy', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'none'");
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-(inline|eval)|\*|https?:/);
  });
});
