import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../shared/settings';
import { effectivePolicy } from '../../electron/core/privacy/policy';
import { PolicyFileSchema, type ManagedPolicy } from '../../electron/core/privacy/policy-file';
import { keyInfoUrl, parseKeyInfo } from '../../electron/core/school/key-info';
import { withSchoolServer } from '../../electron/core/school/school-server';

const managed = (policy: unknown): ManagedPolicy => ({ state: 'valid', file: 'policy.json', policy: PolicyFileSchema.parse(policy) });

describe('the school’s server', () => {
  it('asks /key/info at the server’s root, beside /v1', () => {
    expect(keyInfoUrl('https://llm.school.example/v1')).toBe('https://llm.school.example/key/info');
    expect(keyInfoUrl('https://llm.school.example/v1/')).toBe('https://llm.school.example/key/info');
    expect(keyInfoUrl('http://10.0.0.5:4000')).toBe('http://10.0.0.5:4000/key/info');
    expect(keyInfoUrl('https://school.example/litellm/v1')).toBe('https://school.example/litellm/key/info');
  });

  it('reads LiteLLM’s key information, its times without a zone as UTC, and nothing else as such', () => {
    expect(parseKeyInfo({ key: 'hash', info: { spend: 3, max_budget: 2, budget_reset_at: '2026-10-01T00:00:00', key_name: 'sk-...2345', rpm_limit: 20 } })).toMatchObject({
      name: 'sk-...2345',
      spentUsd: 3,
      remainingUsd: 0,
      budgetResetAt: '2026-10-01T00:00:00.000Z',
      rpmLimit: 20,
      tpmLimit: null,
    });
    expect(parseKeyInfo({ object: 'list', data: [] })).toBeNull();
    expect(parseKeyInfo({ info: { spend: '3' } })).toBeNull();
  });

  it('is among the endpoints in force, in place of a user’s endpoint with its prefix, its residency non-eu unless declared', () => {
    const settings = { ...DEFAULT_SETTINGS, endpoints: [{ prefix: 'school', name: 'Mine', baseUrl: 'http://127.0.0.1:9/v1' }, { prefix: 'lab', name: 'Lab', baseUrl: 'http://lab/v1' }] };
    const policy = managed({ schoolServer: { url: 'https://llm.school.example/v1' } });
    expect(withSchoolServer(settings, policy).endpoints).toEqual([
      { prefix: 'school', name: 'School server', baseUrl: 'https://llm.school.example/v1' },
      { prefix: 'lab', name: 'Lab', baseUrl: 'http://lab/v1' },
    ]);
    expect(withSchoolServer(settings, { state: 'none' })).toBe(settings);
    expect(effectivePolicy(settings, policy)).toMatchObject({ schoolServer: 'school', endpointResidency: { school: 'non-eu' }, endpointHosts: { school: 'llm.school.example' } });
    expect(effectivePolicy(settings, managed({ schoolServer: { url: 'https://llm.school.example/v1', prefix: 'klasse', residency: 'eu' } }))).toMatchObject({ schoolServer: 'klasse', endpointResidency: { klasse: 'eu' } });
  });

  it('is declared once: not again in endpoints, and never with a key in its address', () => {
    expect(PolicyFileSchema.safeParse({ schoolServer: { url: 'https://llm.school.example/v1' }, endpoints: { school: { residency: 'eu' } } }).success).toBe(false);
    expect(PolicyFileSchema.safeParse({ schoolServer: { url: 'https://llm.school.example/v1?api_key=sk-0123456789abcdef' } }).success).toBe(false);
    expect(PolicyFileSchema.safeParse({ schoolServer: { url: 'https://llm.school.example/v1', prefix: 'openai' } }).success).toBe(false);
  });
});
