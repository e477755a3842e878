// A small MCP server for the tests, built with the official SDK (the same as Atelier's client).
// Over stdio when run as a program (`node test/fakes/mcp-test-server.mjs`); createToolServer() is
// also used in-process behind Streamable HTTP. Plain JavaScript: the tests start it as a child
// process, as Atelier starts any local server.
import { McpServer } from '@modelcontextprotocol/server';
import * as z from 'zod';

export function createToolServer() {
  const server = new McpServer({ name: 'atelier-test-tools', version: '1.0.0' });
  server.registerTool('echo', { description: 'Says back what it is given.', inputSchema: z.object({ text: z.string() }) }, async ({ text }) => ({ content: [{ type: 'text', text }] }));
  server.registerTool('add', { title: 'Add two numbers', description: 'Adds a and b.', inputSchema: z.object({ a: z.number(), b: z.number() }) }, async ({ a, b }) => ({
    content: [{ type: 'text', text: String(a + b) }],
  }));
  server.registerTool('fail', { description: 'Always fails.', inputSchema: z.object({}) }, async () => ({ content: [{ type: 'text', text: 'The wiki is down.' }], isError: true }));
  server.registerTool(
    'slow',
    { description: 'Takes its time, reporting progress every 50 ms.', inputSchema: z.object({ steps: z.number().int() }) },
    async ({ steps }, ctx) => {
      const token = ctx.mcpReq._meta?.progressToken;
      for (let step = 1; step <= steps; step++) {
        if (ctx.mcpReq.signal.aborted) return { content: [{ type: 'text', text: 'stopped' }] };
        await new Promise((done) => setTimeout(done, 50));
        if (token !== undefined) await ctx.mcpReq.notify({ method: 'notifications/progress', params: { progressToken: token, progress: step, total: steps, message: `step ${step}` } });
      }
      return { content: [{ type: 'text', text: `done after ${steps} steps` }] };
    },
  );
  server.registerTool('env', { description: 'Says what WIKI_TOKEN and ANTHROPIC_API_KEY are set to.', inputSchema: z.object({}) }, async () => ({
    content: [{ type: 'text', text: `WIKI_TOKEN=${process.env.WIKI_TOKEN ?? ''} ANTHROPIC_API_KEY=${process.env.ANTHROPIC_API_KEY ?? ''}` }],
  }));
  return server;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { StdioServerTransport } = await import('@modelcontextprotocol/server/stdio');
  process.stderr.write('atelier-test-tools: ready\n');
  await createToolServer().connect(new StdioServerTransport());
}
