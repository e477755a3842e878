import { toolCallPart } from './tool-call';
import {
  BedrockRuntimeClient,
  ConverseCommand,
  ConverseStreamCommand,
  type ConverseCommandInput,
  type TokenUsage,
  type BedrockRuntimeClientConfig,
  type ContentBlock,
  type ConverseStreamOutput,
  type Message,
} from '@aws-sdk/client-bedrock-runtime';
import type { FinishReason, StreamPart, Usage } from '../../../shared/chat';
import type { ErrorPayload } from '../../../shared/errors';
import { awsSecrets, bedrockDefaultHost, describeAwsAuth, type AwsAuth, type BedrockConfig } from '../config/provider-config';
import { awsIdentity } from './aws-identity';
import { bedrockCatalogue } from '../models/bedrock-catalogue';
import { profileGeography, resolveBedrockModelId, type ProfileFixes } from '../models/bedrock-profiles';
import {
  CANCELLED,
  credentialsMissing,
  errorForNetwork,
  errorForStatus,
  isAbortError,
  modelNotFound,
  providerError,
  redactSecrets,
  timedOut,
  type ErrorContext,
} from './provider-errors';
import { DEFAULT_MAX_TOKENS, failingProvider, guardStream, type Provider, type ProviderRequest } from './provider';

export interface BedrockProviderOptions {
  /** Replaces the SDK's default HTTP/2 handler, e.g. NodeHttpHandler for HTTP/1.1 through a proxy. */
  requestHandler?: BedrockRuntimeClientConfig['requestHandler'];
  /** Inference-profile fixes learned so far; new ones are added here. */
  profileFixes?: ProfileFixes | null;
}

/**
 * AWS Bedrock Runtime through ConverseStream, one request shape for every model family; models
 * that cannot stream are asked through Converse instead.
 */
export function createBedrockProvider(config: BedrockConfig, options: BedrockProviderOptions = {}): Provider {
  const { auth } = config;
  if (auth.kind === 'none') {
    return failingProvider(
      'bedrock',
      credentialsMissing('AWS Bedrock', `Atelier looked for ${auth.looked.join('; ')}, and found nothing. Save access keys with "atelier auth set aws-access-key-id" (or import the AWS CSV in Settings), or pick another source.`),
    );
  }
  const client = new BedrockRuntimeClient({
    region: config.region,
    // One attempt: retries are Atelier's decision, visible and (later) checked by the privacy policy.
    maxAttempts: 1,
    ...awsIdentity(auth, config.region),
    // Always an explicit address: the SDK would otherwise also take one from a profile's
    // endpoint_url in ~/.aws/config, which the privacy check never saw.
    endpoint: config.endpoint ?? `https://${bedrockDefaultHost(config.region)}`,
    ...(options.requestHandler && { requestHandler: options.requestHandler }),
  });
  const secrets = awsSecrets(auth);

  return {
    prefix: 'bedrock',
    stream(request, signal) {
      const context: ErrorContext = {
        provider: 'AWS Bedrock',
        model: request.model,
        keySource: describeAwsAuth(auth),
        address: config.endpoint ?? bedrockDefaultHost(config.region),
        secrets,
      };
      return guardStream(
        () => streamWithProfiles(client, request, signal, config.region, options.profileFixes ?? null),
        (error) => mapBedrockError(error, context, config.region, auth),
        context,
        signal,
      );
    },
  };
}

/**
 * Sends the model id resolved for the region (a learned fix, or the catalogue's profile). If
 * Bedrock still answers that the model needs an inference profile, tries once more with the
 * region's profile, and remembers it when that works. Never a `global.` profile.
 */
