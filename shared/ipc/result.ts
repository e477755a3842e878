import type { ErrorPayload } from '../errors';

/**
 * What every IPC call resolves to. Electron keeps only `message` of an error thrown across IPC,
 * so errors travel as data instead, with their code and hint intact.
 */
export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: ErrorPayload };

export function ok<T>(value: T): IpcResult<T> {
  return { ok: true, value };
}

export function fail(error: ErrorPayload): IpcResult<never> {
  return { ok: false, error };
}
