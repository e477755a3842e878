import { randomUUID } from 'node:crypto';
import { runCli } from '../../electron/cli/program';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the `atelier` CLI in-process, as a user would from a terminal or a pipe: with its own
 * environment (nothing from the test process leaks in), optional piped stdin, and an optional
 * Ctrl-C sent when stdout first shows `interruptOn`.
 */
export async function runAtelier(
  argv: string[],
  options: { env: Record<string, string | undefined>; stdin?: string; interruptOn?: RegExp; tty?: boolean; answers?: string[] },
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const interruptHandlers = new Set<() => void>();
  // A keychain service of its own unless the test names one, so parallel tests never share keys.
  const env: Record<string, string | undefined> = {
    ATELIER_KEYCHAIN_SERVICE: `Atelier-test-${randomUUID()}`,
    ATELIER_POLICY_FILE: process.env.ATELIER_POLICY_FILE,
    ...options.env,
  };
  const code = await runCli(argv, {
    env,
    cwd: env.ATELIER_HOME ?? process.cwd(),
    stdout: (text) => {
      stdout += text;
      if (options.interruptOn?.test(stdout)) for (const handler of interruptHandlers) handler();
    },
    stderr: (text) => (stderr += text),
    stdoutIsTTY: options.tty === true,
    stdin: { isTTY: options.stdin === undefined, readAll: () => Promise.resolve(options.stdin ?? '') },
    // The answers a person would type at the terminal, in order; with none given there is no terminal to ask.
    ...(options.answers && {
      ask: (question: string) => {
        stderr += question;
        return Promise.resolve(options.answers?.shift() ?? null);
      },
    }),
    onInterrupt: (handler) => {
      interruptHandlers.add(handler);
      return () => interruptHandlers.delete(handler);
    },
  });
  return { code, stdout, stderr };
}
