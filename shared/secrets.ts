import * as z from 'zod';

/** The secrets Atelier keeps, one keychain entry each; custom endpoints use `endpoint:<prefix>`. */
export const builtinSecretNames = [
  'anthropic',
  'openai',
  'openrouter',
  'bedrock-api-key',
  'aws-access-key-id',
  'aws-secret-access-key',
  'aws-session-token',
] as const;

export const SecretNameSchema = z.union([
  z.enum(builtinSecretNames),
  z.string().regex(/^endpoint:[a-z][a-z0-9-]{0,31}$/, 'use endpoint:<prefix> for a custom endpoint'),
]);
export type SecretName = z.infer<typeof SecretNameSchema>;

/** Where the secrets live, and whether they will still be there after a restart. */
export const KeychainStatusSchema = z.object({
  available: z.boolean(),
  /** `macos-keychain`, `windows-credential-manager`, `secret-service`, or `none`. */
  backend: z.enum(['macos-keychain', 'windows-credential-manager', 'secret-service', 'none']),
  /** Why it is unavailable, and what the user can do. */
  problem: z.string().nullable(),
  hint: z.string().nullable(),
});
export type KeychainStatus = z.infer<typeof KeychainStatusSchema>;

/** A secret as the UI and the CLI may see it: never the value, only its masked form. */
export const StoredSecretSchema = z.object({
  name: z.string(),
  /** `keychain`: saved in the OS keychain; `session`: kept in memory until Atelier quits. */
  storage: z.enum(['keychain', 'session']),
  /** Such as `AKIA…0001` or `sk-a…3f9c`. */
  masked: z.string(),
});
export type StoredSecret = z.infer<typeof StoredSecretSchema>;

/** The first four and last four characters, or less of a short value: enough to recognise, too little to use. */
export function maskSecret(value: string): string {
  if (value.length >= 16) return `${value.slice(0, 4)}…${value.slice(-4)}`;
  if (value.length >= 8) return `${value.slice(0, 2)}…${value.slice(-2)}`;
  return '…';
}
