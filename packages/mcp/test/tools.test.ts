import { DspyError, isDspyError, registerManifest, withSettings } from '@dspy-ts/core';
import { clearManifests } from '@dspy-ts/core/internal';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectMcp, type McpConnection, type McpTool, mcpTools } from '../src/index.js';
import { type HttpMcpServer, STDIO_SERVER, startHttpMcpServer } from './servers.js';

let stdio: McpConnection;
let http: HttpMcpServer;

beforeAll(async () => {
  [stdio, http] = await Promise.all([connectMcp({ ...STDIO_SERVER, prefix: 'crm.' }), startHttpMcpServer()]);
});
afterAll(async () => {
  await Promise.all([stdio?.close(), http?.close()]);
});

function named(tools: readonly McpTool[], name: string): McpTool {
  const found = tools.find((t) => t.name === name);
  if (!found) throw new Error(`no tool ${name} among ${tools.map((t) => t.name).join(', ')}`);
  return found;
}

async function failure(promise: Promise<unknown>): Promise<DspyError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof DspyError)) throw new Error(`expected a DspyError, got ${String(err)}`);
  return err;
}

describe('listing', () => {
  it('follows every page of tools/list, prefixing names and keeping the server names for the call', () => {
    expect(stdio.tools.map((t) => t.name)).toEqual([
      'crm.lookup',
      'crm.echo',
      'crm.fail',
      'crm.slow',
      'crm.add',
      'crm.calls',
      'crm.get_weather_now',
    ]);
    expect(stdio.tools.map((t) => t.mcpName).at(-1)).toBe('get weather/now');
    expect(stdio.tools.every((t) => t.server === 'crm')).toBe(true);
  });

  it('takes description, inputSchema and params from the listing', () => {
    const lookup = named(stdio.tools, 'crm.lookup');
    expect(lookup.description).toBe('Finds a customer by id.');
    expect(lookup.parameters).toEqual({
      type: 'object',
      properties: { customerId: { type: 'string' }, verbose: { type: 'boolean' } },
      required: ['customerId'],
    });
    expect(lookup.params).toEqual(['customerId', 'verbose']);
  });

  it("keeps the server's schema when the app's build step has a tool of the same name", async () => {
    registerManifest({
      version: 1,
      sourceHashes: {},
      signatures: {},
      tools: {
        lookup: {
          name: 'lookup',
          toolName: 'lookup',
          location: 'src/tools.ts:1:1',
          description: 'A local lookup.',
          params: ['id'],
          parameters: { type: 'object', properties: { id: { type: 'number' } }, required: ['id'] },
        },
      },
    });
    try {
      const [lookup] = await mcpTools(stdio.client, { include: ['lookup'] });
      expect(lookup?.description).toBe('Finds a customer by id.');
      expect(lookup?.params).toEqual(['customerId', 'verbose']);
      expect(await lookup?.call({ customerId: 'c-3' })).toMatchObject({ id: 'c-3' });
    } finally {
      clearManifests();
    }
  });

  it('keeps only the tools an include list or function names', async () => {
    const listed = await mcpTools(stdio.client, { include: ['add', 'lookup'] });
    expect(listed.map((t) => t.name)).toEqual(['lookup', 'add']);
    const byTest = await mcpTools(stdio.client, { include: (t) => t.name.startsWith('get') });
    expect(byTest.map((t) => t.name)).toEqual(['get_weather_now']);
  });

  it('refuses an include list naming a tool the server does not have, listing the ones it has', async () => {
    const err = await failure(mcpTools(stdio.client, { include: ['lookpu'] }));
    expect(err.code).toBe('OPTION_INVALID');
    expect(err.message).toContain("'lookpu'");
    expect(err.details.fix).toContain('lookup, echo, fail');
  });

  it('refuses a timeoutMs that is not a positive number of milliseconds', async () => {
    for (const timeoutMs of [0, -5, Number.NaN, '100']) {
      const err = await failure(mcpTools(stdio.client, { timeoutMs } as never));
      expect(err.code).toBe('OPTION_INVALID');
      expect(err.message).toContain('timeoutMs must be a positive number of milliseconds');
    }
  });

  it('refuses an unknown option with the nearest known one', async () => {
    const err = await failure(mcpTools(stdio.client, { timeout: 5 } as never));
    expect(err.code).toBe('OPTION_INVALID');
    expect(err.message).toContain("did you mean 'timeoutMs'");
  });
});

