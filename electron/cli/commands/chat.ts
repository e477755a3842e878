import { InvalidArgumentError, type Command } from 'commander';
import type * as z from 'zod';
import { ChatRequestSchema, type ChatRequest } from '../../../shared/chat';
import { TerminalTextFilter } from '../../../shared/terminal-text';
import { printable } from '../../../shared/text';
import { AtelierError } from '../../../shared/errors';
import { collectAnswer } from '../../core/chat/collect';
import { createRouterFor } from '../../core/chat/settings-router';
import { SecretStore } from '../../core/secrets/secret-store';
import { ProfileFixes } from '../../core/models/bedrock-profiles';
import { classroomLockFor, dataDirFor, egressRecorderFor, healthFor, ledgerFor, policyFileFor, printJson, type CliIo } from '../cli-context';
import { CliExit, EXIT_FAILED, EXIT_INTERRUPTED } from '../exit-codes';
import { openSettingsStore } from './settings';
import { assistantLibraryFor } from './assistants';
import { isRole } from '../../core/models/role-model';
import { modelForRole } from '../model-for-role';
import { effectivePolicy } from '../../core/privacy/policy';
import { applyAssistant } from '../../core/assistants/apply-assistant';
import { runToolLoop, type ToolApproval, type ToolCallRequest } from '../../core/tools/tool-loop';
import { ToolServers, toolServersInForce } from '../../core/tools/tool-servers';
import { terminalLine } from '../../../shared/terminal-text';

interface ChatOptions {
  model?: string;
  assistant?: string;
  tools?: boolean;
  allowTools?: string;
  system?: string;
  temperature?: number;
  maxTokens?: number;
  json?: boolean;
}

