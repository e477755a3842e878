import type { ChatRequest, StreamPart } from '../../../shared/chat';
import { AtelierError, type ErrorPayload } from '../../../shared/errors';
import type { ProviderConfig } from '../config/provider-config';
import { parseModelId, type ModelRef } from '../models/model-id';
import type { BedrockProviderOptions } from '../providers/bedrock';
import type { EgressPurpose } from '../../../shared/choices';
import { recordBeforeSending, type EgressCompletion, type EgressRecorder, type NewEgressEntry } from '../privacy/egress-log';
import { policyDenial, PROVIDER_NAMES, schoolAllows, schoolDenial, tierAllows, type PrivacyPolicy } from '../privacy/policy';
import { classifyRoute, type Route } from '../privacy/route';
import { CANCELLED, errorPart } from '../providers/provider-errors';
import { DEFAULT_TIMEOUTS, streamAttempt, type Timeouts } from '../reliability/attempt';
import { DEFAULT_RETRY_POLICY, isRetryable, nextDelay, sleep, type RetryPolicy } from '../reliability/retry';
import { fallbackChain } from '../reliability/fallback';
import { healthKey, type HealthKey, type RouteHealthStore } from '../reliability/route-health';
import type { Provider } from '../providers/provider';
import { providerFactory } from '../providers/provider-factory';
import { DEFAULT_MAX_TOKENS } from '../providers/provider';
import { contextWindow } from '../context/context-window';
import { knownLifecycle, retiredModel, retiredModelError } from '../models/lifecycle';
import { fitHistory } from '../context/fit-history';
import { applyAssistant, type AssistantLookup } from '../assistants/apply-assistant';
import type { ConversationAssistant } from '../../../shared/assistants';
import { describeWriteError } from '../store/atomic-file';
import type { BudgetLedger } from '../usage/budget-ledger';
import { costWithoutUsage, Spending, type Admission, type AnswerEnd } from '../usage/spending';

export interface RouterOptions {
  /** Read for every request, so a change in settings or keys applies to the next message. */
  config: () => ProviderConfig | Promise<ProviderConfig>;
  /** The privacy rules, read for every request; every route is checked before anything is sent. */
  policy: () => PrivacyPolicy | Promise<PrivacyPolicy>;
  /** Called once per routed request, sent or refused, for the egress record. Never gets the prompt. */
  onEgress?: EgressRecorder;
  /** What the egress record says the requests were for: `chat` unless this router runs connection tests. */
  purpose?: EgressPurpose;
  /** For HTTP providers; the global fetch by default. */
  fetch?: typeof fetch;
  bedrock?: BedrockProviderOptions;
  /**
   * The budget's ledger (in the app's database), opened when a cloud request first needs it.
   * Without one, answers are still priced but no budget is kept.
   */
  ledger?: () => BudgetLedger | null;
  /** How failed tries are retried (tests shorten the waits). */
  retry?: RetryPolicy;
  /**
   * Whether to ask Ollama for each local model's own context limit (once per model, in the
   * background): the app does; a one-shot CLI command, which would not live to use the answer, does not.
   */
  askOllamaLimits?: boolean;
  /** How routes have fared (in the app's database): cooling routes are passed over for a fallback. */
  health?: () => RouteHealthStore | null;
  /** Finds the built-in and the user's assistants a request may name (the school's come from the policy). */
  assistants?: AssistantLookup;
}

/** Who a stream is for, beyond the app and the CLI. */
export interface StreamContext {
  /** The local endpoint's client (its token's name): named in the egress record. */
  client?: string;
  /**
   * The assistant a saved conversation was started with, as it was then: its instructions go on
   * with the conversation, whatever has become of the assistant since (the school's excepted).
   */
  savedAssistant?: ConversationAssistant | null;
}

export interface RoutedModel extends ModelRef {
  provider: Provider;
  route: Route;
  policy: PrivacyPolicy;
  allowed: boolean;
  /** False when the school's lists (allowed providers or models) rule the model out. */
  school: boolean;
  /**
   * A school's server that keeps its own budget (the policy file's `schoolServer`, or an endpoint
   * found to be a LiteLLM proxy): this machine's budget does not hold or count its answers.
   */
  budgetKeptByServer: boolean;
  /** How long its answer may take to start, and to go on. */
  timeouts: Timeouts;
  /** How many tokens the model reads and writes together, as Atelier uses it; null when unknown. */
  contextWindow: () => Promise<number | null>;
}

