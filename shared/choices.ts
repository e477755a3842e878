/**
 * The fixed lists of choices the schemas allow, as plain constants: the renderer imports these
 * without pulling zod into its bundle, and shared/settings.ts and shared/hardware.ts build their
 * schemas from them.
 */
export const languages = ['system', 'en', 'de'] as const;
export const themes = ['system', 'light', 'dark'] as const;

export type LanguagePreference = (typeof languages)[number];
export type ThemePreference = (typeof themes)[number];

/** Where Bedrock's AWS credentials come from; `auto` tries them in this order. */
export const awsCredentialSources = ['auto', 'keychain', 'api-key', 'environment', 'profile', 'default-chain'] as const;
export type AwsCredentialSource = (typeof awsCredentialSources)[number];

/** What a model is for: quick answers, everyday work, the hardest questions. */
export const modelRoles = ['fast', 'advanced', 'extreme'] as const;
export type ModelRole = (typeof modelRoles)[number];

/** Rows of the hardware matrix: CPU only, then usable GPU memory in GB. */
export const hardwareTiers = ['cpu', 'vram-4', 'vram-8', 'vram-12', 'vram-16', 'vram-24', 'vram-48', 'vram-80'] as const;
export type HardwareTier = (typeof hardwareTiers)[number];

/**
 * How a model fits this machine: `fits` in GPU memory; `spills` partly into system memory (about
 * ten times slower); `cpu` runs on the processor (no GPU memory to use); `too-big` for memory.
 */
export const modelFits = ['fits', 'spills', 'cpu', 'too-big'] as const;
export type ModelFit = (typeof modelFits)[number];

/**
 * Where words may go. `dsgvo_local`: only this machine (or an Ollama host the school names);
 * `dsgvo_cloud`: that, plus AWS Bedrock inside the EU; `non_dsgvo`: any provider.
 */
export const privacyTiers = ['dsgvo_local', 'dsgvo_cloud', 'non_dsgvo'] as const;
export type PrivacyTier = (typeof privacyTiers)[number];

/** Where a request goes: this machine (or a named school host), the EU, or anywhere else. */
export const routeClasses = ['local', 'eu', 'non-eu'] as const;
export type RouteClass = (typeof routeClasses)[number];

/**
 * Why a request was made, in the egress record: a chat; asking a provider for its models; a
 * connection test; managing Ollama's models (list, pull, delete, load).
 */
export const egressPurposes = ['chat', 'model-list', 'connection-test', 'model-management', 'tool-call'] as const;
export type EgressPurpose = (typeof egressPurposes)[number];

/**
 * Where a saved message stands: `streaming` while the answer arrives; `interrupted` when Atelier
 * stopped (a crash, a killed process) in the middle of one, found so at the next start.
 */
export const messageStatuses = ['complete', 'streaming', 'cancelled', 'failed', 'interrupted'] as const;
export type MessageStatus = (typeof messageStatuses)[number];

/** How a conversation can be exported: Markdown to read and share, JSON to keep everything. */
export const exportFormats = ['markdown', 'json'] as const;
export type ExportFormat = (typeof exportFormats)[number];
