/**
 * The renderer's Content-Security-Policy. Sent as a header by the `app://` protocol handler and
 * as a <meta> tag in index.html (vite.config.ts injects it), so it holds even if one is lost.
 * No 'unsafe-inline', no 'unsafe-eval', no remote origin: the renderer talks to nothing but its
 * own files and `window.atelier`. (`frame-ancestors` is left out because browsers ignore it in
 * a <meta> tag and warn about it.)
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "object-src 'none'",
].join('; ');
