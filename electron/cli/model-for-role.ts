import type { ModelRole } from '../../shared/choices';
import type { HardwareAdvice } from '../../shared/hardware';
import { loadProviderConfig } from '../core/config/load-provider-config';
import { adviseLocalModels } from '../core/hardware/hardware-matrix';
import { detectHardware } from '../core/hardware/system-probe';
import { roleModel } from '../core/models/role-model';
import { effectivePolicy } from '../core/privacy/policy';
import { SecretStore } from '../core/secrets/secret-store';
import type { SettingsStore } from '../core/settings/settings-store';
import { policyFileFor, type CliIo } from './cli-context';

/** The hardware advice, probed once per command run (a long-running `serve` asks many times). */
const advice = new WeakMap<CliIo, Promise<HardwareAdvice>>();

/** The model a role stands for on this machine now (the CLI has no live model lists; see role-model.ts). */
export async function modelForRole(io: CliIo, role: ModelRole, store: SettingsStore): Promise<string> {
  const settings = (await store.current()).settings;
  const config = await loadProviderConfig(settings, io.env, SecretStore.fromEnvironment(io.env));
  const policy = effectivePolicy(settings, policyFileFor(io).read());
  return roleModel(role, settings.roles, policy, config, () => {
    let found = advice.get(io);
    if (!found) {
      const override = settings.hardware.vramOverrideGb;
      found = detectHardware({ vramOverrideBytes: override === null ? null : override * 1024 ** 3 }).then((hardware) => adviseLocalModels(hardware, config.ollama.numCtx));
      advice.set(io, found);
    }
    return found;
  });
}
