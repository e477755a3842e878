import type { ModelLifecycle } from '../../../shared/models';
import { hasProfilePrefix } from './bedrock-profiles';

/**
 * Models their provider has deprecated or retired, as far as Atelier knows without asking: a
 * provider's own live data (Bedrock's `modelLifecycle`) wins where a listing gives it.
 *
 * Sources, checked 2026-12-01: Anthropic's model deprecations page
 * (https://docs.anthropic.com/en/docs/resources/model-deprecations) and the deprecation table in
 * @anthropic-ai/sdk (resources/messages/messages.js, DEPRECATED_MODELS), which warns for
 * `claude-sonnet-4-5` with end of life on 2026-11-30; Anthropic's release notes for the Sonnet 3.5
 * (2025-10-28), Sonnet 4 and Opus 4 (2026-06-15) and Opus 4.1 (2026-08-05) retirements, and the
 * Opus 4.5 deprecation of 2026-11-23 (tentative retirement 2027-01-22), checked 2026-12-02. Successors are the current models of the
 * same kind in the price table (electron/core/usage/price-table.json). When updating, add a row;
 * never remove one: an old id in a saved conversation or a school's list must still be explained.
 */
export interface KnownDeprecation {
  /** The model-id prefix the row is about: `anthropic`, `bedrock`, `openrouter`. */
  prefix: string;
  /** Model ids as the provider takes them (aliases and dated forms); Bedrock ids without a geography. */
  models: readonly string[];
  /** The day (UTC, YYYY-MM-DD) from which the provider no longer answers; null when not announced. */
  retiresOn: string | null;
  /** What to use instead, as a model id under the same prefix (Bedrock: without a geography). */
  successor: string;
}

export const KNOWN_DEPRECATIONS: readonly KnownDeprecation[] = [
  { prefix: 'anthropic', models: ['claude-3-sonnet-20240229'], retiresOn: '2025-07-21', successor: 'claude-sonnet-4-6' },
  { prefix: 'anthropic', models: ['claude-3-5-sonnet-20240620', 'claude-3-5-sonnet-20241022', 'claude-3-5-sonnet-latest'], retiresOn: '2025-10-28', successor: 'claude-sonnet-4-6' },
  { prefix: 'anthropic', models: ['claude-3-opus-20240229', 'claude-3-opus-latest'], retiresOn: '2026-01-05', successor: 'claude-opus-4-6' },
  { prefix: 'anthropic', models: ['claude-3-7-sonnet-20250219', 'claude-3-7-sonnet-latest'], retiresOn: '2026-02-19', successor: 'claude-sonnet-4-6' },
  { prefix: 'anthropic', models: ['claude-3-5-haiku-20241022', 'claude-3-5-haiku-latest'], retiresOn: '2026-02-19', successor: 'claude-haiku-4-5' },
  { prefix: 'anthropic', models: ['claude-sonnet-4-20250514', 'claude-sonnet-4-0'], retiresOn: '2026-06-15', successor: 'claude-sonnet-4-6' },
  { prefix: 'anthropic', models: ['claude-opus-4-20250514', 'claude-opus-4-0'], retiresOn: '2026-06-15', successor: 'claude-opus-4-6' },
  { prefix: 'anthropic', models: ['claude-opus-4-1-20250805', 'claude-opus-4-1'], retiresOn: '2026-08-05', successor: 'claude-opus-4-6' },
  { prefix: 'anthropic', models: ['claude-sonnet-4-5', 'claude-sonnet-4-5-20250929'], retiresOn: '2026-11-30', successor: 'claude-sonnet-4-6' },
  // Deprecated 2026-11-23; the retirement day is Anthropic's tentative one.
  { prefix: 'anthropic', models: ['claude-opus-4-5-20251101', 'claude-opus-4-5'], retiresOn: '2027-01-22', successor: 'claude-opus-4-6' },
  // OpenRouter forwards to Anthropic: what Anthropic retired, OpenRouter cannot serve from there.
  { prefix: 'openrouter', models: ['anthropic/claude-3.5-sonnet', 'anthropic/claude-3-opus', 'anthropic/claude-3.7-sonnet', 'anthropic/claude-3.5-haiku'], retiresOn: null, successor: 'anthropic/claude-sonnet-4.6' },
  { prefix: 'openrouter', models: ['anthropic/claude-sonnet-4.5'], retiresOn: null, successor: 'anthropic/claude-sonnet-4.6' },
  // AWS sets Bedrock's own dates (its live list says LEGACY and when); until then: deprecated, no date.
  { prefix: 'bedrock', models: ['anthropic.claude-3-7-sonnet-20250219-v1:0', 'anthropic.claude-3-5-sonnet-20240620-v1:0', 'anthropic.claude-3-5-sonnet-20241022-v2:0'], retiresOn: null, successor: 'anthropic.claude-sonnet-4-6' },
  { prefix: 'bedrock', models: ['anthropic.claude-sonnet-4-5-20250929-v1:0'], retiresOn: null, successor: 'anthropic.claude-sonnet-4-6' },
];