/**
 * Takes a chat request for `provider/model`, picks the provider, and streams its answer. One
 * provider instance (and so one SDK client, with its connection pool) is kept per prefix while
 * its configuration stays the same.
 */
export class ChatRouter {
  private readonly cache = new Map<string, { key: string; provider: Provider }>();
  private readonly spending: Spending;

  constructor(private readonly options: RouterOptions) {
    this.spending = new Spending(options.ledger ?? (() => null));
  }

  /**
   * Resolves a model id to its provider and route, and whether the privacy tier allows it;
   * rejects with `invalid_request` for a bad id or prefix.
   */
  async resolve(modelId: string): Promise<RoutedModel> {
    const [config, policy] = await Promise.all([this.options.config(), this.options.policy()]);
    const ref = parseModelId(modelId, config.endpoints.keys());
    const route = classifyRoute(ref, config, policy, this.options.bedrock?.profileFixes ?? null);
    const school = schoolAllows(policy, ref.prefix, [ref.model, route.modelId]);
    return {
      ...ref,
      provider: this.provider(ref.prefix, config),
      route,
      policy,
      allowed: school && tierAllows(policy.tier, route.routeClass),
      school,
      budgetKeptByServer: policy.schoolServer === ref.prefix || config.endpoints.get(ref.prefix)?.kind === 'litellm',
      timeouts: config.timeouts ?? DEFAULT_TIMEOUTS,
      contextWindow: () => contextWindow(ref.prefix, route.modelId, config, this.options.fetch, { askOllama: this.options.askOllamaLimits ?? true }),
    };
  }

  /**
   * Streams the answer. Never throws: a bad model id, a missing key, a network failure or an
   * abort all end the stream with one `error` part, as every provider's stream does. When the
   * model is down or cooling down and the user or the school set a fallback chain for it, the
   * next model of the chain that the tier, the school's lists and the budget allow answers; the
   * provenance then says from which model and why.
   */
  async *stream(request: ChatRequest, signal: AbortSignal = new AbortController().signal, context: StreamContext = {}): AsyncGenerator<StreamPart> {
    let routed: RoutedModel;
    try {
      routed = await this.resolve(request.model);
      // The assistant's instructions and the school's "only our assistants" rule, before anything else.
      request = applyAssistant(request, routed.policy, this.options.assistants, context.savedAssistant ?? null);
    } catch (error) {
      if (error instanceof AtelierError) {
        yield errorPart(error.toPayload());
        return;
      }
      throw error;
    }
    const chain = fallbackChain(routed.policy.fallbacks, request.model);
    let fallback: Fallback | null = null;
    let lastError: ErrorPayload | null = null;
    for (let index = 0; index <= chain.length; index++) {
      if (index > 0) {
        const model = chain[index - 1] ?? '';
        try {
          routed = await this.resolve(model);
        } catch (error) {
          if (!(error instanceof AtelierError)) throw error;
          yield { type: 'notice', message: `The fallback ${model} was skipped: ${error.message}` };
          continue;
        }
      }
      const outcome: RouteOutcome = yield* this.streamRoute({ ...request, model: `${routed.prefix}/${routed.model}` }, routed, signal, { canFallBack: index < chain.length, fallback, primary: index === 0 }, context);
      if (outcome === null) return;
      lastError = outcome.error ?? lastError;
      fallback ??= { fallbackFrom: request.model, fallbackReason: outcome.reason };
      yield { type: 'notice', message: outcome.notice };
    }
    // Every model of the chain failed or was skipped: the last real failure, as it was.
    yield errorPart(lastError ?? { code: 'provider_error', message: 'No model of the fallback chain could answer.', hint: 'Try again later, or pick another model.' });
  }

