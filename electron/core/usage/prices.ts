import * as z from 'zod';
import { PriceSchema, type Price } from '../../../shared/usage';
import table from './price-table.json';

export type { Price };

const ModelPricesSchema = z.record(z.string().min(1), PriceSchema);

/** Bedrock bills a model per region and per the inference profile's geography. */
const BedrockPricesSchema = z.strictObject({
  /** `global.` profiles: one rate wherever the request lands. */
  global: PriceSchema.optional(),
  /**
   * In-region calls and geographic profiles (`eu.`, `us.`, `apac.`, …) bill at the source
   * region's rate; `*` is the rate for every region not listed.
   */
  regional: z.record(z.string().min(1), PriceSchema).optional(),
});

export const PriceTableSchema = z.strictObject({
  /** The date the table was last checked against the sources, YYYY-MM-DD. */
  version: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  unit: z.literal('USD per million tokens'),
  refresh: z.string(),
  sources: z.record(z.string(), z.strictObject({ url: z.url(), checked: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) })),
  providers: z.strictObject({
    anthropic: z.strictObject({ models: ModelPricesSchema }),
    openai: z.strictObject({ models: ModelPricesSchema }),
    openrouter: z.strictObject({ models: ModelPricesSchema }),
    bedrock: z.strictObject({ models: z.record(z.string().min(1), BedrockPricesSchema) }),
  }),
});
export type PriceTable = z.infer<typeof PriceTableSchema>;

/** The table shipped with this version of Atelier (checked by a unit test against its schema). */
export const PRICE_TABLE: PriceTable = table as PriceTable;

/** Where an answer came from, as far as its price depends on it. */
export interface PricedRoute {
  /** The model-id prefix: `local`, `bedrock`, a custom endpoint's prefix, … */
  provider: string;
  /** The AWS region for Bedrock (the profile's source region); null elsewhere. */
  region: string | null;
  /** The model id as sent to the provider (an inference profile id for Bedrock). */
  modelId: string;
}

/** What costs nothing: a model on this machine (or the school's Ollama server). */
export const FREE: Price = { input: 0, output: 0 };

/** Inference-profile geographies that prefix a Bedrock model id. */
const BEDROCK_GEOGRAPHIES = /^(global|eu|us|us-gov|apac|jp|au|ca)\./;

/**
 * The price of a model, or null when Atelier does not know it (an unknown model, a custom
 * endpoint nobody gave a price for). `endpointPrices` are the prices settings or the school's
 * policy give custom endpoints, by prefix.
 */
export function priceFor(route: PricedRoute, endpointPrices: Readonly<Record<string, Price>> = {}, priceTable: PriceTable = PRICE_TABLE): Price | null {
  const { provider, modelId } = route;
  if (provider === 'local') return FREE;
  if (Object.hasOwn(endpointPrices, provider)) return endpointPrices[provider] ?? null;
  switch (provider) {
    case 'anthropic':
    case 'openai':
    case 'openrouter':
      return lookup(priceTable.providers[provider].models, modelId);
    case 'bedrock':
      return bedrockPrice(priceTable, modelId, route.region);
    default:
      return null;
  }
}

/** The id as given, else without a release date (`claude-sonnet-4-5-20250929`, `gpt-4o-2024-08-06`). */
function lookup(models: Readonly<Record<string, Price>>, modelId: string): Price | null {
  for (const id of [modelId, modelId.replace(/-\d{8}$/, ''), modelId.replace(/-\d{4}-\d{2}-\d{2}$/, '')]) {
    if (Object.hasOwn(models, id)) return models[id] ?? null;
  }
  return null;
}

function bedrockPrice(priceTable: PriceTable, modelId: string, region: string | null): Price | null {
  // An inference profile ARN ends in the profile id.
  const id = modelId.startsWith('arn:') ? (modelId.split('/').pop() ?? modelId) : modelId;
  const geography = BEDROCK_GEOGRAPHIES.exec(id)?.[1] ?? null;
  const base = geography ? id.slice(geography.length + 1) : id;
  if (!Object.hasOwn(priceTable.providers.bedrock.models, base)) return null;
  const prices = priceTable.providers.bedrock.models[base];
  if (!prices) return null;
  if (geography === 'global') return prices.global ?? null;
  const regional = prices.regional ?? {};
  if (region && Object.hasOwn(regional, region)) return regional[region] ?? null;
  return regional['*'] ?? null;
}

/** Token counts an answer reports; cache counts where the provider reports them apart from input. */
export interface TokenCounts {
  inputTokens: number | null;
  outputTokens: number | null;
  cacheReadTokens?: number | undefined;
  cacheWriteTokens?: number | undefined;
}

/**
 * What an answer cost in US dollars, from its token counts and the price; null when either is
 * unknown. Never 0 for "unknown".
 */
export function costOf(tokens: TokenCounts, price: Price | null): number | null {
  if (price === null || tokens.inputTokens === null || tokens.outputTokens === null) return null;
  const cacheRead = tokens.cacheReadTokens ?? 0;
  const cacheWrite = tokens.cacheWriteTokens ?? 0;
  const usd =
    tokens.inputTokens * price.input +
    tokens.outputTokens * price.output +
    cacheRead * (price.cacheRead ?? price.input) +
    cacheWrite * (price.cacheWrite ?? price.input);
  return roundUsd(usd / 1_000_000);
}

/** Dollars to twelve significant digits: sums of many small answers do not show float noise (0.30000000000000004). */
export function roundUsd(usd: number): number {
  return Number(usd.toPrecision(12));
}
