import { AssistantFieldsSchema, type Assistant, type AssistantFieldsInput, type AssistantList } from '../../../shared/assistants';
import { AtelierError, describeIssues } from '../../../shared/errors';
import type { ManagedPolicy } from '../privacy/policy-file';
import { effectivePolicy } from '../privacy/policy';
import { builtinAssistants, type AssistantLanguage } from './builtin-assistants';
import { notFound, type AssistantStore } from './assistant-store';
import { isRole } from '../models/role-model';
import { parseModelId } from '../models/model-id';
import { retiredModel } from '../models/lifecycle';

export interface AssistantLibraryOptions {
  /** The user's assistants (the app's database), opened when first needed. */
  store: () => AssistantStore;
  /** The school's policy file as it is now. */
  policyFile: () => ManagedPolicy;
  /** Whether the class is locked (read from the data folder and the keychain). */
  classroomLocked: () => Promise<boolean>;
  /** The language built-in assistants are shown and sent in. */
  language: () => AssistantLanguage;
  /** The model-id prefixes there are (built-in and the endpoints added): an assistant's model must use one. */
  knownPrefixes?: () => readonly string[];
}

const ASSISTANTS_LOCKED = new AtelierError(
  'settings_locked',
  'Atelier is locked for this class: assistants cannot be added, changed or deleted.',
  'Ask your teacher to unlock it ("atelier unlock", or Settings → Privacy).',
);

/**
 * Every assistant there is: the school's (from its policy file), the built-in ones, and the
 * user's own. The school's come first and win over an id the user has too; only the user's own
 * can be changed, and not while the class is locked or the school locks settings.
 */
export class AssistantLibrary {
  constructor(private readonly options: AssistantLibraryOptions) {}

  async list(): Promise<AssistantList> {
    const managed = this.options.policyFile();
    const school = schoolAssistantsOf(managed);
    const lockedBy = (await this.options.classroomLocked()) ? 'classroom-lock' : schoolLocks(managed) ? 'policy' : null;
    const policyProblem = managed.state === 'invalid' ? `The school’s policy file ${managed.file} cannot be used: ${managed.problem}.` : null;
    const shadowed = new Set(school.map((assistant) => assistant.id));
    const own = this.options
      .store()
      .list()
      .filter((assistant) => !shadowed.has(assistant.id))
      .map((assistant) => ({ ...assistant, editable: lockedBy === null }));
    const builtin = builtinAssistants(this.options.language()).filter((assistant) => !shadowed.has(assistant.id));
    return { assistants: [...school, ...builtin, ...own], schoolOnly: schoolOnly(managed), lockedBy, policyProblem };
  }

  /** One assistant by id, or null: the school's first, then the built-in ones, then the user's. */
  find(id: string): Assistant | null {
    const school = schoolAssistantsOf(this.options.policyFile()).find((assistant) => assistant.id === id);
    if (school) return school;
    return builtinAssistants(this.options.language()).find((assistant) => assistant.id === id) ?? this.options.store().get(id);
  }

  get(id: string): Assistant {
    const found = this.find(id);
    if (!found) throw notFound(id);
    return found;
  }

  async add(input: AssistantFieldsInput): Promise<Assistant> {
    await this.assertChangesAllowed();
    return this.options.store().add(this.checked(input), this.reservedIds());
  }

  async update(id: string, input: AssistantFieldsInput): Promise<Assistant> {
    await this.assertChangesAllowed();
    this.assertOwn(id);
    return this.options.store().update(id, this.checked(input));
  }

