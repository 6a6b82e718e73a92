import { createServer } from 'node:net';
import { DspyError, silentLogger, withSettings } from '@dspy-ts/core';
import type { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { describe, expect, it } from 'vitest';
import { connectMcp, type McpConnection } from '../src/index.js';
import { STDIO_SERVER, startHttpMcpServer } from './servers.js';

const TOKEN = 'crm-secret-7f3a9c';

async function failure(promise: Promise<unknown>): Promise<DspyError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof DspyError)) throw new Error(`expected a DspyError, got ${String(err)}`);
  return err;
}

/** Everything an error shows: message, details and the cause chain. */
function shown(err: DspyError): string {
  let text = `${err.message}\n${JSON.stringify(err.details)}`;
  for (let c: unknown = err.cause; c instanceof Error; c = c.cause) text += `\n${c.message}\n${c.stack}`;
  return text;
}

function pidOf(mcp: McpConnection): number {
  const pid = (mcp.client.transport as StdioClientTransport | undefined)?.pid;
  if (typeof pid !== 'number') throw new Error('no stdio child process');
  return pid;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Resolves once `done()` holds (checked every 10 ms). */
async function waitFor(done: () => boolean): Promise<void> {
  while (!done()) await new Promise((resolve) => setTimeout(resolve, 10));
}

/** A loopback port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('connectMcp over stdio', () => {
  it('close() ends the server process, and a call after it is a TOOL_ERROR', async () => {
    const mcp = await connectMcp(STDIO_SERVER);
    const pid = pidOf(mcp);
    expect(alive(pid)).toBe(true);
    await mcp.close();
    await mcp.close();
    expect(alive(pid)).toBe(false);
    const err = await failure(mcp.tools[0]!.call({ customerId: 'c-1' }));
    expect(err.code).toBe('TOOL_ERROR');
    expect(err.message).toContain("not connected to the MCP server 'crm'");
  });

  it('is an await using resource that ends the process at scope end', async () => {
    let pid = 0;
    {
      await using mcp = await connectMcp(STDIO_SERVER);
      pid = pidOf(mcp);
      expect(await mcp.tools.find((t) => t.name === 'get_weather_now')!.call({})).toBe('sunny');
    }
    expect(alive(pid)).toBe(false);
  });

  it('turns a server killed mid-call into a TOOL_ERROR, not a hang', async () => {
    await using mcp = await connectMcp(STDIO_SERVER);
    const slow = mcp.tools.find((t) => t.name === 'slow')!;
    const pending = slow.call({ ms: 60_000 });
    process.kill(pidOf(mcp), 'SIGKILL');
    const err = await failure(pending);
    expect(err.code).toBe('TOOL_ERROR');
    expect(err.message).toContain("tool 'slow': the MCP server 'crm' closed the connection during the call");
  });

  it('says a command that does not exist was not found', async () => {
    const err = await failure(connectMcp({ command: 'dspy-ts-no-such-mcp-server', args: ['--stdio'] }));
    expect(err.code).toBe('TOOL_ERROR');
    expect(err.message).toContain("MCP server 'dspy-ts-no-such-mcp-server': the command was not found");
    expect(err.details.fix).toContain('full path');
  });

  it('says a server exited while connecting, shows its stderr, and never shows env values', async () => {
    const err = await withSettings({ logger: silentLogger }, () =>
      failure(connectMcp({ ...STDIO_SERVER, env: { CRM_FAIL_AT_START: '1', CRM_TOKEN: TOKEN } })),
    );
    expect(err.code).toBe('TOOL_ERROR');
    expect(err.message).toContain(
      'the server exited (or closed the connection) before it finished connecting',
    );
    expect(err.message).toContain('crm: cannot start: token *** rejected');
    expect(shown(err)).not.toContain(TOKEN);
  });

  it('refuses options that are neither stdio nor HTTP, or both', async () => {
    expect((await failure(connectMcp({} as never))).code).toBe('OPTION_INVALID');
    const both = await failure(connectMcp({ command: 'node', url: 'http://127.0.0.1:1/mcp' } as never));
    expect(both.message).toContain('either command (stdio) or url (HTTP)');
    const typo = await failure(connectMcp({ ...STDIO_SERVER, arg: [] } as never));
    expect(typo.message).toContain("unknown option 'arg' (did you mean 'args'?)");
  });
});

describe('connectMcp over streamable HTTP', () => {
  it('connects with headers, lists and calls the tools', async () => {
    const server = await startHttpMcpServer({ token: TOKEN });
    try {
      await using mcp = await connectMcp({
        url: server.url,
        headers: { Authorization: `Bearer ${TOKEN}` },
        include: ['lookup'],
      });
      expect(mcp.tools.map((t) => t.name)).toEqual(['lookup']);
      expect(await mcp.tools[0]!.call({ customerId: 'c-9' })).toMatchObject({ id: 'c-9' });
      expect(server.state.calls).toBe(1);
    } finally {
      await server.close();
    }
  });

  it('turns a server that stops mid-call into a TOOL_ERROR, not a wait for the time limit', async () => {
    const server = await startHttpMcpServer();
    await using mcp = await connectMcp({ url: server.url });
    const slow = mcp.tools.find((t) => t.name === 'slow')!;
    const pending = slow.call({ ms: 60_000 });
    await waitFor(() => server.state.calls === 1);
    await server.close();
    const err = await failure(pending);
    expect(err.code).toBe('TOOL_ERROR');
    expect(err.message).toContain("tool 'slow': the MCP server 'crm' closed the connection during the call");
  });

  it('says the server refused the credentials on 401, without showing them', async () => {
    const server = await startHttpMcpServer({ token: TOKEN });
    try {
      const err = await failure(
        connectMcp({ url: server.url, headers: { Authorization: 'Bearer wrong-token-123' } }),
      );
      expect(err.code).toBe('TOOL_ERROR');
      expect(err.message).toContain('the server refused the credentials (HTTP 401)');
      expect(err.details).toMatchObject({ status: 401, transport: 'http' });
      expect(shown(err)).not.toContain('wrong-token-123');
    } finally {
      await server.close();
    }
  });

  it('says a refused connection could not reach the server', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/mcp`;
    const err = await failure(connectMcp({ url, headers: { 'X-Api-Key': TOKEN } }));
    expect(err.code).toBe('TOOL_ERROR');
    expect(err.message).toContain(`MCP server at ${url}: could not reach the server (ECONNREFUSED)`);
    expect(shown(err)).not.toContain(TOKEN);
  });
});
