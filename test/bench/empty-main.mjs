// The smallest Electron main there is: the baseline the start-up bench compares Atelier's main
// bundle with (both under the recording stand-in for electron, test/support/electron-stand-in).
import { app, BrowserWindow } from 'electron';

await app.whenReady();
void new BrowserWindow({ show: false }).loadURL('app://atelier/index.html');