export function registerChatCommand(program: Command, io: CliIo): void {
  program
    .command('chat')
    .description('send one message to a model and stream the answer')
    .option('-m, --model <id>', 'provider/model, such as local/llama3.2:3b or anthropic/claude-sonnet-4-6, or a role: fast, advanced, extreme (required unless the assistant names one)')
    .option('-a, --assistant <id>', 'answer as this assistant (its instructions and preferred model; see atelier assistants list)')
    .option('--tools', 'offer the tools of the enabled tool servers (atelier mcp list); each call is asked on the terminal')
    .option('--allow-tools <servers>', 'allow these tool servers’ calls without asking (comma-separated; SERVER or SERVER/TOOL); implies --tools')
    .option('-s, --system <text>', 'a system prompt')
    .option('-t, --temperature <number>', 'randomness, 0 to 2', checked('temperature', ChatRequestSchema.shape.temperature, 'a number from 0 to 2, such as 0.7'))
    .option('--max-tokens <number>', 'the longest answer, in tokens', checked('max-tokens', ChatRequestSchema.shape.maxTokens, 'a whole number from 1 to 1000000, such as 1024'))
    .option('--json', 'print one JSON object at the end instead of streaming text')
    .argument('[prompt...]', 'the message; read from standard input when left out')
    .addHelpText(
      'after',
      '\nExamples:\n  atelier chat -m local/llama3.2:3b "Explain photosynthesis in two sentences"\n  echo "Hallo!" | atelier chat -m bedrock/eu.anthropic.claude-haiku-4-5-20251001-v1:0 --json\n  atelier chat --assistant tutor -m advanced "Wie löse ich 3x + 5 = 20?"\n',
    )
    .action(async (words: string[], options: ChatOptions) => {
      const prompt = words.length > 0 ? words.join(' ') : io.stdin.isTTY ? '' : (await io.stdin.readAll()).trim();
      if (prompt === '') {
        throw new AtelierError('invalid_request', 'There is no message to send.', 'Give it after the options, or pipe it in: echo "Hello" | atelier chat -m MODEL');
      }
      const settingsStore = await openSettingsStore(io);
      const assistant = options.assistant === undefined ? null : (await assistantLibraryFor(io)).find(options.assistant);
      // The school's assistants are found too: the library reads the same policy file as the router.
      if (options.assistant !== undefined && !assistant) {
        throw new AtelierError('invalid_request', `There is no assistant “${options.assistant}”.`, 'See the assistants there are with: atelier assistants list');
      }
      const policy = effectivePolicy(settingsStore.get().settings, policyFileFor(io).read());
      // A school's file that cannot be used is said on every chat: what it meant to allow is unknown.
      if (policy.problem) io.stderr(`Note: ${policy.problem}\n`);
      // Where the school allows only its assistants, a chat without one is refused first (not asked for a model).
      if (!assistant && policy.assistantsOnly) applyAssistant({ model: 'local/x', messages: [{ role: 'user', content: prompt }] }, policy, undefined);
      const wanted = options.model ?? assistant?.model ?? null;
      if (wanted === null) {
        throw new AtelierError(
          'invalid_request',
          assistant ? `The assistant “${assistant.name}” names no model, so one is needed.` : 'Which model should answer?',
          'Give one with -m, such as -m local/llama3.2:3b, or a role: -m fast, -m advanced, -m extreme.',
        );
      }
      const model = isRole(wanted) ? await modelForRole(io, wanted, settingsStore) : wanted;
      const request: ChatRequest = {
        model,
        messages: [{ role: 'user', content: prompt }],
        ...(assistant && { assistant: assistant.id }),
        ...(options.system !== undefined && { system: options.system }),
        ...(options.temperature !== undefined && { temperature: options.temperature }),
        ...(options.maxTokens !== undefined && { maxTokens: options.maxTokens }),
      };
      const router = createRouterFor(settingsStore, io.env, SecretStore.fromEnvironment(io.env), {
        bedrock: { profileFixes: await ProfileFixes.open(dataDirFor(io)) },
        onEgress: egressRecorderFor(io),
        ledger: ledgerFor(io),
        health: healthFor(io),
        askOllamaLimits: false,
        policyFile: policyFileFor(io),
        assistants: (id) => (id === assistant?.id ? assistant : null),
      });
      // A bad id fails here, before any network I/O; one the assistant names says so.
      const { prefix } = await router.resolve(request.model).catch((error: unknown) => {
        if (!(error instanceof AtelierError) || options.model !== undefined || !assistant) throw error;
        throw new AtelierError(error.code, `The assistant “${assistant.name}” names a model that cannot be used: ${error.message}`, `Give another with -m, or change the assistant's: atelier assistants edit ${assistant.id} -m MODEL_OR_ROLE`);
      });

      const controller = new AbortController();
      const stopListening = io.onInterrupt(() => controller.abort());
      let endsWithNewline = true;
      // The answer is the model's text: escape sequences in it (a window title, colours, OSC 52
      // clipboard writes) are dropped, even when one is split across two deltas.
      const terminalSafe = new TerminalTextFilter();
      const useTools = options.tools === true || options.allowTools !== undefined;
      const toolServers = useTools
        ? new ToolServers({
            servers: () => toolServersInForce(settingsStore.get().settings.mcp.servers, effectivePolicy(settingsStore.get().settings, policyFileFor(io).read())).filter((server) => server.enabled),
            policy: () => effectivePolicy(settingsStore.get().settings, policyFileFor(io).read()),
            env: io.env,
            secrets: SecretStore.fromEnvironment(io.env),
            onEgress: egressRecorderFor(io),
            lockForbids: () => classroomLockFor(io).pins()?.forbidTools ?? null,
          })
        : null;
      const preApproved = new Set((options.allowTools ?? '').split(',').map((name) => name.trim()).filter(Boolean));
      // One entry per call the model made, by its id; filled in when its result comes.
      const toolLog: { id: string; server: string; tool: string; args: Record<string, unknown>; result: string | null; isError: boolean; allowed: boolean }[] = [];
      const denied = new Set<string>();
      const approve = async (call: ToolCallRequest): Promise<ToolApproval> => {
        if (preApproved.has(call.server) || preApproved.has(`${call.server}/${call.tool}`)) return 'once';
        const question = `Tool call: ${call.server}/${call.tool} ${terminalLine(JSON.stringify(call.args), 300)}\nAllow? [y] once, [a] for this chat, [n] no: `;
        const answer = (await io.ask?.(question))?.trim().toLowerCase() ?? null;
        if (answer === null) {
          io.stderr(`Note: the tool call ${call.server}/${call.tool} was not allowed: there is no terminal to ask. Allow it with --allow-tools ${call.server}\n`);
        }
        const decision: ToolApproval = answer === 'y' || answer === 'yes' || answer === 'j' || answer === 'ja' ? 'once' : answer === 'a' || answer === 'always' ? 'conversation' : 'deny';
        if (decision === 'deny') denied.add(JSON.stringify([call.server, call.tool, call.args]));
        return decision;
      };
      const parts = toolServers
        ? runToolLoop(request, { router, servers: toolServers, serverNames: toolServersInForce(settingsStore.get().settings.mcp.servers, policy).filter((server) => server.enabled).map((server) => server.name), approve, signal: controller.signal })
        : router.stream(request, controller.signal);
      const answer = await collectAnswer(parts, (part) => {
        if (part.type === 'tool-call') {
          const [server = '', tool = part.name] = part.name.split('__');
          toolLog.push({ id: part.id, server, tool, args: part.args, result: null, isError: false, allowed: true });
          return;
        }
        if (part.type === 'tool-result') {
          const entry = toolLog.find((candidate) => candidate.id === part.id && candidate.result === null);
          if (entry) {
            Object.assign(entry, { result: part.text, isError: part.isError });
            if (part.isError && denied.has(JSON.stringify([entry.server, entry.tool, entry.args]))) entry.allowed = false;
          }
          if (!options.json) io.stderr(`Tool ${part.isError ? 'failed' : 'result'}: ${terminalLine(part.text, 300)}\n`);
          return;
        }
        if (options.json) return;
        if (part.type === 'text-delta') {
          const text = terminalSafe.push(part.text);
          if (text === '') return;
          io.stdout(text);
          endsWithNewline = text.endsWith('\n');
        } else if (part.type === 'notice') {
          io.stderr(`Note: ${part.message}\n`);
        }
      }).finally(async () => {
        stopListening();
        await toolServers?.closeAll();
      });

      if (options.json) {
        printJson(
          io,
          answer.error
            ? {
                error: answer.error,
                ...(answer.text !== '' && { text: answer.text }),
                costUsd: null,
                attempts: answer.attempts,
                ...(answer.provenance && { provenance: answer.provenance }),
                ...(answer.notices.length > 0 && { notices: answer.notices }),
              }
            : {
                text: answer.text,
                // The model that answered: a fallback's when one did (the provenance says which was asked for).
                model: answer.provenance?.fallbackFrom ? `${answer.provenance.provider}/${answer.provenance.modelId}` : request.model,
                ...(assistant && { assistant: assistant.id }),
                provider: answer.provenance?.provider ?? prefix,
                usage: answer.finish?.usage ?? { inputTokens: null, outputTokens: null },
                costUsd: answer.finish?.usage.costUsd ?? null,
                finishReason: answer.finish?.reason.unified ?? null,
                ttftMs: answer.ttftMs === null ? null : round(answer.ttftMs),
                latencyMs: round(answer.latencyMs),
                attempts: answer.attempts,
                // The model's context window as used, and earlier messages left out to fit it.
                contextTokens: answer.provenance?.contextTokens ?? null,
                omittedMessages: answer.provenance?.omittedMessages ?? 0,
                provenance: answer.provenance,
                ...(answer.notices.length > 0 && { notices: answer.notices }),
                ...(useTools && { toolCalls: toolLog }),
              },
        );
      } else if (!endsWithNewline) {
        io.stdout('\n');
      }
      if (answer.error) {
        if (!options.json) {
          io.stderr(`Error: ${answer.error.message}\n`);
          if (answer.error.hint) io.stderr(`Hint: ${answer.error.hint}\n`);
        }
        throw new CliExit(answer.error.code === 'cancelled' ? EXIT_INTERRUPTED : EXIT_FAILED);
      }
    });
}

/** A numeric option checked against the same schema the app's requests are: one rule for both. */
function checked(name: string, schema: z.ZodType, valid: string) {
  return (value: string): number => {
    const parsed = Number(value);
    if (value.trim() === '' || !Number.isFinite(parsed) || !schema.safeParse(parsed).success) {
      throw new InvalidArgumentError(`--${name} must be ${valid}, not "${printable(value, 40)}".`);
    }
    return parsed;
  };
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
