import { modelRoles, type ModelRole } from '../../shared/choices';
import type { ModelCatalogue } from '../../shared/models';

export const isRole = (model: string | null): model is ModelRole => (modelRoles as readonly (string | null)[]).includes(model);

/**
 * The model an assistant's preference stands for now: a role through the catalogue's roles
 * (this machine, this privacy setting), a model id as it is. `available` is false when the
 * catalogue says it cannot be chosen now (or does not know it), or the role stands for nothing.
 */
export function resolveAssistantModel(preferred: string | null, catalogue: ModelCatalogue): { model: string; available: boolean } | null {
  if (preferred === null) return null;
  if (isRole(preferred)) {
    const role = catalogue.roles.find((candidate) => candidate.role === preferred);
    return role?.model ? { model: role.model, available: role.available } : null;
  }
  const choice = catalogue.groups.flatMap((group) => group.models).find((model) => model.id === preferred);
  return { model: preferred, available: choice?.available ?? false };
}