  /**
   * One model's answer, with its retries. Returns null when the stream has ended (answered, or
   * its error passed on); when `canFallBack` and the model is cooling down, fails for good before
   * any text, or (as a fallback) is not allowed, it returns why, having sent nothing more, so the
   * next model of the chain can answer instead.
   */
  private async *streamRoute(
    request: ChatRequest,
    routed: RoutedModel,
    signal: AbortSignal,
    chain: { canFallBack: boolean; fallback: Fallback | null; primary: boolean },
    context: StreamContext,
  ): AsyncGenerator<StreamPart, RouteOutcome> {
    const egress = { tier: routed.policy.tier, ...routed.route };
    // Who asked, for the record only (a local endpoint's client); never part of the provenance.
    const asker = context.client ? { client: context.client } : {};
    const name = `${routed.prefix}/${routed.model}`;
    // The privacy check comes before any network I/O: a refused request never leaves the machine.
    // A fallback the tier or the school's lists forbid is skipped, never used.
    if (!routed.allowed) {
      const denial = routed.school ? policyDenial(routed.route, routed.policy) : schoolDenial(routed.prefix, routed.model);
      if (!chain.primary) return { reason: 'not-allowed', notice: `The fallback ${name} was skipped: ${denial.message}` };
      this.record({ ...egress, ...asker, inputTokens: null, outputTokens: null, costUsd: null, outcome: 'refused', errorCode: 'policy_denied' });
      yield errorPart(denial);
      return null;
    }
    // A model its provider retired answers no more: said before anything is sent, with its
    // successor; a fallback chain may take over as for any model that cannot answer.
    const retired = retiredModel(routed.prefix, routed.model);
    if (retired) {
      const error = retiredModelError(name, retired);
      if (chain.canFallBack || !chain.primary) return { reason: error.code, error, notice: `${name} could not answer (${error.message}), so the next model of its fallback chain answers.` };
      yield errorPart(error);
      return null;
    }
    const lifecycle = knownLifecycle(routed.prefix, routed.model);
    // A model whose retirement day is announced: said with each answer until then.
    if (lifecycle?.lifecycle === 'deprecated' && lifecycle.retiresOn) {
      yield { type: 'notice', message: `${name} is deprecated by its provider and stops answering on ${lifecycle.retiresOn}${lifecycle.successor ? `; use ${lifecycle.successor}` : ''}.` };
    }
    const health = this.health();
    const key = healthKey(routed.route);
    // A model cooling down after repeated failures is passed over when there is another to ask;
    // with none, it is asked all the same (a hard failure helps nobody).
    let coolingUntil: Date | null = null;
    try {
      coolingUntil = health?.coolingUntil(key) ?? null;
    } catch {
      // Health is advice: a database that cannot be read shows in the steps that need it.
    }
    if (coolingUntil && chain.canFallBack) {
      return { reason: 'cooling', notice: `${name} is resting after repeated failures (until ${coolingUntil.toLocaleTimeString('en-GB')}), so the next model of its fallback chain answers.` };
    }
    // The history is fitted to the model's context window next: the system prompt and the newest
    // turns go, older messages are left out whole, room is left for the answer (core/context/).
    const window = await routed.contextWindow();
    let omittedMessages = 0;
    if (window !== null) {
      const answerRoom = request.maxTokens ?? Math.min(routed.prefix === 'local' ? 2048 : DEFAULT_MAX_TOKENS, Math.floor(window / 4));
      const fitted = fitHistory(request, window, answerRoom);
      request = fitted.request;
      omittedMessages = fitted.omittedMessages;
      // What always goes (the instructions and the newest message) may not fit either: said, since
      // Ollama cuts the start of such a prompt without a word, and others refuse it.
      if (fitted.estimatedTokens + answerRoom > window) {
        yield {
          type: 'notice',
          message: `The instructions and the newest message are about ${fitted.estimatedTokens.toLocaleString('en')} tokens, more than this model's context of ${window.toLocaleString('en')} tokens leaves room for with the answer: ${routed.prefix === 'local' ? 'Ollama will cut their start' : 'the provider may refuse them or cut the answer short'}. Shorten them, or choose a model with a larger context.`,
        };
      }
    }
    // The budget next: a cloud request's worst case is held before it may leave (core/usage/spending.ts).
    let admission: Admission;
    try {
      const admitted = this.spending.admit(request, egress, routed.policy.budget, routed.policy.endpointPrices, { keptByServer: routed.budgetKeptByServer });
      if ('code' in admitted) {
        if (!chain.primary) return { reason: 'budget', notice: `The fallback ${name} was skipped: ${admitted.message}` };
        this.record({ ...egress, ...asker, inputTokens: null, outputTokens: null, costUsd: null, outcome: 'refused', errorCode: admitted.code });
        yield errorPart(admitted);
        return null;
      }
      admission = admitted;
    } catch (error) {
      // The ledger is a database file: a full disk or a read-only folder is said as such.
      const io = typeof (error as { errcode?: unknown } | null)?.errcode === 'number' || typeof (error as NodeJS.ErrnoException | null)?.code === 'string';
      if (!io) throw error;
      const { reason, hint } = describeWriteError(error);
      yield errorPart({ code: 'file_unwritable', message: `Atelier could not write down what this answer may cost (${reason}), so nothing was sent.`, hint });
      return null;
    }
    const sent = { ...request, model: routed.model, ...(admission.maxTokens !== undefined && { maxTokens: admission.maxTokens }) };
    const providerName = PROVIDER_NAMES[routed.prefix] ?? routed.prefix;
    const retry = this.options.retry ?? DEFAULT_RETRY_POLICY;
    const provenance = { ...egress, ...(chain.fallback ?? {}), ...(window !== null && { contextTokens: window }), ...(omittedMessages > 0 && { omittedMessages }) };
    const started = Date.now();
    let end: StreamPart | null = null;
    let textLength = 0;
    let complete: EgressCompletion | null = null;
    // From here on, however the reader stops (even at the first part), the finally settles the
    // reservation and completes the record of the try under way.
    try {
      for (let attempt = 1; ; attempt++) {
        // Each try is written to the record before it leaves, and refused if it cannot be (a full
        // disk): a request that leaves is always in the record, even if Atelier is killed meanwhile.
        try {
          complete = recordBeforeSending(this.options.onEgress, { ...egress, ...asker, purpose: this.options.purpose ?? 'chat', inputTokens: null, outputTokens: null, costUsd: null, outcome: 'sent', errorCode: null });
        } catch (error) {
          if (!(error instanceof AtelierError)) throw error;
          end = errorPart(error.toPayload());
          if (attempt === 1) settle(admission, { usage: null, textLength: 0, errorCode: 'file_unwritable' });
          yield end;
          return null;
        }
        yield attempt === 1 ? { type: 'provenance', ...provenance } : { type: 'provenance', ...provenance, attempt };
        if (attempt === 1 && admission.notice) yield { type: 'notice', message: admission.notice };
        const tried = yield* streamAttempt(routed.provider, sent, signal, routed.timeouts, providerName);
        end = tried.end;
        textLength = tried.textLength;
        if (end?.type === 'finish') {
          noteHealth(health, key, null);
          // The answer's cost goes with its usage: the message, the CLI's --json and the record get
          // it. The budget is settled now, so an answer that crosses 80 % says so before it ends.
          end = { ...end, usage: { ...end.usage, costUsd: admission.cost(end.usage) } };
          const warning = settle(admission, { usage: end.usage, textLength, errorCode: null });
          if (warning) yield { type: 'notice', message: warning };
          yield end;
          return null;
        }
        if (end?.type === 'error' && end.code !== 'cancelled') noteHealth(health, key, end);
        // Tried again only before any text came (after it, the answer would repeat), for errors
        // that may pass, within the attempts and the deadline; the user's stop ends the wait at once.
        if (end?.type === 'error' && textLength === 0 && !signal.aborted) {
          const delay = isRetryable(end.code) ? nextDelay(retry, attempt, Date.now() - started, end.retryAfterMs) : null;
          if (delay !== null) {
            complete({ outcome: 'failed', errorCode: end.code, inputTokens: null, outputTokens: null, costUsd: costWithoutUsage({ textLength: 0, errorCode: end.code }) });
            complete = null;
            yield { type: 'notice', message: `${retryReason(end.message)} Trying again in ${(delay / 1000).toFixed(1)} s (try ${attempt + 1} of ${retry.maxAttempts}).` };
            if (await sleep(delay, signal)) continue;
            end = errorPart(CANCELLED_BEFORE_TEXT);
          } else if (chain.canFallBack && handsOver(end.code)) {
            // This model failed for good before any text (busy after every try, no key, no such
            // model, no credit left): the next of the chain answers instead.
            const { type: _type, retryAfterMs: _after, ...error } = end;
            return { reason: end.code, error, notice: `${name} could not answer (${retryReason(end.message)}), so the next model of its fallback chain answers.` };
          }
        }
        if (end) yield end;
        return null;
      }
    } finally {
      // Also when the reader stops early: the request left the machine all the same.
      const usage = end?.type === 'finish' ? end.usage : null;
      const errorCode = end?.type === 'error' ? end.code : null;
      const ending = { textLength, errorCode: end === null ? ('cancelled' as const) : errorCode };
      settle(admission, { usage, ...ending });
      complete?.({
        inputTokens: usage ? usage.inputTokens : null,
        outputTokens: usage ? usage.outputTokens : null,
        // Unknown unless counted, or nothing was billed (refused by the provider before any text).
        costUsd: usage ? (usage.costUsd ?? null) : costWithoutUsage(ending),
        outcome: end?.type === 'finish' ? 'completed' : end?.type === 'error' && end.code !== 'cancelled' ? 'failed' : 'cancelled',
        errorCode,
      });
    }
  }

