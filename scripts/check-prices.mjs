#!/usr/bin/env node
// Compares Atelier's price table (electron/core/usage/price-table.json) with a newer copy of a
// public price list and says, per model, what differs. Plain Node, no dependencies.
//
//   npm run check-prices -- <file> [<file>…]
//   node scripts/check-prices.mjs [--table=<price-table.json>] <file> [<file>…]
//
// A file is either LiteLLM's model_prices_and_context_window.json (prices per token, every
// provider) or OpenRouter's GET /api/v1/models response (prices per token as strings; only our
// `openrouter` entries are checked against it); the format is detected from the content.
//
// Exit status: 0 when every price that could be compared agrees (within 0.5 %) and our table is
// valid; 1 when a price differs or our table has an invalid price; 2 for bad input (a file that
// is missing, not JSON or of an unknown format), with a one-line message saying what to do.

import { readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DEFAULT_TABLE = join(ROOT, 'electron', 'core', 'usage', 'price-table.json');
const UNIT = 'USD per million tokens';
/** Two prices agree when they differ by at most this share of the larger one. */
const TOLERANCE = 0.005;
const FIELDS = ['input', 'output', 'cacheRead', 'cacheWrite'];
const USAGE = 'usage: npm run check-prices -- <price list> [<price list>…]   (LiteLLM model_prices_and_context_window.json or OpenRouter /api/v1/models JSON)';

/** Bad input: reported as one line, exit 2. */
class InputError extends Error {}

// ---------------------------------------------------------------------------------------------
// Reading files

/** The text of a JSON file: UTF-8 (a byte-order mark is dropped) or UTF-16 with its mark. */
function readText(path, what) {
  let stat;
  try {
    stat = statSync(path);
  } catch (error) {
    if (error.code === 'ENOENT') throw new InputError(`${what} ${path} does not exist: check the path${what === 'price list' ? ' (download the list first, see README "Prices")' : ''}.`);
    throw new InputError(`${what} ${path} cannot be read (${error.code ?? error.message}): check the path and its permissions.`);
  }
  if (stat.isDirectory()) throw new InputError(`${what} ${path} is a folder: name the JSON file inside it.`);
  let bytes;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new InputError(`${what} ${path} cannot be read (${error.code ?? error.message}): check the path and its permissions.`);
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString('utf16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return Buffer.from(bytes.subarray(2)).swap16().toString('utf16le');
  const text = bytes.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function readJson(path, what, hint) {
  const text = readText(path, what);
  if (text.trim() === '') throw new InputError(`${what} ${path} is empty: ${hint}`);
  try {
    return JSON.parse(text);
  } catch (error) {
    const detail = String(error instanceof Error ? error.message : error).replace(/\s+/g, ' ').slice(0, 100);
    throw new InputError(`${what} ${path} is not JSON (${detail}): ${hint}`);
  }
}

const LIST_HINT = "download it again and save it as JSON: LiteLLM's model_prices_and_context_window.json or OpenRouter's /api/v1/models response.";
const TABLE_HINT = 'restore it from git (git checkout -- electron/core/usage/price-table.json) or fix the JSON.';

// ---------------------------------------------------------------------------------------------
// Our table

function isObject(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every price of our table as { label, provider, model, variant, price }, and what is wrong with it. */
function flattenOurs(table) {
  const problems = [];
  const entries = [];
  if (!isObject(table)) return { entries, problems: ['the table is not a JSON object'] };
  if (table.unit !== UNIT) problems.push(`"unit" is ${JSON.stringify(table.unit)}, not "${UNIT}"`);
  if (typeof table.version !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(table.version)) problems.push('"version" is not a date such as 2026-12-01');
  const providers = isObject(table.providers) ? table.providers : {};
  if (!isObject(table.providers)) problems.push('"providers" is missing');

  const checkPrice = (label, price) => {
    if (!isObject(price)) {
      problems.push(`${label}: not an object with "input" and "output"`);
      return false;
    }
    let ok = true;
    for (const key of Object.keys(price)) {
      if (!FIELDS.includes(key)) {
        problems.push(`${label}: unknown field "${key}" (allowed: ${FIELDS.join(', ')})`);
        ok = false;
      }
    }
    for (const field of FIELDS) {
      const value = price[field];
      if (value === undefined) {
        if (field === 'input' || field === 'output') {
          problems.push(`${label}: "${field}" is missing`);
          ok = false;
        }
      } else if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
        problems.push(`${label}: "${field}" is ${JSON.stringify(value)}, not a non-negative number`);
        ok = false;
      }
    }
    return ok;
  };

  for (const provider of ['anthropic', 'openai', 'openrouter']) {
    const models = providers[provider]?.models;
    if (!isObject(models)) {
      problems.push(`providers.${provider}.models is missing`);
      continue;
    }
    for (const [model, price] of Object.entries(models)) {
      const label = `${provider} ${model}`;
      if (checkPrice(label, price)) entries.push({ label, provider, model, variant: null, price });
    }
  }
  const bedrock = providers.bedrock?.models;
  if (!isObject(bedrock)) problems.push('providers.bedrock.models is missing');
  else {
    for (const [model, prices] of Object.entries(bedrock)) {
      if (!isObject(prices)) {
        problems.push(`bedrock ${model}: not an object with "global" and/or "regional"`);
        continue;
      }
      for (const key of Object.keys(prices)) {
        if (key !== 'global' && key !== 'regional') problems.push(`bedrock ${model}: unknown field "${key}" (allowed: global, regional)`);
      }
      if (prices.global !== undefined) {
        const label = `bedrock ${model} global`;
        if (checkPrice(label, prices.global)) entries.push({ label, provider: 'bedrock', model, variant: 'global', price: prices.global });
      }
      if (prices.regional !== undefined) {
        if (!isObject(prices.regional)) problems.push(`bedrock ${model}: "regional" is not an object of regions`);
        else {
          for (const [region, price] of Object.entries(prices.regional)) {
            const label = `bedrock ${model} ${region === '*' ? 'regional *' : region}`;
            if (checkPrice(label, price)) entries.push({ label, provider: 'bedrock', model, variant: region, price });
          }
        }
      }
      if (prices.global === undefined && prices.regional === undefined) problems.push(`bedrock ${model}: neither "global" nor "regional" has a price`);
    }
  }
  return { entries, problems };
}

// ---------------------------------------------------------------------------------------------
// Their lists

/** LiteLLM or OpenRouter, from the content; null when neither. */
function detectFormat(json) {
  if (isObject(json) && Array.isArray(json.data) && json.data.some((item) => isObject(item) && typeof item.id === 'string' && isObject(item.pricing))) {
    return 'openrouter';
  }
  if (isObject(json) && Object.values(json).some((entry) => isObject(entry) && ('litellm_provider' in entry || 'input_cost_per_token' in entry))) {
    return 'litellm';
  }
  return null;
}

/** A per-token price as given (number or numeric string) in USD per million tokens; null if absent or not a price. */
function perMillion(value) {
  if (value === undefined || value === null || value === '') return null;
  const number = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
  if (!Number.isFinite(number) || number < 0) return null;
  return number * 1_000_000;
}

function litellmPrice(entry) {
  if (!isObject(entry)) return null;
  const input = perMillion(entry.input_cost_per_token);
  const output = perMillion(entry.output_cost_per_token);
  if (input === null && output === null) return null;
  return { input, output, cacheRead: perMillion(entry.cache_read_input_token_cost), cacheWrite: perMillion(entry.cache_creation_input_token_cost) };
}

function openrouterPrice(pricing) {
  if (!isObject(pricing)) return null;
  const input = perMillion(pricing.prompt);
  const output = perMillion(pricing.completion);
  if (input === null && output === null) return null;
  return { input, output, cacheRead: perMillion(pricing.input_cache_read), cacheWrite: perMillion(pricing.input_cache_write) };
}

const DATE_SUFFIX = /-(\d{8}|\d{4}-\d{2}-\d{2})$/;

/** Our Bedrock region to the geography prefix of its inference profiles. */
function geographyOf(region) {
  if (region.startsWith('us-gov-')) return 'us-gov';
  if (region.startsWith('us-')) return 'us';
  if (region.startsWith('eu-')) return 'eu';
  if (region === 'ap-northeast-1') return 'jp';
  if (region === 'ap-southeast-2' || region === 'ap-southeast-4') return 'au';
  if (region.startsWith('ap-')) return 'apac';
  if (region.startsWith('ca-')) return 'ca';
  return null;
}

/** The keys of a LiteLLM list that may hold our entry's price, best first. */
function litellmCandidates(entry, list) {
  const { provider, model, variant } = entry;
  switch (provider) {
    case 'anthropic':
    case 'openai': {
      const exact = [model, `${provider}/${model}`];
      // A dated id of theirs (claude-sonnet-4-20250514, gpt-4o-2024-08-06) for our undated one, newest first.
      const dated = list.dated.get(`${provider}\u0000${model}`) ?? [];
      return [...exact, ...dated];
    }
    case 'openrouter':
      return [`openrouter/${model}`];
    case 'bedrock': {
      if (variant === 'global') return [`global.${model}`, `bedrock/global.${model}`];
      if (variant === '*') return [`eu.${model}`, `us.${model}`, `apac.${model}`, model, `bedrock/${model}`];
      const keys = [`bedrock/${variant}/${model}`];
      // LiteLLM's bare Bedrock ids carry the US price (us-east-1, us-west-2).
      if (variant === 'us-east-1' || variant === 'us-west-2') keys.push(model, `bedrock/${model}`);
      return keys;
    }
    default:
      return [];
  }
}

function indexLitellm(json) {
  const dated = new Map();
  for (const [key, entry] of Object.entries(json)) {
    if (!isObject(entry)) continue;
    const provider = entry.litellm_provider;
    if (provider !== 'anthropic' && provider !== 'openai') continue;
    const bare = key.startsWith(`${provider}/`) ? key.slice(provider.length + 1) : key;
    if (!DATE_SUFFIX.test(bare)) continue;
    const undated = `${provider}\u0000${bare.replace(DATE_SUFFIX, '')}`;
    if (!dated.has(undated)) dated.set(undated, []);
    dated.get(undated).push(key);
  }
  for (const keys of dated.values()) keys.sort((a, b) => (a < b ? 1 : a > b ? -1 : 0));
  return { json, dated };
}

/**
 * Their price for our entry: { key, price, profileOnly } (price null when their entry has no token
 * price), or null when they lack it. `profileOnly`: the list has no price for our Bedrock region
 * itself, only its geography's profile (`eu.…`), which does not say which source region it is for.
 */
function findLitellm(entry, list) {
  let withoutPrice = null;
  const candidates = litellmCandidates(entry, list).map((key) => ({ key, profileOnly: false }));
  const geography = entry.provider === 'bedrock' && entry.variant !== 'global' && entry.variant !== '*' ? geographyOf(entry.variant) : null;
  if (geography) candidates.push({ key: `${geography}.${entry.model}`, profileOnly: true });
  for (const { key, profileOnly } of candidates) {
    if (!Object.hasOwn(list.json, key)) continue;
    const price = litellmPrice(list.json[key]);
    if (price) return { key, price, profileOnly };
    withoutPrice ??= { key, price: null, profileOnly };
  }
  return withoutPrice;
}

function findOpenrouter(entry, models) {
  if (entry.provider !== 'openrouter') return undefined;
  if (!models.has(entry.model)) return null;
  return { key: entry.model, price: openrouterPrice(models.get(entry.model).pricing), profileOnly: false };
}

// ---------------------------------------------------------------------------------------------
// Comparing

function agree(ours, theirs) {
  if (ours === theirs) return true;
  return Math.abs(ours - theirs) <= TOLERANCE * Math.max(Math.abs(ours), Math.abs(theirs));
}

/** A price for people: USD per million tokens, no float noise (0.09999999999999999 → 0.1). */
function usd(value) {
  return String(Number(value.toPrecision(6)));
}

function compare(entry, found) {
  const differences = [];
  const notes = [];
  for (const field of FIELDS) {
    const ours = entry.price[field];
    const theirs = found.price[field];
    if (ours !== undefined && theirs !== null) {
      if (!agree(ours, theirs)) differences.push(`${field}: ours ${usd(ours)}, theirs ${usd(theirs)}`);
    } else if (ours !== undefined && theirs === null) {
      if (field === 'input' || field === 'output') notes.push(`${field}: ours ${usd(ours)}, theirs has none`);
    } else if (ours === undefined && theirs !== null) {
      notes.push(`${field}: theirs ${usd(theirs)}, ours has none (Atelier bills those tokens at the input price)`);
    }
  }
  return { differences, notes };
}

function checkFile(path, ours, out) {
  const json = readJson(path, 'price list', LIST_HINT);
  const format = detectFormat(json);
  if (format === null) {
    throw new InputError(
      `${path} is neither LiteLLM's model_prices_and_context_window.json nor OpenRouter's models list: download one of them (see README "Prices") and pass that file.`,
    );
  }
  let find;
  if (format === 'litellm') {
    const list = indexLitellm(json);
    find = (entry) => findLitellm(entry, list);
  } else {
    const models = new Map(json.data.filter((item) => isObject(item) && typeof item.id === 'string').map((item) => [item.id, item]));
    find = (entry) => findOpenrouter(entry, models);
  }
  const formatName = format === 'litellm' ? 'LiteLLM model_prices_and_context_window.json' : 'OpenRouter /api/v1/models';

  out(`\n${path} (${formatName}), in ${UNIT}:`);
  let agreeing = 0;
  let differing = 0;
  let missing = 0;
  let unsure = 0;
  let skipped = 0;
  for (const entry of ours) {
    const found = find(entry);
    if (found === undefined) {
      skipped += 1;
      continue;
    }
    if (found === null) {
      missing += 1;
      out(`  ${entry.label}: not in the list`);
      continue;
    }
    const theirName = found.key === entry.model ? '' : ` (theirs: ${found.key})`;
    if (found.price === null) {
      missing += 1;
      out(`  ${entry.label}${theirName}: in the list without a token price, not compared`);
      continue;
    }
    const { differences, notes } = compare(entry, found);
    if (differences.length > 0 && found.profileOnly) {
      unsure += 1;
      out(`  ${entry.label}${theirName}: differs from their ${found.key.split('.')[0]}. profile price, and they list none for ${entry.variant} itself: check that region on the provider's page`);
      for (const line of differences) out(`      ${line}`);
    } else if (differences.length > 0) {
      differing += 1;
      out(`  ${entry.label}${theirName}: DIFFERS`);
      for (const line of differences) out(`      ${line}`);
    } else agreeing += 1;
    if (notes.length > 0) {
      out(`  ${entry.label}${theirName}: note`);
      for (const line of notes) out(`      ${line}`);
    }
  }
  const parts = [`${agreeing} agree`, `${differing} differ`, `${missing} not in the list`];
  if (unsure > 0) parts.push(`${unsure} only comparable with a geography-wide price (not counted as differing)`);
  if (skipped > 0) parts.push(`${skipped} not checked (this list has only OpenRouter's models)`);
  out(`  ${parts.join(', ')}.`);
  return differing > 0 ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------

function main(argv, out, err) {
  let tablePath = DEFAULT_TABLE;
  const files = [];
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') {
      out(USAGE);
      return 0;
    }
    if (arg.startsWith('--table=')) tablePath = arg.slice('--table='.length);
    else if (arg === '--table') {
      tablePath = argv[i + 1] ?? '';
      i += 1;
    } else if (arg.startsWith('--')) throw new InputError(`unknown option ${arg}. ${USAGE}`);
    else files.push(arg);
  }
  if (files.length === 0) throw new InputError(`name at least one price list. ${USAGE}`);
  if (tablePath === '') throw new InputError(`--table needs a path. ${USAGE}`);

  const shownTable = relative(process.cwd(), tablePath) || tablePath;
  const { entries, problems } = flattenOurs(readJson(tablePath, 'our price table', TABLE_HINT));
  let status = 0;
  if (problems.length > 0) {
    status = 1;
    err(`Our table ${shownTable} has ${problems.length} problem${problems.length === 1 ? '' : 's'}; fix ${problems.length === 1 ? 'it' : 'them'} in the JSON:`);
    for (const problem of problems) err(`  ${problem}`);
  } else {
    out(`Our table ${shownTable}: ${entries.length} prices, all valid (non-negative numbers in ${UNIT}).`);
  }

  let badInput = false;
  for (const file of files) {
    try {
      status = Math.max(status, checkFile(file, entries, out));
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      err(`check-prices: ${error.message}`);
      badInput = true;
    }
  }
  if (badInput) return 2;
  out(status === 0 ? '\nEverything that could be compared agrees.' : '\nSome prices differ or are invalid: check the sources named in the table, then edit it (and its "version" and "checked" dates).');
  return status;
}

try {
  process.exitCode = main(
    process.argv.slice(2),
    (line) => process.stdout.write(`${line}\n`),
    (line) => process.stderr.write(`${line}\n`),
  );
} catch (error) {
  if (error instanceof InputError) process.stderr.write(`check-prices: ${error.message}\n`);
  else process.stderr.write(`check-prices: unexpected error (${error instanceof Error ? error.message : String(error)}); please report it.\n`);
  process.exitCode = 2;
}
