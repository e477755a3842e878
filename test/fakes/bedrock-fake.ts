import type { ServerResponse } from 'node:http';
import { corruptedEventMessage, eventMessage, exceptionMessage } from './aws-event-stream';
import { LoopbackServer, resetConnection, sendJson, streamScenario, write } from './loopback-server';
import { fakeUsage } from './scenario';

export interface BedrockFakeOptions {
  /** The access key id the fake accepts; anything else is UnrecognizedClientException. */
  accessKeyId: string;
  /** Model ids (as sent, profiles included) that exist; others are ResourceNotFoundException. */
  models?: string[];
  /** Models that answer only through Converse, as gpt-oss does on Bedrock. */
  streamingUnsupported?: string[];
  /** Bedrock API keys (bearer tokens) the fake accepts besides SigV4. */
  apiKeys?: string[];
  /** Access key ids the fake accepts besides `accessKeyId` (profiles, assumed roles). */
  moreAccessKeyIds?: string[];
  /** Bare model ids Bedrock runs only through an inference profile (as for newer Claude models). */
  profileOnly?: RegExp;
  /**
   * What the control plane lists (GET /inference-profiles, GET /foundation-models); read at each
   * request, so a test can change it between calls. Default: `defaultBedrockFakeCatalogue('eu-central-1')`.
   */
  catalogue?: BedrockFakeCatalogue;
  /** An AWS error both listings answer with instead (a missing IAM permission, say). */
  listingError?: ReturnType<typeof awsError>;
  /** Inference profiles per page (nextToken after each full page); default 1000. */
  profilePageSize?: number;
}

/** ListInferenceProfiles' and ListFoundationModels' items, in AWS's wire shapes. */
export interface BedrockFakeCatalogue {
  inferenceProfileSummaries: {
    inferenceProfileId: string;
    inferenceProfileName: string;
    inferenceProfileArn: string;
    status: 'ACTIVE';
    type: 'SYSTEM_DEFINED' | 'APPLICATION';
    models: { modelArn: string }[];
    description?: string;
  }[];
  modelSummaries: {
    modelArn: string;
    modelId: string;
    modelName: string;
    providerName: string;
    inputModalities: string[];
    outputModalities: string[];
    responseStreamingSupported: boolean;
    customizationsSupported: string[];
    inferenceTypesSupported: ('ON_DEMAND' | 'INFERENCE_PROFILE' | 'PROVISIONED')[];
    /** Times as RFC 3339 strings: Bedrock's model marks its timestamps date-time (the SDK refuses numbers). */
    modelLifecycle: { status: 'ACTIVE' | 'LEGACY'; endOfLifeTime?: string; legacyTime?: string };
  }[];
}

/** A profile for `geography` in `region` over `baseId`, as AWS lists it (the ARNs name the geography's regions). */
export function fakeProfile(geography: string, region: string, baseId: string, name: string): BedrockFakeCatalogue['inferenceProfileSummaries'][number] {
  const regions = geography === 'eu' ? ['eu-central-1', 'eu-west-1', 'eu-west-3'] : geography === 'us' ? ['us-east-1', 'us-east-2', 'us-west-2'] : [region];
  return {
    inferenceProfileId: `${geography}.${baseId}`,
    inferenceProfileName: name,
    inferenceProfileArn: `arn:aws:bedrock:${region}:123456789012:inference-profile/${geography}.${baseId}`,
    status: 'ACTIVE',
    type: 'SYSTEM_DEFINED',
    models: regions.map((r) => ({ modelArn: `arn:aws:bedrock:${r}::foundation-model/${baseId}` })),
  };
}

/** A foundation model as ListFoundationModels describes it. */
export function fakeFoundationModel(
  region: string,
  modelId: string,
  modelName: string,
  extra: Partial<BedrockFakeCatalogue['modelSummaries'][number]> = {},
): BedrockFakeCatalogue['modelSummaries'][number] {
  return {
    modelArn: `arn:aws:bedrock:${region}::foundation-model/${modelId}`,
    modelId,
    modelName,
    providerName: modelId.startsWith('anthropic.') ? 'Anthropic' : modelId.startsWith('amazon.') ? 'Amazon' : 'Other',
    inputModalities: ['TEXT'],
    outputModalities: ['TEXT'],
    responseStreamingSupported: true,
    customizationsSupported: [],
    inferenceTypesSupported: ['INFERENCE_PROFILE'],
    modelLifecycle: { status: 'ACTIVE' },
    ...extra,
  };
}