async function* streamWithProfiles(
  client: BedrockRuntimeClient,
  request: ProviderRequest,
  signal: AbortSignal,
  region: string,
  fixes: ProfileFixes | null,
): AsyncGenerator<StreamPart> {
  const resolved = resolveBedrockModelId(request.model, region, fixes);
  if (resolved.via !== 'as-given') {
    yield { type: 'notice', message: `Bedrock needs the inference profile ${resolved.modelId} for ${request.model} in ${region}; Atelier used it.` };
  }
  let started = false;
  try {
    for await (const part of streamConverse(client, { ...request, model: resolved.modelId }, signal)) {
      started = true;
      yield part;
    }
    return;
  } catch (error) {
    const geography = profileGeography(region, bedrockCatalogue.find((model) => model.id === resolved.modelId));
    if (started || resolved.via !== 'as-given' || !isOnDemandRefusal(error) || geography === null || signal.aborted) throw error;
    const profileId = `${geography}.${resolved.modelId}`;
    let remembered = false;
    for await (const part of streamConverse(client, { ...request, model: profileId }, signal)) {
      if (!remembered) {
        remembered = true;
        await fixes?.remember(region, resolved.modelId, profileId).catch(() => undefined);
        yield { type: 'notice', message: `Bedrock runs ${request.model} only through an inference profile in ${region}; Atelier used ${profileId} and will from now on.` };
      }
      yield part;
    }
  }
}

function isOnDemandRefusal(error: unknown): boolean {
  return (error as { name?: unknown }).name === 'ValidationException' && /on-demand throughput isn.t supported/i.test(error instanceof Error ? error.message : '');
}

async function* streamConverse(client: BedrockRuntimeClient, request: ProviderRequest, signal: AbortSignal): AsyncGenerator<StreamPart> {
  const input: ConverseCommandInput = {
    modelId: request.model,
    messages: toBedrockMessages(request),
    ...(request.system && { system: [{ text: request.system }] }),
    inferenceConfig: {
      maxTokens: request.maxTokens ?? DEFAULT_MAX_TOKENS,
      ...(request.temperature !== undefined && { temperature: Math.min(request.temperature, 1) }),
      ...(request.stop && { stopSequences: request.stop }),
    },
    ...(request.tools && request.tools.length > 0 && {
      toolConfig: { tools: request.tools.map((tool) => ({ toolSpec: { name: tool.name, description: tool.description, inputSchema: { json: tool.parameters as never } } })) },
    }),
  };
  let response;
  try {
    response = await client.send(new ConverseStreamCommand(input), { abortSignal: signal });
  } catch (error) {
    if (!isStreamingUnsupported(error)) throw error;
    // Some models (gpt-oss, for one) answer only through Converse: the whole answer at once.
    yield* converseOnce(client, input, signal);
    return;
  }
  let stopReason: string | null = null;
  let usage: Usage = { inputTokens: null, outputTokens: null };
  // A toolUse block: its id and name at the start, its input's JSON in fragments, whole at the stop.
  const toolBlocks = new Map<number, { id: string; name: string; json: string }>();
  for await (const event of response.stream ?? []) {
    throwIfException(event);
    const text = event.contentBlockDelta?.delta?.text;
    if (text) yield { type: 'text-delta', text };
    const started = event.contentBlockStart?.start?.toolUse;
    if (started) toolBlocks.set(event.contentBlockStart?.contentBlockIndex ?? 0, { id: started.toolUseId ?? '', name: started.name ?? '', json: '' });
    const input = event.contentBlockDelta?.delta?.toolUse?.input;
    if (input !== undefined) {
      const block = toolBlocks.get(event.contentBlockDelta?.contentBlockIndex ?? 0);
      if (block) block.json += input;
    }
    if (event.contentBlockStop) {
      const index = event.contentBlockStop.contentBlockIndex ?? 0;
      const block = toolBlocks.get(index);
      if (block) {
        toolBlocks.delete(index);
        yield toolCallPart(block.id, block.name, block.json);
      }
    }
    if (event.messageStop) stopReason = event.messageStop.stopReason ?? 'end_turn';
    if (event.metadata?.usage) {
      usage = usageOf(event.metadata.usage);
    }
  }
  if (stopReason !== null) yield { type: 'finish', reason: bedrockFinishReason(stopReason), usage };
}

