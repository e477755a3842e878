import type { Ollama, ShowResponse } from 'ollama';
import type { ErrorPayload } from '../../../shared/errors';
import { AtelierError } from '../../../shared/errors';
import type { ModelFit } from '../../../shared/hardware';
import type { InstalledModel, OllamaStatus, PullProgress } from '../../../shared/ollama';
import type { OllamaConfig } from '../config/provider-config';
import { chooseNumCtx } from '../hardware/context-size';
import { estimateFit } from '../hardware/hardware-matrix';
import type { ModelShape } from '../hardware/ollama-models';
import { CANCELLED, errorForNetwork, isAbortError, type ErrorContext } from '../providers/provider-errors';
import { mapOllamaError } from '../providers/ollama-errors';
import { ollamaFetch } from '../providers/ollama-fetch';
import { recordBeforeSending, type EgressRecorder, type NewEgressEntry } from '../privacy/egress-log';
import { policyDenial, tierAllows, type PrivacyPolicy } from '../privacy/policy';
import { isLoopbackHost, ollamaRoute } from '../privacy/route';
import { findOllamaBinary } from './find-ollama';

/** The machine a fit badge is judged against. */
export interface MachineMemory {
  usableVramBytes: number;
  ramBytes: number;
}

export interface OllamaServiceOptions {
  /** The privacy rules, read for every call: an Ollama host the tier does not allow is never contacted. */
  policy: () => PrivacyPolicy | Promise<PrivacyPolicy>;
  /** The egress record: calls that leave this computer, and refusals (status checks excepted). */
  onEgress?: EgressRecorder;
  fetch?: typeof fetch;
}

/**
 * Managing the local Ollama: is it running, which models are installed (with size, fit and
 * whether loaded), pulling with progress (cancel, and resume by pulling again: Ollama keeps the
 * partial download), deleting, and preloading a model so the first answer is not a cold start.
 */
export class OllamaService {
  constructor(
    private readonly config: () => OllamaConfig,
    private readonly options: OllamaServiceOptions,
  ) {}

  /** An ollama-js client; the package loads on the first call, not when Atelier starts. */
  private async client(signal?: AbortSignal): Promise<Ollama> {
    const fetchImpl = this.options.fetch ?? fetch;
    const { Ollama } = await import('ollama');
    return new Ollama({
      host: this.config().host,
      fetch: ollamaFetch(fetchImpl, signal),
    });
  }

  private context(model = ''): ErrorContext {
    return { provider: 'Ollama', model, address: this.config().host, secrets: [], call: 'other' };
  }

  async status(): Promise<OllamaStatus> {
    const { host, hostSource } = this.config();
    // A status check is a ping, polled by the UI: checked against the tier, but not recorded.
    const admitted = await this.admit('', false);
    if (!admitted.ok) return { running: false, version: null, host, hostSource, problem: admitted.error.toPayload() };
    try {
      const { version } = await (await this.client(AbortSignal.timeout(3000))).version();
      return { running: true, version, host, hostSource, problem: null };
    } catch (error) {
      return { running: false, version: null, host, hostSource, problem: await this.notRunning(error) };
    }
  }