/** A small, plausible listing for a region: Claude through profiles, Nova on demand, an embedding model. */
export function defaultBedrockFakeCatalogue(region: string): BedrockFakeCatalogue {
  return {
    inferenceProfileSummaries: [
      fakeProfile('eu', region, 'anthropic.claude-sonnet-4-6', 'EU Anthropic Claude Sonnet 4.6'),
      fakeProfile('eu', region, 'anthropic.claude-haiku-4-5-20251001-v1:0', 'EU Anthropic Claude Haiku 4.5'),
      fakeProfile('us', region, 'anthropic.claude-sonnet-4-6', 'US Anthropic Claude Sonnet 4.6'),
      fakeProfile('global', region, 'anthropic.claude-sonnet-4-6', 'Global Anthropic Claude Sonnet 4.6'),
    ],
    modelSummaries: [
      fakeFoundationModel(region, 'anthropic.claude-sonnet-4-6', 'Claude Sonnet 4.6', { inputModalities: ['TEXT', 'IMAGE'] }),
      fakeFoundationModel(region, 'anthropic.claude-haiku-4-5-20251001-v1:0', 'Claude Haiku 4.5', { inputModalities: ['TEXT', 'IMAGE'] }),
      fakeFoundationModel(region, 'amazon.nova-pro-v1:0', 'Nova Pro', { inferenceTypesSupported: ['ON_DEMAND', 'INFERENCE_PROFILE'] }),
      fakeFoundationModel(region, 'amazon.titan-embed-text-v2:0', 'Titan Text Embeddings V2', { outputModalities: ['EMBEDDING'], inferenceTypesSupported: ['ON_DEMAND'] }),
    ],
  };
}

/** An AWS JSON error: the status, x-amzn-ErrorType, and a `message` body, as Bedrock sends them. */
export function awsError(status: number, type: string, message: string) {
  return {
    kind: 'http-error' as const,
    status,
    body: { message },
    headers: { 'x-amzn-errortype': `${type}:http://internal.amazon.com/coral/com.amazon.bedrock/`, 'x-amzn-requestid': 'fake-request-id' },
  };
}

/**
 * Bedrock Runtime's ConverseStream as a loopback server, over HTTP/2 cleartext (the AWS SDK's
 * default for this client) and HTTP/1.1: SigV4 Authorization checked for the access key id,
 * region and service, or a Bedrock API key as a bearer token; answers as binary event-stream
 * messages, errors as AWS JSON errors. Also Bedrock's control-plane listings (REST-JSON, the
 * Bedrock client's default HTTP/1.1): GET /inference-profiles (paged by maxResults/nextToken,
 * filtered by `type`) and GET /foundation-models, with the same signature checks.
 */
