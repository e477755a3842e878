import { fromIni, fromNodeProviderChain } from '@aws-sdk/credential-providers';
import type { BedrockRuntimeClientConfig } from '@aws-sdk/client-bedrock-runtime';
import type { AwsAuth } from '../config/provider-config';

/**
 * The client options for each kind of credentials, for the runtime client and the control-plane
 * client alike. The auth scheme is always named, so neither AWS_BEARER_TOKEN_BEDROCK nor
 * AWS_AUTH_SCHEME_PREFERENCE can switch it behind Atelier's back.
 */
export function awsIdentity(auth: Exclude<AwsAuth, { kind: 'none' }>, region: string): Pick<BedrockRuntimeClientConfig, 'authSchemePreference' | 'credentials' | 'token'> {
  switch (auth.kind) {
    case 'keys':
      return {
        authSchemePreference: ['sigv4'],
        credentials: { accessKeyId: auth.accessKeyId, secretAccessKey: auth.secretAccessKey, ...(auth.sessionToken && { sessionToken: auth.sessionToken }) },
      };
    case 'api-key':
      return { authSchemePreference: ['httpBearerAuth'], token: { token: auth.token } };
    case 'profile':
      // SSO and role profiles too: the SDK reads the profile, asks SSO or STS as it says.
      return {
        authSchemePreference: ['sigv4'],
        credentials: fromIni({
          profile: auth.profile,
          ...(auth.configFile && { configFilepath: auth.configFile }),
          ...(auth.credentialsFile && { filepath: auth.credentialsFile }),
          clientConfig: { region },
        }),
      };
    case 'default-chain':
      return { authSchemePreference: ['sigv4'], credentials: fromNodeProviderChain({ clientConfig: { region } }) };
  }
}
