import { describe, expect, it } from 'vitest';
import { describeIssues } from '../../shared/errors';
import { EndpointSchema, SettingsSchema, DEFAULT_SETTINGS } from '../../shared/settings';
import { maskUrlCredentials, urlCredentialProblem } from '../../shared/url-credentials';

const WITH_CREDENTIALS = [
  'http://teacherX:Hunter2pw@host.example/v1',
  'https://tokenTok3n@host.example/v1',
  'https://:Hunter2pw@host.example/v1',
  'HTTPS://TeacherX:Hunter2PW@host.example/v1',
  'http:teacherX:Hunter2pw@host.example/v1',
  'http:\\\\teacherX:Hunter2pw@host.example/v1',
  'https://host.example/v1?api_key=s3cretValue',
  'https://host.example/v1?x=1&key=s3cretValue',
  'https://host.example/v1?access_token=s3cretValue',
  'https://host.example/v1?subscription-key=s3cretValue',
  'https://host.example/api?code=s3cretValue',
  'https://host.example/v1?API%5FKEY=s3cretValue',
  // A fragment, a matrix parameter named like a key, a path segment or query value shaped like one.
  'http://host.example/v1#token=sk-proj-s3cretValue0123',
  'http://host.example/v1#s3cretValue',
  'http://host.example/v1#',
  'http://host.example/v1;api_key=s3cretValue',
  'http://host.example/v1;x=1;Access-Token=s3cretValue/chat',
  'http://host.example/sk-proj-s3cretValue0123/v1',
  'http://host.example/v1/AKIAS3CRETVALUE12345',
  'http://host.example/v1/sk-ant-s3cretValue0123%2F',
  'http://host.example/key/wJalrXUtnFEMIK7MDENGbPxRfiCYs3cretValue0123',
  'http://host.example/v1?model=x&q=sk-or-s3cretValue0123',
];

describe('credentials in an endpoint URL', () => {
  it.each(WITH_CREDENTIALS)('are refused by the endpoint schema: %s', (baseUrl) => {
    expect(urlCredentialProblem(baseUrl)).not.toBeNull();
    const parsed = EndpointSchema.safeParse({ prefix: 'school', name: 'School', baseUrl });
    expect(parsed.success).toBe(false);
    const message = parsed.success ? '' : describeIssues(parsed.error.issues);
    expect(message).toContain('atelier auth set endpoint:');
    for (const secret of ['teacherX', 'Hunter2', 's3cretValue', 'tokenTok3n']) expect(message.toLowerCase()).not.toContain(secret.toLowerCase());
  });

  it('are refused when a settings file holds them', () => {
    const file = { ...DEFAULT_SETTINGS, endpoints: [{ prefix: 'school', name: 'School', baseUrl: 'http://teacherX:Hunter2pw@host.example/v1' }] };
    expect(SettingsSchema.safeParse(file).success).toBe(false);
  });

  it.each([
    'https://llm.school.example/v1',
    'http://127.0.0.1:8000/v1',
    'https://x.openai.azure.com/openai?api-version=2024-10-21',
    'https://host.example/v1?model=a@b',
    'https://x.openai.azure.com/openai/deployments/gpt-4o-mini-2024-07-18/v1',
    'https://host.example/v1;version=2/chat',
    'https://task-skill.example/sk/v1',
  ])(
    'leave ordinary URLs alone: %s',
    (baseUrl) => {
      expect(urlCredentialProblem(baseUrl)).toBeNull();
      expect(EndpointSchema.safeParse({ prefix: 'school', name: 'School', baseUrl }).success).toBe(true);
      expect(maskUrlCredentials(baseUrl)).toBe(baseUrl);
    },
  );

  it('are masked in listings, host and path kept', () => {
    expect(maskUrlCredentials('http://teacherX:Hunter2pw@host.example/v1')).toBe('http://***@host.example/v1');
    expect(maskUrlCredentials('https://tokenTok3n@host.example:8443/v1')).toBe('https://***@host.example:8443/v1');
    expect(maskUrlCredentials('https://host.example/v1?x=1&api_key=s3cret#top')).toBe('https://host.example/v1?x=1&api_key=***#***');
    expect(maskUrlCredentials('http://host.example/sk-proj-s3cretValue0123/v1;api_key=s3cret;v=2?q=AKIAS3CRETVALUE12345&model=x')).toBe('http://host.example/***/v1;api_key=***;v=2?q=***&model=x');
    expect(maskUrlCredentials('http:\\\\teacherX:Hunter2pw@host.example/v1')).not.toContain('Hunter2');
    for (const url of WITH_CREDENTIALS) expect(maskUrlCredentials(url)).not.toMatch(/teacherX|Hunter2|s3cretValue|tokenTok3n/i);
  });
});