export function createBedrockFake(options: BedrockFakeOptions): LoopbackServer {
  const fake: LoopbackServer = new LoopbackServer(async (request, response, body) => {
    const match = /^\/model\/([^/]+)\/(converse-stream|converse)$/.exec((request.url ?? '').split('?')[0] ?? '');
    const authorization = String(request.headers.authorization ?? '');
    const bearer = /^Bearer (.+)$/.exec(authorization)?.[1];
    if (bearer !== undefined && !options.apiKeys?.includes(bearer)) {
      const denied = awsError(403, 'UnrecognizedClientException', 'Authentication failed: Please make sure your API Key is valid.');
      sendJson(response, denied.status, denied.body, denied.headers);
      return;
    }
    const credential = /Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(authorization);
    if (bearer === undefined && (!credential || !/Signature=[0-9a-f]{64}/.test(authorization))) {
      const missing = awsError(403, 'MissingAuthenticationTokenException', 'Missing Authentication Token');
      sendJson(response, missing.status, missing.body, missing.headers);
      return;
    }
    const knownKey = credential && [options.accessKeyId, ...(options.moreAccessKeyIds ?? [])].includes(credential[1] ?? '');
    if (bearer === undefined && (!knownKey || credential?.[3] !== 'bedrock')) {
      const denied = awsError(403, 'UnrecognizedClientException', 'The security token included in the request is invalid.');
      sendJson(response, denied.status, denied.body, denied.headers);
      return;
    }
    const listPath = (request.url ?? '').split('?')[0];
    if (request.method === 'GET' && (listPath === '/inference-profiles' || listPath === '/foundation-models')) {
      if (options.listingError) {
        sendJson(response, options.listingError.status, options.listingError.body, options.listingError.headers);
        return;
      }
      const query = new URL(request.url ?? '', 'http://fake').searchParams;
      const catalogue = options.catalogue ?? defaultBedrockFakeCatalogue(credential?.[2] ?? 'eu-central-1');
      if (listPath === '/foundation-models') {
        sendJson(response, 200, { modelSummaries: catalogue.modelSummaries }, { 'x-amzn-requestid': 'fake-request-id' });
        return;
      }
      const typeEquals = query.get('type');
      const profiles = catalogue.inferenceProfileSummaries.filter((profile) => typeEquals === null || profile.type === typeEquals);
      const start = Number(query.get('nextToken') ?? '0');
      const size = Math.min(Number(query.get('maxResults') ?? '1000'), options.profilePageSize ?? 1000);
      const page = profiles.slice(start, start + size);
      const more = start + size < profiles.length;
      sendJson(response, 200, { inferenceProfileSummaries: page, ...(more && { nextToken: String(start + size) }) }, { 'x-amzn-requestid': 'fake-request-id' });
      return;
    }
    if (request.method !== 'POST' || !match) {
      const unknown = awsError(404, 'UnknownOperationException', 'Unknown operation');
      sendJson(response, unknown.status, unknown.body, unknown.headers);
      return;
    }
    const modelId = decodeURIComponent(match[1] ?? '');
    if (options.profileOnly?.test(modelId)) {
      const refused = awsError(
        400,
        'ValidationException',
        `Invocation of model ID ${modelId} with on-demand throughput isn’t supported. Retry your request with the ID or ARN of an inference profile that contains this model.`,
      );
      sendJson(response, refused.status, refused.body, refused.headers);
      return;
    }
    if (options.models && !options.models.includes(modelId)) {
      const invalid = awsError(400, 'ValidationException', 'The provided model identifier is invalid.');
      sendJson(response, invalid.status, invalid.body, invalid.headers);
      return;
    }
    const converse = JSON.parse(body) as { messages: { content: { text?: string }[] }[] };
    const prompt = converse.messages.flatMap((m) => m.content.map((c) => c.text ?? '')).join(' ');
    if (options.streamingUnsupported?.includes(modelId)) {
      if (match[2] === 'converse-stream') {
        const unsupported = awsError(400, 'ValidationException', 'The model is unsupported for streaming.');
        sendJson(response, unsupported.status, unsupported.body, unsupported.headers);
        return;
      }
      const chunks = ['Answered', ' all', ' at', ' once.'];
      const usage = fakeUsage(prompt, chunks);
      sendJson(response, 200, {
        output: { message: { role: 'assistant', content: [{ text: chunks.join('') }] } },
        stopReason: 'end_turn',
        usage: { inputTokens: usage.input, outputTokens: usage.output, totalTokens: usage.input + usage.output },
        metrics: { latencyMs: 42 },
      });
      return;
    }
    const scenario = fake.nextScenario();
    if (scenario.kind === 'http-error') {
      sendJson(response, scenario.status, scenario.body, scenario.headers);
      return;
    }
    if (scenario.kind === 'reset') {
      resetConnection(response);
      return;
    }

    (response as ServerResponse).writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream', 'x-amzn-requestid': 'fake-request-id' });
    write(response, eventMessage('messageStart', { p: 'abcd', role: 'assistant' }));
    const usage = fakeUsage(prompt, scenario.chunks);
    const cache = scenario.kind === 'answer' && scenario.cache ? { cacheReadInputTokens: scenario.cache.read, cacheWriteInputTokens: scenario.cache.write } : {};
    await streamScenario(response, scenario, {
      text: (text) => eventMessage('contentBlockDelta', { contentBlockIndex: 0, delta: { text }, p: 'abcdefgh' }),
      streamError: (error) => exceptionMessage((error as { type: string }).type, (error as { message: string }).message),
      malformed: () => corruptedEventMessage(eventMessage('contentBlockDelta', { contentBlockIndex: 0, delta: { text: 'x' }, p: 'abcdefgh' })),
      // As ConverseStream sends them: a toolUse block each, its input's JSON in two pieces.
      toolCalls: (calls) =>
        calls.flatMap((call, number) => {
          const contentBlockIndex = number + 1;
          const json = JSON.stringify(call.args);
          const half = Math.floor(json.length / 2);
          return [
            eventMessage('contentBlockStart', { contentBlockIndex, start: { toolUse: { toolUseId: call.id, name: call.name } }, p: 'abcd' }),
            eventMessage('contentBlockDelta', { contentBlockIndex, delta: { toolUse: { input: json.slice(0, half) } }, p: 'abcd' }),
            eventMessage('contentBlockDelta', { contentBlockIndex, delta: { toolUse: { input: json.slice(half) } }, p: 'abcd' }),
            eventMessage('contentBlockStop', { contentBlockIndex, p: 'ab' }),
          ];
        }),
      finish: (reason) => [
        eventMessage('contentBlockStop', { contentBlockIndex: 0, p: 'ab' }),
        eventMessage('messageStop', { stopReason: reason ?? 'end_turn', p: 'abc' }),
        eventMessage('metadata', {
          metrics: { latencyMs: 42 },
          usage: { inputTokens: usage.input, outputTokens: usage.output, totalTokens: usage.input + usage.output, ...cache },
          p: 'abcdef',
        }),
      ],
    });
  });
  return fake;
}
