import { type ChatMessage, callLM, LM, ReAct, toolDefinition } from '@dspy-ts/core';
import { ScriptedLM, startTestServer } from '@dspy-ts/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectMcp, type McpConnection } from '../src/index.js';
import { type HttpMcpServer, startHttpMcpServer } from './servers.js';

let server: HttpMcpServer;
let crm: McpConnection;

beforeAll(async () => {
  server = await startHttpMcpServer();
  crm = await connectMcp({ url: server.url, prefix: 'crm_', include: ['lookup', 'fail', 'add'] });
});
afterAll(async () => {
  await crm?.close();
  await server?.close();
});

describe('MCP tools in an agent', () => {
  it('ReAct calls them and reads their results and errors as observations', async () => {
    const lm = new ScriptedLM([
      { nextThought: 'Find the customer.', nextToolName: 'crm_lookup', nextToolArgs: { customerId: 'c-42' } },
      { nextThought: 'Try the locked one.', nextToolName: 'crm_fail', nextToolArgs: {} },
      { nextThought: 'Done.', nextToolName: 'finish', nextToolArgs: {} },
      { reasoning: 'The lookup says pro.', answer: 'pro' },
    ]);
    const agent = new ReAct('question: string -> answer: string', { tools: crm.tools, lm });
    const pred = await agent.forward({ question: 'Which plan is customer c-42 on?' });
    expect(pred.answer).toBe('pro');
    expect(pred.trajectory.map((s) => [s.toolName, s.observation])).toEqual([
      ['crm_lookup', '{"id":"c-42","name":"Ada Lovelace","plan":"pro"}'],
      ['crm_fail', "Error: tool 'crm_fail': the MCP server 'crm' reported an error: customer 42 is locked"],
      ['finish', 'Completed.'],
    ]);
    const system = lm.requests[0]?.messages[0]?.content ?? '';
    expect(system).toContain('crm_lookup: Finds a customer by id.');
    expect(server.state.calls).toBe(2);
  });

  it('serve as native tool definitions, and run the call the model returns', async () => {
    const model = new ScriptedLM([{ toolCalls: [{ name: 'crm_add', arguments: { a: 20, b: '22' } }] }]);
    await using api = await startTestServer({ lm: model });
    const lm = new LM('openai/gpt-4o-mini', { baseURL: api.url, apiKey: 'test', cache: false });
    const messages: ChatMessage[] = [{ role: 'user', content: 'What is 20 + 22?' }];
    const res = await callLM(lm, { messages, tools: crm.tools.map(toolDefinition), toolChoice: 'auto' });
    expect(model.requests[0]?.tools?.map((t) => t.name)).toEqual(['crm_lookup', 'crm_fail', 'crm_add']);
    expect(model.requests[0]?.tools?.[2]?.parameters).toEqual(crm.tools[2]?.parameters);
    const [call] = res.toolCalls ?? [];
    expect(call?.name).toBe('crm_add');
    const tool = crm.tools.find((t) => t.name === call?.name);
    expect(await tool?.call(call?.arguments ?? {})).toBe('number 42');
  });
});
