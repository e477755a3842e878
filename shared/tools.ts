import * as z from 'zod';
import { urlCredentialProblem } from './url-credentials';

/** A tool server's name: what `atelier mcp tools NAME` and the egress record call it. */
export const McpServerNameSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'a server name is lower-case letters, digits and dashes (up to 40), such as files or wiki');

/** An environment variable's name for a local (stdio) server. */
const EnvNameSchema = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,99}$/, 'an environment variable name is letters, digits and underscores');

/**
 * An MCP server the user (or the school) added. A local one is a program Atelier starts (stdio);
 * a remote one is an address (Streamable HTTP, with the older SSE transport as a fallback). The
 * values of `env` are not kept here: secrets live in the keychain (`mcp-env:NAME:VAR`).
 */
export const McpServerConfigSchema = z.discriminatedUnion('transport', [
  z.strictObject({
    name: McpServerNameSchema,
    transport: z.literal('stdio'),
    /** The program, found on the login shell's PATH when it is a bare name (`npx`, `uvx`). */
    command: z.string().trim().min(1, 'a local server needs a command, such as npx').max(1000),
    args: z.array(z.string().max(4000)).max(100).default([]),
    /** Names of environment variables to give it, their values from the keychain. */
    env: z.array(EnvNameSchema).max(50).default([]),
    enabled: z.boolean().default(true),
  }),
  z.strictObject({
    name: McpServerNameSchema,
    transport: z.literal('http'),
    url: z.url({ protocol: /^https?$/, error: 'use the server’s http:// or https:// address, such as https://mcp.school.example/mcp' }).superRefine((url, context) => {
      const problem = urlCredentialProblem(url);
      if (problem) context.addIssue({ code: 'custom', message: `the address must not hold a password or token: ${problem}` });
    }),
    enabled: z.boolean().default(true),
  }),
]);
export type McpServerConfig = z.output<typeof McpServerConfigSchema>;

/** A tool server as the app lists it: its settings and where it runs. */
export const McpServerEntrySchema = z.intersection(
  McpServerConfigSchema,
  z.object({
    routeClass: z.enum(['local', 'eu', 'non-eu']),
    /** Shipped by the school's policy file: always on, not changeable here. */
    fromSchool: z.boolean().optional(),
  }),
);
export type McpServerEntry = z.infer<typeof McpServerEntrySchema>;

/** A tool call the model made in an answer, and what came of it (saved with the answer). */
export const ToolActivitySchema = z.object({
  id: z.string(),
  /** The name the model used (`server__tool`). */
  name: z.string(),
  args: z.record(z.string(), z.unknown()),
  /** The tool's answer; null while it runs. */
  result: z.string().nullable(),
  isError: z.boolean(),
});
export type ToolActivity = z.infer<typeof ToolActivitySchema>;

/** A tool a server offers, as the model is told about it. */
export const ToolInfoSchema = z.object({
  server: z.string(),
  name: z.string(),
  title: z.string().nullable(),
  description: z.string(),
  /** JSON Schema of its arguments. */
  inputSchema: z.record(z.string(), z.unknown()),
});
export type ToolInfo = z.infer<typeof ToolInfoSchema>;
