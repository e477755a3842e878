import type { BedrockClientConfig } from '@aws-sdk/client-bedrock';
import type { ErrorPayload } from '../../../shared/errors';
import { awsSecrets, describeAwsAuth, type BedrockConfig } from '../config/provider-config';
import { awsBedrockHostRegion, hostOf } from '../privacy/route';
import { errorForNetwork, redactSecrets, type ErrorContext } from './provider-errors';

/**
 * Bedrock's control plane (`bedrock.<region>.amazonaws.com`): what the region offers, through
 * ListInferenceProfiles and ListFoundationModels. A separate client from the runtime's, loaded
 * only when a listing asks, with the same explicit address and credentials rules.
 */

/** What the live lists said, in plain data (cached as JSON). Times are ISO strings. */
export interface LiveBedrockCatalogue {
  profiles: { id: string; name: string; status: string; baseModelIds: string[] }[];
  models: {
    id: string;
    name: string;
    providerName: string;
    textInOut: boolean;
    onDemand: boolean;
    lifecycle: 'ACTIVE' | 'LEGACY' | string;
    endOfLife?: string;
    legacySince?: string;
  }[];
}

/** AWS's own control-plane host for a region. */
export function bedrockControlHost(region: string): string {
  return `bedrock.${region}.amazonaws.com`;
}

/**
 * Where the listing goes. An explicit AWS_ENDPOINT_URL_BEDROCK (`controlEndpoint`, once the config
 * reads it) first; else, with the runtime pointed at AWS's own runtime host of some region, that
 * region's control-plane host; a runtime override that is not AWS's (a proxy, the tests' fake)
 * is used as it is; else AWS's host for the configured region. Never an address from ~/.aws/config.
 */
export function bedrockControlEndpoint(config: BedrockConfig & { controlEndpoint?: string | null }): string {
  if (config.controlEndpoint) return config.controlEndpoint;
  if (config.endpoint) {
    const host = hostOf(config.endpoint);
    const awsRegion = awsBedrockHostRegion(host);
    if (awsRegion === null) return config.endpoint;
    return `https://${host.includes('bedrock-runtime-fips.') ? `bedrock-fips.${awsRegion}.amazonaws.com` : bedrockControlHost(awsRegion)}`;
  }
  return `https://${bedrockControlHost(config.region)}`;
}

/** The region of an AWS Bedrock control-plane host (`bedrock.eu-central-1.amazonaws.com`, FIPS too), else null. */
export function awsBedrockControlHostRegion(host: string): string | null {
  return /^bedrock(?:-fips)?\.([a-z]{2}(?:-[a-z]+)+-\d)\.amazonaws\.com$/.exec(host)?.[1] ?? null;
}

/** Asks both lists (all pages). Throws what the SDK throws; `mapControlError` says it in words. */
export async function fetchLiveBedrockCatalogue(
  config: BedrockConfig & { controlEndpoint?: string | null },
  options: { signal?: AbortSignal; requestHandler?: BedrockClientConfig['requestHandler'] } = {},
): Promise<LiveBedrockCatalogue> {
  const auth = config.auth;
  if (auth.kind === 'none') throw new Error('No AWS credentials.');
  // Loaded on the first listing, not when Atelier starts.
  const { BedrockClient, ListInferenceProfilesCommand, ListFoundationModelsCommand } = await import('@aws-sdk/client-bedrock');
  const client = new BedrockClient({
    region: config.region,
    maxAttempts: 1,
    // Loaded with the listing too: the credential providers are not needed before.
    ...(await import('./aws-identity')).awsIdentity(auth, config.region),
    endpoint: bedrockControlEndpoint(config),
    ...(options.requestHandler && { requestHandler: options.requestHandler }),
  });
  try {
    const profiles: LiveBedrockCatalogue['profiles'] = [];
    let nextToken: string | undefined;
    // A page limit: a misbehaving server handing out tokens forever ends here.
    for (let page = 0; page < 50; page++) {
      const output = await client.send(new ListInferenceProfilesCommand({ maxResults: 1000, ...(nextToken && { nextToken }) }), { abortSignal: options.signal });
      for (const summary of output.inferenceProfileSummaries ?? []) {
        if (!summary.inferenceProfileId) continue;
        profiles.push({
          id: summary.inferenceProfileId,
          name: summary.inferenceProfileName ?? summary.inferenceProfileId,
          status: summary.status ?? 'ACTIVE',
          baseModelIds: (summary.models ?? []).map((model) => /foundation-model\/(.+)$/.exec(model.modelArn ?? '')?.[1] ?? '').filter(Boolean),
        });
      }
      nextToken = output.nextToken;
      if (!nextToken) break;
    }
    const listed = await client.send(new ListFoundationModelsCommand({}), { abortSignal: options.signal });
    const models = (listed.modelSummaries ?? []).flatMap((summary): LiveBedrockCatalogue['models'] => {
      if (!summary.modelId) return [];
      const lifecycle = summary.modelLifecycle;
      return [
        {
          id: summary.modelId,
          name: summary.modelName ?? summary.modelId,
          providerName: summary.providerName ?? '',
          textInOut: (summary.inputModalities ?? []).includes('TEXT') && (summary.outputModalities ?? []).includes('TEXT'),
          onDemand: (summary.inferenceTypesSupported ?? []).includes('ON_DEMAND'),
          lifecycle: lifecycle?.status ?? 'ACTIVE',
          ...(lifecycle?.endOfLifeTime && { endOfLife: lifecycle.endOfLifeTime.toISOString() }),
          ...(lifecycle?.legacyTime && { legacySince: lifecycle.legacyTime.toISOString() }),
        },
      ];
    });
    return { profiles, models };
  } finally {
    client.destroy();
  }
}

/** A failed listing in words: the permission a listing needs, else what a chat would say. */
export async function mapControlError(error: unknown, config: BedrockConfig & { controlEndpoint?: string | null }): Promise<ErrorPayload> {
  const address = bedrockControlEndpoint(config);
  const context: ErrorContext = { provider: 'AWS Bedrock', model: '', keySource: describeAwsAuth(config.auth), address, secrets: awsSecrets(config.auth) };
  const network = errorForNetwork(error, context, `Check the internet connection and ${address}.`);
  if (network) return network;
  if ((error as { name?: unknown }).name === 'AccessDeniedException') {
    const message = redactSecrets(error instanceof Error ? error.message : String(error), context.secrets);
    return {
      code: 'permission_denied',
      message: `AWS refused to list Bedrock’s models in ${config.region}. AWS said: “${message}”`,
      hint: 'Ask your AWS administrator to allow bedrock:ListFoundationModels and bedrock:ListInferenceProfiles; chats do not need them.',
    };
  }
  // The runtime provider's words for the rest; it loads with its SDK, so only when needed.
  const { mapBedrockError } = await import('./bedrock');
  return mapBedrockError(error, context, config.region, config.auth);
}
