import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { AtelierError } from '../../shared/errors';
import { fileWriteError, writeFileAtomically } from '../core/store/atomic-file';

/** How many symbolic links in a row are followed, as the kernel's own limit (ELOOP beyond). */
const MAX_LINKS = 40;

/** What a path names, after following symbolic links; `file` is the path at the end of the chain. */
type Target =
  | { kind: 'missing' | 'regular' | 'stream' | 'socket' | 'directory'; file: string }
  | { kind: 'other'; file: string };

/**
 * Follows `file` through symbolic links, each relative to its own folder, to what is at the end:
 * a dangling link ends at the path it names (a file to create there), as `echo > link` does.
 */
async function resolveTarget(file: string): Promise<Target> {
  let current = file;
  for (let hop = 0; hop <= MAX_LINKS; hop += 1) {
    let stats;
    try {
      stats = await fs.lstat(current);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing', file: current };
      throw error;
    }
    if (stats.isSymbolicLink()) {
      current = path.resolve(path.dirname(current), await fs.readlink(current));
      continue;
    }
    if (stats.isFile()) return { kind: 'regular', file: current };
    if (stats.isDirectory()) return { kind: 'directory', file: current };
    if (stats.isCharacterDevice() || stats.isFIFO()) return { kind: 'stream', file: current };
    if (stats.isSocket()) return { kind: 'socket', file: current };
    return { kind: 'other', file: current };
  }
  throw Object.assign(new Error('too many symbolic links'), { code: 'ELOOP' });
}

/**
 * Writes every byte of `data` into a device or a named pipe as it is (`/dev/null`, a FIFO a script
 * reads from): no temporary file and no rename, which would replace the device with a file. A
 * short write goes on where it stopped; one that writes nothing is a full device.
 */
async function writeIntoStream(file: string, data: Uint8Array): Promise<void> {
  // No O_CREAT, no O_TRUNC: it is written to, never made or replaced. A FIFO waits for its reader.
  const handle = await fs.open(file, fs.constants.O_WRONLY);
  try {
    for (let offset = 0; offset < data.byteLength; ) {
      const { bytesWritten } = await handle.write(data, offset, data.byteLength - offset);
      if (bytesWritten <= 0) throw Object.assign(new Error(`wrote ${offset} of ${data.byteLength} bytes`), { code: 'ENOSPC' });
      offset += bytesWritten;
    }
  } finally {
    await handle.close();
  }
}

/** Writes `data` to a Unix socket's listener (open() cannot open a socket), resolving once all of it was taken. */
function writeIntoSocket(file: string, data: Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.createConnection({ path: file });
    socket.once('error', reject);
    socket.once('connect', () => socket.end(data, () => resolve()));
  });
}

/**
 * Writes a file the user named (relative to the current folder). A regular file, or a new one, is
 * written atomically: it is whole or not there, and an older file of that name stays as it was.
 * A symbolic link stays a link: the file it points to is written (atomically), and a dangling
 * link's target is created. A device or a named pipe is written into as it is. A folder is a
 * wrong argument (exit 2); a full disk or a folder that cannot be written gets a clear error
 * (exit 1). Returns the absolute path the user named.
 */
export async function writeUserFile(cwd: string, file: string, content: string): Promise<string> {
  const named = path.resolve(cwd, file);
  const data = Buffer.from(content, 'utf8');
  try {
    const target = await resolveTarget(named);
    switch (target.kind) {
      case 'missing':
      case 'regular':
        await writeFileAtomically(target.file, data);
        break;
      case 'stream':
        await writeIntoStream(target.file, data);
        break;
      case 'socket':
        await writeIntoSocket(target.file, data);
        break;
      case 'directory':
        throw Object.assign(new Error('a folder'), { code: 'EISDIR' });
      default:
        throw new AtelierError('invalid_request', `Atelier could not write ${named}: it is neither a file, a folder nor a device.`, 'Give the name of a file to write. Nothing was changed.');
    }
  } catch (error) {
    if (error instanceof AtelierError) throw error;
    // A path that cannot be written is a wrong argument (exit 2); a full disk is a failure (exit 1).
    const wrongPath = ['ENOENT', 'ENOTDIR', 'EISDIR', 'EACCES', 'EPERM', 'EROFS', 'EEXIST', 'ELOOP', 'ENXIO', 'ECONNREFUSED'].includes((error as NodeJS.ErrnoException).code ?? '');
    throw fileWriteError(named, error, wrongPath ? 'invalid_request' : 'file_unwritable');
  }
  return named;
}

/** At most `limit` bytes from the start of a file: enough to tell it is too large, without reading it all. */
export async function readStart(file: string, limit: number): Promise<Uint8Array> {
  const handle = await fs.open(file, 'r');
  try {
    const buffer = Buffer.alloc(limit);
    let filled = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, filled, limit - filled, null);
      if (bytesRead === 0) break;
      filled += bytesRead;
      if (filled === limit) break;
    }
    return buffer.subarray(0, filled);
  } finally {
    await handle.close();
  }
}