describe('calling', () => {
  it('gives structuredContent as the value when the server sends it', async () => {
    const value = await named(stdio.tools, 'crm.lookup').call({ customerId: 'c-7', verbose: 'true' });
    expect(value).toEqual({ id: 'c-7', name: 'Ada Lovelace', plan: 'pro', since: 2019 });
  });

  it('joins text content and summarises images and resources', async () => {
    const value = await named(stdio.tools, 'crm.echo').call({ text: 'hi' });
    expect(value).toBe('echo: hi\n<image: image/png, 32 bytes>\n<resource: note://1, text/plain>\na note');
  });

  it('calls a renamed tool by its server name', async () => {
    expect(await named(stdio.tools, 'crm.get_weather_now').call({})).toBe('sunny');
  });

  it('turns an error result into TOOL_ERROR carrying the server text', async () => {
    const err = await failure(named(stdio.tools, 'crm.fail').call({}));
    expect(err.code).toBe('TOOL_ERROR');
    expect(err.message.split('\n')[0]).toBe(
      "tool 'crm.fail': the MCP server 'crm' reported an error: customer 42 is locked",
    );
    expect(err.details).toMatchObject({ tool: 'crm.fail', mcpTool: 'fail', server: 'crm' });
  });

  it('gives the structured content of an error result that has no text', async () => {
    const err = await failure(named(stdio.tools, 'crm.fail').call({ structured: true }));
    expect(err.message.split('\n')[0]).toBe(
      `tool 'crm.fail': the MCP server 'crm' reported an error: {"error":"locked","customer":42}`,
    );
  });

  it('coerces arguments to the schema as core tools do', async () => {
    expect(await named(stdio.tools, 'crm.add').call({ a: '2', b: 3 })).toBe('number 5');
  });

  it('checks arguments against the inputSchema before calling the server', async () => {
    const calls = named(stdio.tools, 'crm.calls');
    const before = Number(await calls.call({}));
    const missing = await failure(named(stdio.tools, 'crm.lookup').call({ verbose: true }));
    expect(missing.code).toBe('TOOL_ERROR');
    expect(missing.message).toContain("tool 'crm.lookup': invalid arguments");
    expect(missing.message).toContain('customerId');
    const wrong = await failure(named(stdio.tools, 'crm.add').call({ a: 'two', b: 3 }));
    expect(wrong.message).toContain("argument 'a'");
    // Only the second `calls` reached the server since the first.
    expect(Number(await calls.call({}))).toBe(before + 1);
  });

  it('ends a call that outlasts timeoutMs with TOOL_ERROR', async () => {
    const [slow] = await mcpTools(stdio.client, { include: ['slow'], timeoutMs: 100 });
    const err = await failure(slow!.call({ ms: 20_000 }));
    expect(err.code).toBe('TOOL_ERROR');
    expect(err.message).toContain("the MCP server 'crm' did not answer within 100 ms");
    expect(err.details.fix).toContain('timeoutMs');
  });

  it('emits toolStart and toolEnd as core tools do', async () => {
    const events: string[] = [];
    const callbacks = [
      {
        onToolStart: (e: { tool: string }) => events.push(`start ${e.tool}`),
        onToolEnd: (e: { tool: string; result?: unknown; error?: unknown }) =>
          events.push(`end ${e.tool} ${isDspyError(e.error) ? e.error.code : String(e.result)}`),
      },
    ];
    await withSettings({ callbacks }, async () => {
      await named(stdio.tools, 'crm.get_weather_now').call({});
      await named(stdio.tools, 'crm.fail')
        .call({})
        .catch(() => {});
    });
    expect(events).toEqual([
      'start crm.get_weather_now',
      'end crm.get_weather_now sunny',
      'start crm.fail',
      'end crm.fail TOOL_ERROR',
    ]);
  });
});

describe('mcpTools over streamable HTTP', () => {
  it('lists and calls the tools of a client the app connected itself', async () => {
    const client = new Client({ name: 'test', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(http.url)));
    try {
      const tools = await mcpTools(client, { prefix: 'crm_' });
      expect(tools).toHaveLength(7);
      expect(await named(tools, 'crm_lookup').call({ customerId: 'c-1' })).toEqual({
        id: 'c-1',
        name: 'Ada Lovelace',
        plan: 'pro',
      });
      const err = await failure(named(tools, 'crm_fail').call({}));
      expect(err.message).toContain('customer 42 is locked');
    } finally {
      await client.close();
    }
  });
});
