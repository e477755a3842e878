import { AssistantFieldsSchema, type Assistant, type AssistantFieldsInput, type AssistantList } from '../../../shared/assistants';
import { AtelierError, describeIssues } from '../../../shared/errors';
import type { ManagedPolicy } from '../privacy/policy-file';
import { effectivePolicy } from '../privacy/policy';
import { builtinAssistants, type AssistantLanguage } from './builtin-assistants';
import { notFound, type AssistantStore } from './assistant-store';

export interface AssistantLibraryOptions {
  /** The user's assistants (the app's database), opened when first needed. */
  store: () => AssistantStore;
  /** The school's policy file as it is now. */
  policyFile: () => ManagedPolicy;
  /** Whether the class is locked (read from the data folder and the keychain). */
  classroomLocked: () => Promise<boolean>;
  /** The language built-in assistants are shown and sent in. */
  language: () => AssistantLanguage;
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
    const shadowed = new Set(school.map((assistant) => assistant.id));
    const own = this.options
      .store()
      .list()
      .filter((assistant) => !shadowed.has(assistant.id))
      .map((assistant) => ({ ...assistant, editable: lockedBy === null }));
    const builtin = builtinAssistants(this.options.language()).filter((assistant) => !shadowed.has(assistant.id));
    return { assistants: [...school, ...builtin, ...own], schoolOnly: schoolOnly(managed), lockedBy };
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
    return this.options.store().add(parseFields(input), this.reservedIds());
  }

  async update(id: string, input: AssistantFieldsInput): Promise<Assistant> {
    await this.assertChangesAllowed();
    this.assertOwn(id);
    return this.options.store().update(id, parseFields(input));
  }

  /** An editable copy of any assistant (a built-in one, the school's, the user's own). */
  async duplicate(id: string, copyName: (name: string) => string = (name) => `${name} (copy)`): Promise<Assistant> {
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