  /** The routes' health, or null where there is none or its database cannot be opened (it is advice). */
  private health(): RouteHealthStore | null {
    try {
      return this.options.health?.() ?? null;
    } catch {
      return null;
    }
  }

  private record(entry: NewEgressEntry): void {
    try {
      this.options.onEgress?.({ ...entry, purpose: this.options.purpose ?? 'chat' });
    } catch {
      // The record must never break an answer; a failing database shows elsewhere.
    }
  }

  private provider(prefix: string, config: ProviderConfig): Provider {
    const [key, make] = providerFactory(prefix, config, { ...(this.options.fetch && { fetch: this.options.fetch }), ...(this.options.bedrock && { bedrock: this.options.bedrock }) });
    const cached = this.cache.get(prefix);
    if (cached?.key === key) return cached.provider;
    const provider = make();
    this.cache.set(prefix, { key, provider });
    return provider;
  }
}

/** A stop during the wait before a retry: no text came, so there is none to keep. */
const CANCELLED_BEFORE_TEXT = { code: CANCELLED.code, message: CANCELLED.message, hint: 'Send the message again when you want the answer.' };

/** The provider's error as the first sentence of a retry notice. */
function retryReason(message: string): string {
  const sentence = message.trim();
  // Ends a sentence: a full stop (also inside a closing quote: “… error.”); else one is added.
  return /[.!?][”"]?$/.test(sentence) ? sentence : `${sentence}.`;
}

/** How one model's turn ended: null when the stream ended there, else why the next model of the chain answers. */
type RouteOutcome = { reason: string; notice: string; error?: ErrorPayload } | null;

/**
 * Failures before any text after which the next model of a chain may answer: any, except a stop,
 * a local problem (a full disk) or a bug; refusals by the tier or the budget never get here.
 */
function handsOver(code: ErrorPayload['code']): boolean {
  return code !== 'cancelled' && code !== 'file_unwritable' && code !== 'internal_error' && code !== 'settings_unwritable';
}

/** Which model answered instead, and why (`cooling`, or the error code the first one ended with). */
type Fallback = { fallbackFrom: string; fallbackReason: string };

/** Notes a try's outcome in the routes' health (never breaking the answer). */
function noteHealth(health: RouteHealthStore | null, key: HealthKey, error: (ErrorPayload & { retryAfterMs?: number }) | null): void {
  if (!health) return;
  try {
    if (error) health.failed(key, error.code, error.retryAfterMs);
    else health.succeeded(key);
  } catch {
    // Health is advice; a database that cannot take it shows elsewhere.
  }
}

/** Settles a reservation (once); a ledger that cannot be written leaves it at its worst case. */
function settle(admission: Admission, end: AnswerEnd): string | null {
  try {
    return admission.settle(end);
  } catch {
    // The reservation stands at its worst case: the budget errs on the side of the limit.
    return null;
  }
}

