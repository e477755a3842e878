import * as z from 'zod';

/**
 * Stable error codes. The renderer and the CLI branch on these, so a code is never renamed;
 * new codes are added at the end of their group.
 */
export const errorCodes = [
  // The request itself is wrong: a bad IPC payload, a malformed model id, a bad CLI argument.
  'invalid_request',
  // An IPC call came from a frame that is not Atelier's own page.
  'forbidden_sender',
  // Settings could not be saved (read-only folder, disk full).
  'settings_unwritable',
  // A bug in Atelier: the details go to the log, never to the user.
  'internal_error',
  // A file could not be written (disk full, no permission); the old file, if any, is unchanged.
  'file_unwritable',

  // Talking to providers.
  'credentials_missing', // no key or credentials configured for the provider
  'auth_invalid', // the provider rejected the key
  'credentials_expired', // temporary credentials (a session token) ran out
  'permission_denied', // the key is valid but may not do this
  'model_access_denied', // the account has not been granted this model (Bedrock model access)
  'model_not_found', // no such model at this provider (or not pulled, for Ollama)
  'inference_profile_required', // Bedrock: the model needs an inference profile id (eu., us., …)
  'rate_limited', // too many requests: wait and try again
  'quota_exceeded', // out of credit or over the plan's quota: waiting will not help
  'provider_unreachable', // no connection: not running, wrong address, offline
  'provider_error', // the provider failed on its side (5xx, overloaded, a broken stream)
  'timeout', // no answer in time
  'cancelled', // the user stopped it

  // Privacy.
  'policy_denied', // the privacy tier (or the school's policy) does not allow this route
  'settings_locked', // the school's policy (or the classroom lock) keeps this setting as it is

  // Spending.
  'budget_exceeded', // the daily or monthly budget for cloud use would be passed: nothing was sent
] as const;

export const ErrorCodeSchema = z.enum(errorCodes);
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;

/** What crosses IPC and what the CLI prints: never a stack, never a secret. */
export const ErrorPayloadSchema = z.object({
  code: ErrorCodeSchema,
  /** One or two sentences a teacher understands. */
  message: z.string(),
  /** What to do about it. */
  hint: z.string().optional(),
});
export type ErrorPayload = z.infer<typeof ErrorPayloadSchema>;

/**
 * The one error type core and main throw on purpose. Anything else that escapes is a bug and is
 * reported as `internal_error` without its message, which could hold anything.
 */
export class AtelierError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;

  constructor(code: ErrorCode, message: string, hint?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AtelierError';
    this.code = code;
    this.hint = hint;
  }

  toPayload(): ErrorPayload {
    return this.hint === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, hint: this.hint };
  }
}

export const INTERNAL_ERROR: ErrorPayload = {
  code: 'internal_error',
  message: 'Something went wrong inside Atelier.',
  hint: 'Try again. If it keeps happening, restart Atelier and report the problem.',
};

/** Turns anything thrown into a payload that is safe to show. */
export function toErrorPayload(error: unknown): ErrorPayload {
  return error instanceof AtelierError ? error.toPayload() : INTERNAL_ERROR;
}

/** Formats zod issues as `path: message` lines, for `invalid_request` messages. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  // Two checks of one value may fail with the same words (a model id's pattern and its "no
  // trailing slash" rule): each is said once.
  const lines = issues.map((issue) => {
    const where = issue.path.length > 0 ? issue.path.map(String).join('.') : 'input';
    return `${where}: ${issue.message}`;
  });
  return [...new Set(lines)].join('; ');
}
