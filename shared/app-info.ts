import * as z from 'zod';

export const AppInfoSchema = z.object({
  name: z.string(),
  /** Atelier's own version, from package.json. */
  version: z.string(),
  /** Node's `process.platform`: `darwin`, `win32`, `linux`, … */
  platform: z.string(),
  arch: z.string(),
  /** Absolute path of the folder holding settings and data (`ATELIER_HOME` overrides it). */
  dataDir: z.string(),
  /** Runtime versions; `electron` and `chrome` are null outside the Electron app (CLI, tests). */
  runtime: z.object({
    node: z.string(),
    electron: z.string().nullable(),
    chrome: z.string().nullable(),
  }),
});
export type AppInfo = z.infer<typeof AppInfoSchema>;