/** What is known of a model's lifecycle; absent fields are not known. */
export interface LifecycleMark {
  lifecycle: ModelLifecycle;
  /** The day (YYYY-MM-DD, UTC) it stops or stopped answering, when known. */
  retiresOn?: string;
  /** The full Atelier id to use instead (`anthropic/claude-sonnet-4-6`), when known. */
  successor?: string;
}

/** The row for a model, and the geography prefix of a Bedrock profile id (`eu.`) to give its successor. */
function findDeprecation(prefix: string, modelId: string): { row: KnownDeprecation; geography: string } | null {
  let bare = modelId;
  let geography = '';
  if (prefix === 'bedrock' && hasProfilePrefix(modelId)) {
    geography = modelId.slice(0, modelId.indexOf('.') + 1);
    bare = modelId.slice(geography.length);
  }
  const row = KNOWN_DEPRECATIONS.find((entry) => entry.prefix === prefix && entry.models.includes(bare));
  return row ? { row, geography } : null;
}

/** The start of a YYYY-MM-DD day in UTC, in ms. */
function dayStart(day: string): number {
  return Date.parse(`${day}T00:00:00Z`);
}

/**
 * What Atelier's table says of `prefix/modelId` at `now`: retired from its `retiresOn` day on,
 * deprecated before it (or when no day was announced), null when the table does not name it.
 */
export function knownLifecycle(prefix: string, modelId: string, now: Date = new Date()): LifecycleMark | null {
  const found = findDeprecation(prefix, modelId);
  if (!found) return null;
  const { row, geography } = found;
  const retired = row.retiresOn !== null && now.getTime() >= dayStart(row.retiresOn);
  return { lifecycle: retired ? 'retired' : 'deprecated', ...(row.retiresOn && { retiresOn: row.retiresOn }), successor: `${prefix}/${geography}${row.successor}` };
}

/**
 * Whether a chat with `prefix/modelId` must fail before sending (`model_not_found`): the provider
 * retired it on `retiredOn`. For the router: `retiredModel(ref.prefix, ref.model, new Date())`.
 */
export function retiredModel(prefix: string, modelId: string, now: Date = new Date()): { successor?: string; retiredOn: string } | null {
  const mark = knownLifecycle(prefix, modelId, now);
  if (mark?.lifecycle !== 'retired' || mark.retiresOn === undefined) return null;
  return { retiredOn: mark.retiresOn, ...(mark.successor && { successor: mark.successor }) };
}

/** The router's error for a retired model: names the day and the successor. */
export function retiredModelError(modelId: string, retired: { successor?: string; retiredOn: string }): { code: 'model_not_found'; message: string; hint: string } {
  return {
    code: 'model_not_found',
    message: `${modelId} was retired by its provider on ${retired.retiredOn} and no longer answers. Nothing was sent.`,
    hint: retired.successor ? `Use ${retired.successor} instead (atelier chat -m ${retired.successor}).` : 'Choose a current model: atelier models lists them.',
  };
}

/** A mark in words for listings: "deprecated: retires on 2027-03-01; use …". */
export function describeLifecycle(mark: Pick<LifecycleMark, 'lifecycle' | 'retiresOn' | 'successor'>): string {
  const when = mark.retiresOn ? (mark.lifecycle === 'retired' ? ` on ${mark.retiresOn}` : `, retires on ${mark.retiresOn}`) : '';
  return `${mark.lifecycle}${when}${mark.successor ? `; use ${mark.successor}` : ''}`;
}