  /** Not running, or not even installed? On this machine we can tell; on another host we cannot. */
  private async notRunning(error: unknown): Promise<ErrorPayload> {
    // Something answered with an HTTP status (a proxy that refused access, say): it is there.
    if (typeof (error as { status_code?: unknown } | null)?.status_code === 'number') return mapOllamaError(error, this.context());
    const host = this.config().host;
    const local = /^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])(:|\/|$)/.test(host);
    if (local && (await findOllamaBinary()) === null) {
      return {
        code: 'provider_unreachable',
        message: 'Ollama is not installed on this computer.',
        hint: 'Install it from https://ollama.com/download, start it, then come back here.',
      };
    }
    return (
      errorForNetwork(error, this.context(), local ? 'Start Ollama (open the Ollama app, or run "ollama serve").' : `Check that Ollama runs on ${host} and accepts connections from this computer.`) ??
      mapOllamaError(error, this.context())
    );
  }

  /**
   * Installed models, largest first, each with the num_ctx Atelier sends it on `machine` (fixed
   * in settings, or chosen from the machine's GPU memory) and its fit at that size.
   */
  async list(machine: MachineMemory): Promise<InstalledModel[]> {
    return this.send('', () => this.listOn(machine));
  }

  private async listOn(machine: MachineMemory): Promise<InstalledModel[]> {
    const client = await this.client(AbortSignal.timeout(10_000));
    try {
      const [{ models }, running] = await Promise.all([client.list(), client.ps().catch(() => ({ models: [] }))]);
      const loaded = new Set(running.models.map((model) => model.name));
      const fixed = this.config().numCtx;
      const listed = await Promise.all(
        models.map(async (model): Promise<InstalledModel> => {
          const shape = await client
            .show({ model: model.name })
            .then((show) => shapeFromShow(show, model.size))
            .catch(() => null);
          const context = chooseNumCtx({ model: model.name, fixed, vramBytes: machine.usableVramBytes });
          const estimate: { fit: ModelFit; requiredBytes: number } | null = shape ? estimateFit(shape, context.numCtx, machine.usableVramBytes, machine.ramBytes) : null;
          return {
            name: model.name,
            sizeBytes: model.size,
            modifiedAt: new Date(model.modified_at).toISOString(),
            parameterSize: model.details?.parameter_size ?? null,
            quantization: model.details?.quantization_level ?? null,
            loaded: loaded.has(model.name),
            fit: estimate?.fit ?? null,
            requiredBytes: estimate?.requiredBytes ?? null,
            numCtx: context.numCtx,
            numCtxReason: context.reason,
          };
        }),
      );
      return listed.sort((a, b) => b.sizeBytes - a.sizeBytes);
    } catch (error) {
      throw this.failure(error, '');
    }
  }

  /**
   * Pulls a model, reporting progress as bytes over all layers, percent and speed. Abort to
   * cancel; pulling again resumes, because Ollama keeps what it had downloaded.
   */
  async pull(model: string, onProgress: (progress: PullProgress) => void, signal: AbortSignal): Promise<void> {
    return this.send(model, () => this.pullFrom(model, onProgress, signal));
  }

  private async pullFrom(model: string, onProgress: (progress: PullProgress) => void, signal: AbortSignal): Promise<void> {
    const layers = new Map<string, { total: number; completed: number }>();
    const speed = new SpeedMeter();
    try {
      const stream = await (await this.client(signal)).pull({ model, stream: true });
      for await (const part of stream) {
        if (part.digest && part.total) layers.set(part.digest, { total: part.total, completed: part.completed ?? 0 });
        let totalBytes = 0;
        let completedBytes = 0;
        for (const layer of layers.values()) {
          totalBytes += layer.total;
          completedBytes += layer.completed;
        }
        onProgress({
          model,
          status: part.status,
          completedBytes,
          totalBytes,
          percent: totalBytes > 0 ? Math.min(100, Math.round((completedBytes / totalBytes) * 1000) / 10) : null,
          bytesPerSecond: speed.update(completedBytes),
          done: part.status === 'success',
        });
      }
    } catch (error) {
      if (signal.aborted || isAbortError(error)) throw new AtelierError(CANCELLED.code, `The download of ${model} was stopped.`, 'Pull it again to continue where it stopped.');
      throw this.failure(error, model);
    }
  }

  async delete(model: string): Promise<void> {
    return this.send(model, () => this.deleteFrom(model));
  }

  private async deleteFrom(model: string): Promise<void> {
    try {
      await (await this.client(AbortSignal.timeout(30_000))).delete({ model });
    } catch (error) {
      throw this.failure(error, model);
    }
  }

  /** Loads a model into memory now (an empty generate request), so the first answer comes fast. */
  async preload(model: string): Promise<void> {
    return this.send(model, () => this.preloadOn(model));
  }

  private async preloadOn(model: string): Promise<void> {
    try {
      await (await this.client(AbortSignal.timeout(5 * 60_000))).generate({ model, prompt: '', keep_alive: this.config().keepAlive, stream: false });
    } catch (error) {
      throw this.failure(error, model);
    }
  }

  /**
   * The privacy check before any call: the configured host must be one the tier allows (this
   * computer, or a server the school's policy names). A refusal is recorded when `record` is set.
   */
  private async admit(model: string, record: boolean): Promise<{ ok: true; entry: NewEgressEntry } | { ok: false; error: AtelierError }> {
    const { hostProblem } = this.config();
    if (hostProblem) {
      return { ok: false, error: new AtelierError('invalid_request', `${hostProblem} Nothing was sent.`, 'Set an address such as http://127.0.0.1:11434 (atelier config set ollama.host …, or Settings → Ollama), or unset OLLAMA_HOST.') };
    }
    const policy = await this.options.policy();
    const route = ollamaRoute(this.config().host, policy, model);
    const entry: NewEgressEntry = { purpose: 'model-management', tier: policy.tier, ...route, inputTokens: null, outputTokens: null, outcome: 'completed', errorCode: null };
    if (tierAllows(policy.tier, route.routeClass)) return { ok: true, entry };
    if (record) this.record({ ...entry, outcome: 'refused', errorCode: 'policy_denied' });
    const denial = policyDenial(route, policy);
    return { ok: false, error: new AtelierError(denial.code, denial.message, denial.hint) };
  }

  /** Runs a call the tier allows; one that leaves this computer (a school's server) is recorded. */
  private async send<T>(model: string, call: () => Promise<T>): Promise<T> {
    const admitted = await this.admit(model, true);
    if (!admitted.ok) throw admitted.error;
    // A call to a server that is not this computer is recorded before it leaves (or not made).
    const complete = isLoopbackHost(admitted.entry.host) ? null : recordBeforeSending(this.options.onEgress, admitted.entry);
    try {
      const result = await call();
      complete?.({ outcome: 'completed', errorCode: null, inputTokens: null, outputTokens: null });
      return result;
    } catch (error) {
      const code = error instanceof AtelierError ? error.code : 'internal_error';
      complete?.({ outcome: code === 'cancelled' ? 'cancelled' : 'failed', errorCode: code, inputTokens: null, outputTokens: null });
      throw error;
    }
  }

  private record(entry: NewEgressEntry): void {
    try {
      this.options.onEgress?.(entry);
    } catch {
      // The record must never break the call; a failing database shows elsewhere.
    }
  }

  private failure(error: unknown, model: string): AtelierError {
    const payload = mapOllamaError(error, this.context(model));
    if (/file does not exist|manifest/i.test(error instanceof Error ? error.message : '')) {
      return new AtelierError('model_not_found', `Ollama’s library has no model called “${model}”.`, 'Check the name on https://ollama.com/library (for example llama3.2:3b).');
    }
    if (/not found/i.test(payload.message) && payload.code !== 'provider_unreachable') {
      return new AtelierError('model_not_found', `The model “${model}” is not installed.`, 'Run "atelier ollama list" to see the installed models.');
    }
    return new AtelierError(payload.code, payload.message, payload.hint);
  }
}

