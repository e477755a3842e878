import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bedrockCatalogue } from '../../electron/core/models/bedrock-catalogue';
import { PriceTableSchema, priceFor, type PriceTable } from '../../electron/core/usage/prices';

const ROOT = join(import.meta.dirname, '..', '..');
const TABLE_PATH = join(ROOT, 'electron', 'core', 'usage', 'price-table.json');
const SCRIPT = join(ROOT, 'scripts', 'check-prices.mjs');
const FIXTURES = join(ROOT, 'test', 'fixtures', 'prices');
const FIXTURE_TABLE = `--table=${join(FIXTURES, 'table.json')}`;

/** The shipped file as it is on disk, not the import prices.ts casts to the type. */
const shipped = JSON.parse(readFileSync(TABLE_PATH, 'utf8')) as unknown;

function bedrock(modelId: string, region: string) {
  return priceFor({ provider: 'bedrock', region, modelId });
}

describe('the shipped price table', () => {
  it('parses with PriceTableSchema', () => {
    const result = PriceTableSchema.safeParse(shipped);
    expect(result.error?.issues ?? []).toEqual([]);
  });

  it('says when it was checked, and against which sources', () => {
    const table = PriceTableSchema.parse(shipped);
    expect(Object.keys(table.sources)).toEqual(expect.arrayContaining(['anthropic', 'openai', 'openrouter', 'bedrock']));
    for (const source of Object.values(table.sources)) expect(source.checked <= table.version).toBe(true);
  });

  it('prices an eu. Bedrock profile at the regional rate, 10 % above the global. profile of the same model', () => {
    const eu = bedrock('eu.anthropic.claude-sonnet-4-5-20250929-v1:0', 'eu-central-1');
    const global = bedrock('global.anthropic.claude-sonnet-4-5-20250929-v1:0', 'eu-central-1');
    expect(eu).toEqual({ input: 3.3, output: 16.5, cacheRead: 0.33, cacheWrite: 4.125 });
    expect(global).toEqual({ input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 });
    // An inference profile ARN ends in the profile id.
    expect(bedrock('arn:aws:bedrock:eu-central-1:123456789012:inference-profile/eu.anthropic.claude-haiku-4-5-20251001-v1:0', 'eu-central-1')).toEqual({
      input: 1.1,
      output: 5.5,
      cacheRead: 0.11,
      cacheWrite: 1.375,
    });
  });

  it('keeps the 10 % between regional and global for every Claude model that has both (4.5 and newer)', () => {
    const table = PriceTableSchema.parse(shipped);
    const split = Object.entries(table.providers.bedrock.models).filter(([id, prices]) => /claude-(sonnet|haiku|opus)-4-[5-9]/.test(id) && prices.global);
    expect(split.length).toBeGreaterThanOrEqual(4);
    for (const [id, prices] of split) {
      const global = prices.global!;
      const regional = prices.regional?.['*'];
      expect(regional, id).toBeDefined();
      for (const field of ['input', 'output', 'cacheRead', 'cacheWrite'] as const) {
        expect(regional![field], `${id} ${field}`).toBeCloseTo((global[field] ?? Number.NaN) * 1.1, 6);
      }
    }
  });

  it('prices Bedrock models whose rate depends on the source region per region, and no region it does not know', () => {
    expect(bedrock('eu.meta.llama3-2-3b-instruct-v1:0', 'eu-central-1')).toEqual({ input: 0.19, output: 0.19 });
    expect(bedrock('eu.meta.llama3-2-3b-instruct-v1:0', 'eu-west-3')).toEqual({ input: 0.2, output: 0.2 });
    expect(bedrock('us.meta.llama3-2-3b-instruct-v1:0', 'us-east-1')).toEqual({ input: 0.15, output: 0.15 });
    // Not checked for Ireland: unknown (never 0) rather than another region's rate.
    expect(bedrock('eu.meta.llama3-2-3b-instruct-v1:0', 'eu-west-1')).toBeNull();
    expect(bedrock('eu.amazon.nova-pro-v1:0', 'eu-central-1')).toEqual({ input: 1.05, output: 4.2 });
    expect(bedrock('amazon.nova-pro-v1:0', 'us-east-1')).toEqual({ input: 0.8, output: 3.2 });
  });

  it('finds a dated Anthropic or OpenAI id under its undated name, unless the dated snapshot has its own price', () => {
    expect(priceFor({ provider: 'anthropic', region: null, modelId: 'claude-sonnet-4-5-20250929' })).toEqual({ input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 });
    expect(priceFor({ provider: 'anthropic', region: null, modelId: 'claude-3-haiku-20240307' })).toEqual({ input: 0.25, output: 1.25, cacheRead: 0.03, cacheWrite: 0.3 });
    expect(priceFor({ provider: 'openai', region: null, modelId: 'gpt-4o-2024-08-06' })).toEqual({ input: 2.5, output: 10, cacheRead: 1.25 });
    expect(priceFor({ provider: 'openai', region: null, modelId: 'gpt-4o-2024-05-13' })).toEqual({ input: 5, output: 15 });
    expect(priceFor({ provider: 'openrouter', region: null, modelId: 'anthropic/claude-sonnet-4.5' })).toEqual({ input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 });
  });

  it('knows no price for a model it does not list', () => {
    expect(priceFor({ provider: 'anthropic', region: null, modelId: 'claude-imaginary-9' })).toBeNull();
    expect(priceFor({ provider: 'openai', region: null, modelId: 'gpt-imaginary' })).toBeNull();
    expect(priceFor({ provider: 'openrouter', region: null, modelId: 'someone/imaginary-model' })).toBeNull();
    expect(bedrock('eu.anthropic.claude-imaginary-v1:0', 'eu-central-1')).toBeNull();
  });

  it("prices every Bedrock model of Atelier's catalogue in eu-central-1 or us-east-1, except those whose price could not be checked", () => {
    // Mistral Large (24.02): the sources disagree on its price (README, Prices).
    const unchecked = new Set(['mistral.mistral-large-2402-v1:0']);
    const missing = bedrockCatalogue
      .filter((model) => !unchecked.has(model.id))
      .filter((model) => {
        const eu = model.profiles.includes('eu') ? bedrock(`eu.${model.id}`, 'eu-central-1') : null;
        const us = model.profiles.includes('us') ? bedrock(`us.${model.id}`, 'us-east-1') : null;
        return eu === null && us === null;
      })
      .map((model) => model.id);
    expect(missing).toEqual([]);
  });
});

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function checkPrices(...args: string[]): Run {
  const result = spawnSync(process.execPath, [SCRIPT, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function fixture(name: string): string {
  return join(FIXTURES, name);
}

/** One line saying what to do, and no stack trace. */
function expectOneLineMessage(run: Run, pattern: RegExp): void {
  const lines = run.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(run.stderr + run.stdout).not.toMatch(/^\s+at /m);
}

describe('npm run check-prices', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'atelier-prices-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('exits 0 when a LiteLLM list agrees (dated ids, float noise and entries we lack included)', () => {
    const run = checkPrices(FIXTURE_TABLE, fixture('litellm-agrees.json'));
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('9 prices, all valid');
    expect(run.stdout).toContain('9 agree, 0 differ, 0 not in the list.');
    expect(run.stdout).toContain('Everything that could be compared agrees.');
  });

  it('exits 1 when a price differs, naming the model and both prices', () => {
    const run = checkPrices(FIXTURE_TABLE, fixture('litellm-changed.json'));
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/openai gpt-4o-mini: DIFFERS\n\s+input: ours 0\.15, theirs 0\.2\n/);
    expect(run.stdout).toContain('8 agree, 1 differ');
  });

  it('reads a file that starts with a byte-order mark', () => {
    const bytes = readFileSync(fixture('litellm-bom.json'));
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const run = checkPrices(FIXTURE_TABLE, fixture('litellm-bom.json'));
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('9 agree, 0 differ, 0 not in the list.');
  });

  it("checks only our openrouter entries against OpenRouter's models list, and lists ours it lacks", () => {
    const run = checkPrices(FIXTURE_TABLE, fixture('openrouter.json'));
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('(OpenRouter /api/v1/models)');
    expect(run.stdout).toContain('openrouter openai/gpt-4o-mini: not in the list');
    expect(run.stdout).toContain('1 agree, 0 differ, 1 not in the list, 7 not checked');
  });

  it('exits 1 when an OpenRouter price differs', () => {
    const list = JSON.parse(readFileSync(fixture('openrouter.json'), 'utf8')) as { data: { id: string; pricing: Record<string, string> }[] };
    list.data[0]!.pricing.input_cache_write = '0.000006';
    const path = join(scratch, 'openrouter-changed.json');
    writeFileSync(path, JSON.stringify(list));
    const run = checkPrices(FIXTURE_TABLE, path);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/openrouter anthropic\/claude-sonnet-4\.5: DIFFERS\n\s+cacheWrite: ours 3\.75, theirs 6\n/);
  });

  it('exits 2 with one line saying what to do for a file that is not JSON', () => {
    const run = checkPrices(FIXTURE_TABLE, fixture('not-json.json'));
    expect(run.status).toBe(2);
    expectOneLineMessage(run, /not-json\.json is not JSON .*save it as JSON/);
  });

  it('exits 2 for JSON of an unknown format, a missing file, or no file at all', () => {
    const unknown = checkPrices(FIXTURE_TABLE, fixture('unknown-format.json'));
    expect(unknown.status).toBe(2);
    expectOneLineMessage(unknown, /unknown-format\.json is neither LiteLLM's .* nor OpenRouter's models list/);

    const missing = checkPrices(FIXTURE_TABLE, join(scratch, 'nowhere.json'));
    expect(missing.status).toBe(2);
    expectOneLineMessage(missing, /nowhere\.json does not exist/);

    const none = checkPrices();
    expect(none.status).toBe(2);
    expectOneLineMessage(none, /usage: npm run check-prices -- <price list>/);
  });

  it('says when our own table has a price that is not a non-negative number, and exits 1', () => {
    const run = checkPrices(`--table=${fixture('table-negative.json')}`, fixture('litellm-agrees.json'));
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('openai gpt-4o-mini: "output" is -0.6, not a non-negative number');
  });

  it('validates the shipped table and finds every entry of it in a list written the way LiteLLM names them', () => {
    const table = PriceTableSchema.parse(shipped) as PriceTable;
    const perToken = (price: { input: number; output: number; cacheRead?: number | undefined; cacheWrite?: number | undefined }) => ({
      litellm_provider: 'test',
      input_cost_per_token: price.input / 1e6,
      output_cost_per_token: price.output / 1e6,
      ...(price.cacheRead !== undefined && { cache_read_input_token_cost: price.cacheRead / 1e6 }),
      ...(price.cacheWrite !== undefined && { cache_creation_input_token_cost: price.cacheWrite / 1e6 }),
    });
    const list: Record<string, unknown> = {};
    for (const provider of ['anthropic', 'openai'] as const) {
      for (const [id, price] of Object.entries(table.providers[provider].models)) list[id] = { ...perToken(price), litellm_provider: provider };
    }
    for (const [id, price] of Object.entries(table.providers.openrouter.models)) list[`openrouter/${id}`] = perToken(price);
    for (const [id, prices] of Object.entries(table.providers.bedrock.models)) {
      if (prices.global) list[`global.${id}`] = perToken(prices.global);
      for (const [region, price] of Object.entries(prices.regional ?? {})) list[region === '*' ? `eu.${id}` : `bedrock/${region}/${id}`] = perToken(price);
    }
    const path = join(scratch, 'litellm-from-shipped.json');
    writeFileSync(path, JSON.stringify(list));

    const run = checkPrices(path);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/price-table\.json: \d+ prices, all valid/);
    expect(run.stdout).toMatch(/\d+ agree, 0 differ, 0 not in the list\./);
  });
});
