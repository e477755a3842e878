import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: repoRoot });

/** Lints `code` as if it were the file at `file` (relative to the repo) and returns the rules that fired. */
async function firedRules(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(repoRoot, file) });
  return (result?.messages ?? []).map((message) => message.ruleId ?? `fatal: ${message.message}`);
}

const RULE = 'no-restricted-imports';

describe('the layering rules', () => {
  it.each([
    ['electron/core/x.ts', "import { app } from 'electron';"],
    ['electron/core/settings/x.ts', "import { registerIpc } from '../../main/register-ipc';"],
    ['electron/core/x.ts', "import { runCli } from '../cli/program';"],
    ['electron/main/ipc/x.ts', "import { ipcMain } from 'electron';"],
    ['renderer/x.ts', "import { ipcRenderer } from 'electron';"],
    ['renderer/views/x.tsx', "import fs from 'node:fs';"],
    ['renderer/views/x.tsx', "import path from 'path';"],
    ['renderer/views/x.tsx', "import { SettingsStore } from '../../electron/core/settings/settings-store';"],
    ['shared/x.ts', "import os from 'node:os';"],
    ['shared/ipc/x.ts', "import { App } from '../../renderer/App';"],
    ['shared/x.ts', "import { resolveDataDir } from '../electron/core/paths';"],
  ])('forbids in %s: %s', async (file, code) => {
    expect(await firedRules(file, `${code}\nexport const used = [${code.match(/import \{? ?(\w+)/)?.[1]}];\n`)).toContain(RULE);
  });

  it.each([
    ['electron/core/x.ts', "import fs from 'node:fs';"],
    ['electron/main/x.ts', "import { app } from 'electron';"],
    ['electron/preload/x.ts', "import { contextBridge } from 'electron';"],
    ['renderer/views/x.tsx', "import { languages } from '../../shared/choices';"],
    ['shared/x.ts', "import { z } from 'zod';"],
    ['electron/main/ipc/x.ts', "import { SettingsStore } from '../../core/settings/settings-store';"],
  ])('allows in %s: %s', async (file, code) => {
    expect(await firedRules(file, `${code}\nexport const used = [${code.match(/import \{? ?(\w+)/)?.[1]}];\n`)).toEqual([]);
  });
});