async function* converseOnce(client: BedrockRuntimeClient, input: ConverseCommandInput, signal: AbortSignal): AsyncGenerator<StreamPart> {
  const response = await client.send(new ConverseCommand(input), { abortSignal: signal });
  const text = (response.output?.message?.content ?? []).map((block) => block.text ?? '').join('');
  if (text) yield { type: 'text-delta', text };
  for (const block of response.output?.message?.content ?? []) {
    if (block.toolUse) yield toolCallPart(block.toolUse.toolUseId ?? '', block.toolUse.name ?? '', block.toolUse.input as Record<string, unknown> | undefined);
  }
  yield {
    type: 'finish',
    reason: bedrockFinishReason(response.stopReason ?? 'end_turn'),
    usage: usageOf(response.usage),
  };
}

/** Bedrock's token counts; prompt-cache reads and writes are counted (and billed) apart from input. */
function usageOf(usage: TokenUsage | undefined): Usage {
  return {
    inputTokens: usage?.inputTokens ?? null,
    outputTokens: usage?.outputTokens ?? null,
    ...(typeof usage?.cacheReadInputTokens === 'number' && { cacheReadTokens: usage.cacheReadInputTokens }),
    ...(typeof usage?.cacheWriteInputTokens === 'number' && { cacheWriteTokens: usage.cacheWriteInputTokens }),
  };
}

function isStreamingUnsupported(error: unknown): boolean {
  return (
    (error as { name?: unknown }).name === 'ValidationException' &&
    /unsupported for streaming|does(n.t| not) support streaming/i.test(error instanceof Error ? error.message : '')
  );
}

/** Modelled exception events arrive as union members; they end the stream like a thrown error. */
function throwIfException(event: ConverseStreamOutput): void {
  const exception =
    event.internalServerException ??
    event.modelStreamErrorException ??
    event.validationException ??
    event.throttlingException ??
    event.serviceUnavailableException;
  if (exception) throw exception;
}

function toBedrockMessages(request: ProviderRequest): Message[] {
  return request.messages.map((message) => ({
    role: message.role,
    content:
      typeof message.content === 'string'
        ? [{ text: message.content }]
        : message.content.map((part): ContentBlock => {
            switch (part.type) {
              case 'text':
                return { text: part.text };
              case 'image':
                return { image: { format: part.mediaType.slice('image/'.length) as 'png' | 'jpeg' | 'gif' | 'webp', source: { bytes: Buffer.from(part.data, 'base64') } } };
              case 'tool-call':
                return { toolUse: { toolUseId: part.id, name: part.name, input: part.args as never } };
              case 'tool-result':
                return { toolResult: { toolUseId: part.id, content: [{ text: part.text }], status: part.isError ? 'error' : 'success' } };
            }
          }),
  }));
}

function bedrockFinishReason(raw: string): FinishReason {
  const unified: Record<string, FinishReason['unified']> = {
    end_turn: 'stop',
    stop_sequence: 'stop',
    max_tokens: 'length',
    model_context_window_exceeded: 'length',
    tool_use: 'tool-calls',
    content_filtered: 'content-filter',
    guardrail_intervened: 'content-filter',
  };
  return { unified: unified[raw] ?? 'other', raw };
}

/** The smallest IAM policy that lets Atelier use Bedrock, for permission hints. */
export const BEDROCK_INVOKE_POLICY =
  '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["bedrock:InvokeModel","bedrock:InvokeModelWithResponseStream"],"Resource":"*"}]}';

