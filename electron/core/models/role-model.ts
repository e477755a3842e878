import { modelRoles, type ModelRole } from '../../../shared/choices';
import type { HardwareAdvice } from '../../../shared/hardware';
import type { ProviderConfig } from '../config/provider-config';
import { cloudDefaults } from '../hardware/hardware-matrix';
import type { PrivacyPolicy } from '../privacy/policy';
import { configuredProviders } from '../reliability/status';
import { schoolAllows } from '../privacy/policy';
import { AtelierError } from '../../../shared/errors';

export function isRole(value: string): value is ModelRole {
  return (modelRoles as readonly string[]).includes(value);
}

/**
 * The model a role stands for, without asking the providers for their lists (for the CLI): the
 * user's choice in Settings; else, where the tier allows the cloud and credentials are there, the
 * cloud default (Bedrock EU before Anthropic); else the local model the hardware matrix picks.
 * The app's picker does the same with the providers' live lists (model-catalogue.ts resolveRoles).
 */
export async function roleModel(
  role: ModelRole,
  roles: Readonly<Record<ModelRole, string | null>>,
  policy: PrivacyPolicy,
  config: ProviderConfig,
  advice: () => Promise<HardwareAdvice>,
): Promise<string> {
  const chosen = roles[role];
  if (chosen) return chosen;
  const configured = configuredProviders(config);
  // Only what the school's lists allow (a school that allows only its server leaves the role to Settings).
  const allowed = (id: string) => schoolAllows(policy, id.slice(0, id.indexOf('/')), [id.slice(id.indexOf('/') + 1)]);
  if (policy.tier !== 'dsgvo_local' && configured.includes('bedrock') && allowed(cloudDefaults.bedrockEu[role])) return cloudDefaults.bedrockEu[role];
  if (policy.tier === 'non_dsgvo' && configured.includes('anthropic') && allowed(cloudDefaults.anthropic[role])) return cloudDefaults.anthropic[role];
  const local = (await advice()).local[role].model;
  if (!allowed(local)) {
    throw new AtelierError('invalid_request', `No model is set for the role ${role}, and the ones Atelier would pick are not allowed by your school.`, `Set one your school allows: atelier settings set roles.${role} PROVIDER/MODEL (atelier models lists them).`);
  }
  return local;
}