  /** The fields, with the model checked as the chat will take it: a role, or an id of a provider there is and a model not retired. */
  private checked(input: AssistantFieldsInput) {
    const fields = parseFields(input);
    if (fields.model !== null && !isRole(fields.model)) {
      let ref;
      try {
        ref = parseModelId(fields.model, this.options.knownPrefixes?.() ?? []);
      } catch (error) {
        throw new AtelierError('invalid_request', `That assistant cannot be saved: its model ${error instanceof AtelierError ? error.message : ''}`.trim(), 'Give a model id such as local/llama3.2:3b, or a role: fast, advanced, extreme.');
      }
      const retired = retiredModel(ref.prefix, ref.model);
      if (retired) {
        throw new AtelierError('invalid_request', `That assistant cannot be saved: ${fields.model} was retired on ${retired.retiredOn}.`, retired.successor ? `Use ${retired.successor}, or a role such as advanced.` : 'Choose a current model, or a role such as advanced.');
      }
    }
    return fields;
  }

  /** An editable copy of any assistant (a built-in one, the school's, the user's own). */
  async duplicate(id: string, copyName: (name: string) => string = (name) => `${name.slice(0, 73).trimEnd()} (copy)`): Promise<Assistant> {
    const original = this.get(id);
    return this.add({
      name: copyName(original.name).slice(0, 80),
      description: original.description,
      systemPrompt: original.systemPrompt,
      model: original.model,
      temperature: original.temperature,
      openingMessage: original.openingMessage,
    });
  }

  async remove(id: string): Promise<void> {
    await this.assertChangesAllowed();
    this.assertOwn(id);
    this.options.store().remove(id);
  }

  private assertOwn(id: string): void {
    // The user's own under an id the school also uses stays theirs to change or delete.
    if (this.options.store().get(id) !== null) return;
    const found = this.find(id);
    if (found && found.source !== 'user') {
      throw new AtelierError(
        'invalid_request',
        found.source === 'school' ? `“${found.name}” comes from your school and cannot be changed here.` : `“${found.name}” is built into Atelier and cannot be changed.`,
        `Duplicate it to make a copy of your own: atelier assistants add --from ${id} …, or “Duplicate” in the app.`,
      );
    }
    if (!found) throw notFound(id);
  }

  private async assertChangesAllowed(): Promise<void> {
    if (await this.options.classroomLocked()) throw ASSISTANTS_LOCKED;
    const managed = this.options.policyFile();
    // A school's file that cannot be used may have meant to lock or restrict: nothing changes until it is fixed.
    if (managed.state === 'invalid') {
      throw new AtelierError('settings_locked', `The school’s policy file ${managed.file} cannot be used (${managed.problem}), so assistants cannot be changed until it is fixed.`, 'Ask your school’s IT to fix the policy file (atelier privacy show says what is wrong).');
    }
    if (schoolLocks(managed)) {
      throw new AtelierError('settings_locked', `Your school manages Atelier’s settings and assistants (${managed.state === 'none' ? '' : managed.file}).`, 'Ask your school’s IT if an assistant is missing.');
    }
  }

  private reservedIds(): Set<string> {
    return new Set([...schoolAssistantsOf(this.options.policyFile()), ...builtinAssistants('en')].map((assistant) => assistant.id));
  }
}

/** Checks an assistant's fields, with one message naming every problem. */
export function parseFields(input: AssistantFieldsInput): ReturnType<typeof AssistantFieldsSchema.parse> {
  const parsed = AssistantFieldsSchema.safeParse(input);
  if (!parsed.success) throw new AtelierError('invalid_request', `That assistant cannot be saved: ${describeIssues(parsed.error.issues)}.`, 'Fix what is named and save again.');
  return parsed.data;
}

function schoolAssistantsOf(managed: ManagedPolicy): readonly Assistant[] {
  return effectivePolicy({ privacy: { tier: 'dsgvo_local' } }, managed).schoolAssistants ?? [];
}

function schoolOnly(managed: ManagedPolicy): boolean {
  return managed.state === 'valid' && managed.policy.assistantsOnly === true;
}

function schoolLocks(managed: ManagedPolicy): boolean {
  return managed.state === 'valid' && managed.policy.lockSettings === true;
}
