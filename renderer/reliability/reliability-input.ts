import { modelRoles } from '../../shared/choices';

/** The bounds main's schema (ReliabilitySettingsSchema) sets on each timeout, in seconds. */
export const MIN_TIMEOUT_S = 5;
export const MAX_TIMEOUT_S = 3600;
/** As FallbacksSchema: models in a chain, chains in all. */
export const MAX_CHAIN_MODELS = 5;
export const MAX_CHAINS = 50;

export type TimeoutProblem = 'empty' | 'not-whole' | 'too-small' | 'too-large';

/** A timeout as typed: whole seconds from 5 to 3600, else why not (checked before anything is sent). */
export function parseTimeout(text: string): { ok: true; seconds: number } | { ok: false; problem: TimeoutProblem } {
  const value = text.trim();
  if (value === '') return { ok: false, problem: 'empty' };
  if (!/^\d+$/.test(value)) return { ok: false, problem: 'not-whole' };
  const seconds = Number(value);
  if (seconds < MIN_TIMEOUT_S) return { ok: false, problem: 'too-small' };
  if (seconds > MAX_TIMEOUT_S) return { ok: false, problem: 'too-large' };
  return { ok: true, seconds };
}

/**
 * A model id as main's ModelIdSchema takes it (`provider/model`: a lower-case prefix, one slash,
 * no spaces or control characters), written again here so the renderer does not bundle zod.
 */
const MODEL_ID = /^[a-z][a-z0-9-]{0,31}\/[^\s/\p{Cc}][^\s\p{Cc}]*$/u;
export const isModelId = (text: string) => text.length <= 300 && MODEL_ID.test(text) && !text.endsWith('/');
const isRole = (text: string) => (modelRoles as readonly string[]).includes(text);

/** One chain in the editor: the model or role it is for, and the fallbacks as typed, one per line. */
export interface ChainDraft {
  from: string;
  models: string;
}

export type ChainProblem =
  | { kind: 'from-empty' }
  | { kind: 'from-invalid'; text: string }
  | { kind: 'from-twice'; text: string }
  | { kind: 'models-empty' }
  | { kind: 'model-invalid'; text: string }
  | { kind: 'own-fallback'; text: string }
  | { kind: 'too-many'; count: number };

export type ParsedChains = { ok: true; chains: Record<string, string[]> } | { ok: false; problems: (ChainProblem | null)[] };

/**
 * The chains as the editor holds them, checked as main and `atelier fallback set` check them:
 * each for a model id or a role, with one to five model ids (repeats dropped), never itself.
 * Rows left wholly empty are dropped. `problems` has one entry per row (null when fine).
 */
export function parseChains(drafts: readonly ChainDraft[]): ParsedChains {
  const chains: Record<string, string[]> = {};
  const seen = new Set<string>();
  const problems = drafts.map((draft): ChainProblem | null => {
    const from = draft.from.trim();
    const models = [
      ...new Set(
        draft.models
          .split(/\r?\n/)
          .map((line) => line.trim())
          .filter(Boolean),
      ),
    ];
    if (from === '' && models.length === 0) return null;
    if (from === '') return { kind: 'from-empty' };
    if (!isRole(from) && !isModelId(from)) return { kind: 'from-invalid', text: from };
    if (seen.has(from)) return { kind: 'from-twice', text: from };
    seen.add(from);
    if (models.length === 0) return { kind: 'models-empty' };
    const invalid = models.find((model) => !isModelId(model));
    if (invalid !== undefined) return { kind: 'model-invalid', text: invalid };
    if (models.includes(from)) return { kind: 'own-fallback', text: from };
    if (models.length > MAX_CHAIN_MODELS) return { kind: 'too-many', count: models.length };
    chains[from] = models;
    return null;
  });
  return problems.some((problem) => problem !== null) ? { ok: false, problems } : { ok: true, chains };
}

/** The chains as the editor starts: one row per chain, its models one per line. */
export const draftsOf = (chains: Record<string, string[]>): ChainDraft[] => Object.entries(chains).map(([from, models]) => ({ from, models: models.join('\n') }));
