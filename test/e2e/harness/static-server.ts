import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { contentTypeFor } from '../../../electron/main/app-origin';
import { CONTENT_SECURITY_POLICY } from '../../../electron/main/content-security-policy';

export interface StaticServer {
  origin: string;
  close(): Promise<void>;
}

/**
 * Serves a folder on loopback the way the app:// handler does: same content types, same CSP
 * header. Paths are resolved with the same checks, by mapping them onto the app:// URL space.
 */
export async function serveFolder(rootDir: string, resolve: (root: string, url: string) => string | null): Promise<StaticServer> {
  const server = http.createServer((request, response) => {
    const file = resolve(rootDir, `app://atelier${request.url ?? '/'}`);
    if (file === null) {
      response.writeHead(404).end();
      return;
    }
    fs.readFile(file).then(
      (body) => {
        response.writeHead(200, {
          'Content-Type': contentTypeFor(file),
          'Content-Security-Policy': CONTENT_SECURITY_POLICY,
          'X-Content-Type-Options': 'nosniff',
        });
        response.end(body);
      },
      () => response.writeHead(404).end(),
    );
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
