import * as z from 'zod';

/** Lower-case letters, digits and dashes, such as `mathe-tutor`: typed in the CLI, kept in files. */
export const AssistantIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'an assistant id is lower-case letters, digits and dashes, such as mathe-tutor');

/**
 * Where an assistant comes from: shipped with Atelier (`builtin`, read-only, duplicate to
 * change), made by the user (`user`), or shipped by the school's policy file (`school`, read-only).
 */
export const assistantSources = ['builtin', 'user', 'school'] as const;
export type AssistantSource = (typeof assistantSources)[number];

/** What an assistant is made of; the same fields for a new one, an edit, and the school's file. */
export const AssistantFieldsSchema = z.strictObject({
  name: z
    .string()
    .trim()
    .min(1, 'an assistant needs a name')
    .max(80, 'a name of at most 80 characters')
    .refine((name) => /[\p{L}\p{N}\p{S}\p{P}]/u.test(name), 'a name needs a letter, a digit or a sign one can see'),
  description: z.string().trim().max(300, 'a description of at most 300 characters').default(''),
  /** What the model is told before the conversation: its role and its rules. */
  systemPrompt: z.string().trim().min(1, 'an assistant needs instructions (its system prompt)').max(20_000, 'instructions of at most 20,000 characters'),
  /** The model (`provider/model`) or role (`fast`, `advanced`, `extreme`) it prefers; null: the one picked. */
  model: z.string().trim().min(1).max(300).nullable().default(null),
  /** 0 to 2; null: the provider's default. */
  temperature: z.number().min(0, 'a temperature from 0 to 2').max(2, 'a temperature from 0 to 2').nullable().default(null),
  /** Shown as the assistant's first message in a new conversation (not sent to the model). */
  openingMessage: z.string().trim().max(2000, 'an opening message of at most 2,000 characters').nullable().default(null),
});
export type AssistantFields = z.output<typeof AssistantFieldsSchema>;
export type AssistantFieldsInput = z.input<typeof AssistantFieldsSchema>;

export const AssistantSchema = z.object({
  id: AssistantIdSchema,
  source: z.enum(assistantSources),
  name: z.string(),
  description: z.string(),
  systemPrompt: z.string(),
  model: z.string().nullable(),
  temperature: z.number().nullable(),
  openingMessage: z.string().nullable(),
  /** Whether the user may change or delete it here (their own, and only while the class is not locked). */
  editable: z.boolean(),
});
export type Assistant = z.infer<typeof AssistantSchema>;

/** What a conversation remembers of the assistant it was started with (kept if the assistant goes). */
export const ConversationAssistantSchema = z.object({
  id: AssistantIdSchema,
  source: z.enum(assistantSources),
  name: z.string(),
  systemPrompt: z.string(),
  /** Its temperature then (absent in conversations saved before it was kept). */
  temperature: z.number().nullable().optional(),
});
export type ConversationAssistant = z.infer<typeof ConversationAssistantSchema>;

/** The assistants to choose from, and whether the school allows only its own. */
export const AssistantListSchema = z.object({
  assistants: z.array(AssistantSchema),
  /** The school's policy allows chats only with its assistants. */
  schoolOnly: z.boolean(),
  /** Why the user cannot change assistants now (`classroom-lock` or `policy`); null when they can. */
  lockedBy: z.enum(['classroom-lock', 'policy']).nullable(),
  /** The school's policy file is there but cannot be used (its assistants and rules are then unknown): why. */
  policyProblem: z.string().nullable().optional(),
});
export type AssistantList = z.infer<typeof AssistantListSchema>;
