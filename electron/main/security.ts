import { app, shell, type Session } from 'electron';
import { isAppUrl, isSafeExternalUrl } from './app-origin';

/**
 * The Electron security checklist, applied to every web contents the app ever creates:
 * navigation away from the app is blocked, new windows are denied (https links open in the
 * user's browser instead), and <webview> cannot be attached.
 */
export function hardenWebContents(): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isAppUrl(url)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!isAppUrl(url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      if (isSafeExternalUrl(url)) void shell.openExternal(url);
      return { action: 'deny' };
    });
  });
}

/**
 * Denies every permission request (camera, microphone, notifications, …) by default. The one
 * exception is writing text to the clipboard, which the copy buttons of answers and code need.
 */
const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set(['clipboard-sanitized-write']);

export function hardenSession(session: Session): void {
  session.setPermissionRequestHandler((_contents, permission, callback) => callback(ALLOWED_PERMISSIONS.has(permission)));
  session.setPermissionCheckHandler((_contents, permission) => ALLOWED_PERMISSIONS.has(permission));
  session.setDevicePermissionHandler(() => false);
}