/** The architecture numbers of an installed model, from /api/show's GGUF metadata. */
export function shapeFromShow(show: ShowResponse, sizeBytes: number): ModelShape | null {
  const info = show.model_info instanceof Map ? Object.fromEntries(show.model_info) : (show.model_info as unknown as Record<string, unknown>);
  const arch = info['general.architecture'];
  if (typeof arch !== 'string') return null;
  const number = (key: string) => (typeof info[`${arch}.${key}`] === 'number' ? (info[`${arch}.${key}`] as number) : null);
  const layers = number('block_count');
  const heads = number('attention.head_count');
  const kvHeads = number('attention.head_count_kv') ?? heads;
  const headDim = number('attention.key_length') ?? (number('embedding_length') && heads ? number('embedding_length')! / heads : null);
  if (!layers || !kvHeads || !headDim) return null;
  return { sizeBytes, layers, kvHeads, headDim };
}

/** Download speed over the last few seconds, so the number does not jump with every line. */
class SpeedMeter {
  private samples: { at: number; bytes: number }[] = [];

  update(bytes: number): number | null {
    const now = performance.now();
    this.samples.push({ at: now, bytes });
    while (this.samples.length > 2 && now - (this.samples[0]?.at ?? now) > 3000) this.samples.shift();
    const first = this.samples[0];
    if (!first || now - first.at < 200) return null;
    return Math.max(0, Math.round(((bytes - first.bytes) * 1000) / (now - first.at)));
  }
}