/** Maps AWS's error names (and the messages that tell cases apart) to Atelier's codes. */
export function mapBedrockError(error: unknown, context: ErrorContext, region: string, auth?: AwsAuth): ErrorPayload {
  if (isAbortError(error)) return CANCELLED;
  const name = (error as { name?: unknown }).name;
  const rawMessage = error instanceof Error ? error.message : String(error);
  const message = redactSecrets(rawMessage, context.secrets);
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  const said = (text: string) => `${text} AWS said: “${message}”`;

  switch (name) {
    case 'UnrecognizedClientException':
    case 'InvalidSignatureException':
    case 'IncompleteSignatureException':
    case 'InvalidClientTokenId':
      return {
        code: 'auth_invalid',
        message: said('AWS did not accept the access key.'),
        hint: `Check ${context.keySource}: the key id and secret must belong together and be active in IAM.`,
      };
    case 'ExpiredTokenException':
    case 'ExpiredToken':
    case 'TokenRefreshRequired':
      return {
        code: 'credentials_expired',
        message: 'The temporary AWS credentials have expired.',
        hint: 'Get fresh credentials (for example "aws sso login", or new keys from your administrator) and try again.',
      };
    case 'AccessDeniedException':
      return /don.t have access to the model|access to the model/i.test(rawMessage)
        ? {
            code: 'model_access_denied',
            message: said(`This AWS account has no access to ${context.model} in ${region}.`),
            hint: 'Request access to the model in the Bedrock console ("Model access") for this region, then try again.',
          }
        : {
            code: 'permission_denied',
            message: said('AWS refused: these credentials may not call Bedrock here.'),
            hint: `Ask your AWS administrator to allow bedrock:InvokeModel and bedrock:InvokeModelWithResponseStream, for example with this IAM policy: ${BEDROCK_INVOKE_POLICY}`,
          };
    case 'ResourceNotFoundException':
      return modelNotFound(context, message);
    case 'ValidationException':
      if (/on-demand throughput isn.t supported|inference profile/i.test(rawMessage)) {
        return {
          code: 'inference_profile_required',
          message: `Bedrock cannot run “${context.model}” on demand; it needs an inference profile id.`,
          hint: `Use the profile id for your region instead, such as "bedrock/${profileGeography(region) ?? 'eu'}.${context.model}".`,
        };
      }
      if (/model identifier is invalid/i.test(rawMessage)) {
        return { ...modelNotFound(context, message), hint: `It may not be offered in ${region}: run "atelier models" for the models there, or choose another region.` };
      }
      return errorForStatus(400, context, message);
    case 'ThrottlingException':
    case 'ServiceQuotaExceededException':
    case 'TooManyRequestsException':
      return errorForStatus(429, context, message);
    case 'ModelTimeoutException':
    case 'TimeoutError':
    case 'RequestTimeout':
      return timedOut(context);
    case 'ModelNotReadyException':
    case 'ServiceUnavailableException':
    case 'InternalServerException':
    case 'ModelStreamErrorException':
    case 'ModelErrorException':
      return providerError(context, message);
    case 'CredentialsProviderError':
    case 'TokenProviderError':
      if (/sso session .*(expired|invalid)|token is expired|refresh.*sso/i.test(rawMessage)) {
        return {
          code: 'credentials_expired',
          message: 'The AWS SSO session has expired.',
          hint: `Sign in again with "aws sso login${auth?.kind === 'profile' ? ` --profile ${auth.profile}` : ''}", then try again.`,
        };
      }
      return credentialsMissing('AWS Bedrock', noCredentialsHint(auth, message));
    default:
      break;
  }
  const network = errorForNetwork(error, context, 'Check the internet connection and the AWS region or endpoint in Settings.');
  if (network) return network;
  return typeof status === 'number' ? errorForStatus(status, context, message) : providerError(context, message);
}

/** Where Atelier looked, and the trap of variables set only in a shell. */
function noCredentialsHint(auth: AwsAuth | undefined, detail: string): string {
  const where =
    auth?.kind === 'profile'
      ? `Atelier used the AWS profile “${auth.profile}”, and it gave no credentials (${detail}). Check the profile in ~/.aws/config.`
      : `Atelier looked for keys saved in Atelier, a Bedrock API key, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, and the AWS default chain (~/.aws/credentials, SSO, instance roles).`;
  return `${where} Variables exported in a terminal are not seen by an app started from the desktop: save the keys in Atelier ("atelier auth set aws-access-key-id", or Settings → Import AWS CSV) instead.`;
}
