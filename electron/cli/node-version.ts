/**
 * Which Node can run the CLI. `node:sqlite` (the conversations, the egress record) exists without
 * a flag from Node 22.13 on the 22 line and from 23.4 on the 23 line; on anything older the
 * bundle's first import fails with ERR_UNKNOWN_BUILTIN_MODULE and a stack trace. This file is
 * loaded by the CLI's entry before anything else, so it must import nothing and use only syntax
 * that old versions of Node can parse.
 */
export const MINIMUM_NODE = '22.13';

/** A message for a Node that cannot run Atelier, or null when `version` (like "20.20.2") can. */
export function nodeVersionProblem(version: string): string | null {
  const [major = 0, minor = 0] = version.split('.').map((part) => Number.parseInt(part, 10) || 0);
  const supported = major >= 24 || (major === 23 && minor >= 4) || (major === 22 && minor >= 13);
  if (supported) return null;
  const also = major === 23 ? ' (23.4 or newer on the 23 line)' : '';
  return `Atelier needs Node ${MINIMUM_NODE} or newer${also}; this is Node ${version}.`;
}

/** What to do about it, for the line after the message. */
export const NODE_VERSION_HINT = 'Install Node 24 (the Node inside Electron 45) from https://nodejs.org or your package manager, and run the command again.';
