// A main process in a child of its own, for the crash test: it sends one message through the
// real handlers and prints a line per event, until the test kills it with SIGKILL mid-stream.
//   node chat-child.js DATA_DIR MODEL TEXT   (environment: the provider fakes')
import { startMainProcess } from './main-process';

const [dataDir, model, text] = process.argv.slice(2);
if (!dataDir || !model || !text) throw new Error('usage: chat-child DATA_DIR MODEL TEXT');
const main = await startMainProcess(dataDir, ['app://atelier'], process.env);
main.forwardEvents((event, payload) => process.stdout.write(`${JSON.stringify({ event, payload })}\n`));
const result = await main.dispatch('chat:send', { conversationId: null, model, parts: [{ type: 'text', text }] }, { url: 'app://atelier/' });
process.stdout.write(`${JSON.stringify({ result })}\n`);
