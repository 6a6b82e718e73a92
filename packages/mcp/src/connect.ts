/** `connectMcp(...)`: connect to an MCP server (a child process on stdio, or an HTTP endpoint) and list its tools. */
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { DspyError, logger } from '@dspy-ts/core';
import { checkKnownKeys, coreVersionString, redactText } from '@dspy-ts/core/internal';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { type ConnectSite, connectFailure } from './connect-errors.js';
import type { McpTool } from './mcp-tool.js';
import { checkToolsOptions, type McpToolsOptions, toolsOfClient } from './mcp-tools.js';

/** Start a server as a child process and talk to it over its stdin and stdout. */
export interface McpStdioOptions extends McpToolsOptions {
  /** The program to run, e.g. `'node'` or `'npx'`. */
  readonly command: string;
  readonly args?: readonly string[];
  /**
   * Environment of the server, added to a minimal inherited one (`HOME`, `PATH`, `SHELL`, `TERM`,
   * `USER`, `LOGNAME`). Values never appear in errors or logs.
   */
  readonly env?: Readonly<Record<string, string>>;
  /** Working directory of the server (default: this process's). */
  readonly cwd?: string;
}

/** Talk to a running server over streamable HTTP. */
export interface McpHttpOptions extends McpToolsOptions {
  /** The server's MCP endpoint, e.g. `http://127.0.0.1:3000/mcp`. */
  readonly url: string | URL;
  /** Sent with every request, e.g. `{ Authorization: 'Bearer ...' }`. Values never appear in errors or logs. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** Options of {@link connectMcp}: a command to run (stdio) or a url (streamable HTTP). */
export type ConnectMcpOptions = McpStdioOptions | McpHttpOptions;

/**
 * `[Symbol.asyncDispose]()` where the TypeScript lib in use declares `Symbol.asyncDispose`, and
 * nothing where it does not (the declarations then compile with a plain `lib: ["es2022"]` too).
 */
export type AsyncDisposableWhereDeclared = SymbolConstructor extends {
  readonly asyncDispose: infer S extends symbol;
}
  ? { [K in S]: () => PromiseLike<void> }
  : unknown;

/** The members of an {@link McpConnection}. */
export interface McpConnectionHandle {
  /** The connected SDK client (for resources, prompts, or listing the tools again). */
  readonly client: Client;
  /** The server's tools, as dspy-ts tools. */
  readonly tools: McpTool[];
  /** Closes the connection (and ends a stdio server's process); safe to call twice. */
  close(): Promise<void>;
}

/** A connection to an MCP server; `await using mcp = await connectMcp(...)` closes it at scope end. */
export type McpConnection = McpConnectionHandle & AsyncDisposableWhereDeclared;

const TOOLS_KEYS = ['prefix', 'include', 'timeoutMs'] as const;
const STDIO_KEYS = ['command', 'args', 'env', 'cwd', ...TOOLS_KEYS] as const;
const HTTP_KEYS = ['url', 'headers', ...TOOLS_KEYS] as const;
/** Lines of a stdio server's stderr kept for error messages. */
const STDERR_LINES = 20;
const WHERE = 'connectMcp()';

/** Node 20 defines `Symbol.asyncDispose`; elsewhere the name TypeScript's `await using` looks up. */
const asyncDispose: symbol =
  (Symbol as { asyncDispose?: symbol }).asyncDispose ?? Symbol.for('Symbol.asyncDispose');

function invalid(message: string, fix: string): DspyError {
  return new DspyError('OPTION_INVALID', `${WHERE}: ${message}`, { details: { where: WHERE, fix } });
}

function isHttp(opts: ConnectMcpOptions): opts is McpHttpOptions {
  return 'url' in opts && opts.url !== undefined;
}

function toolsOptions(opts: McpToolsOptions): McpToolsOptions {
  const { prefix, include, timeoutMs } = opts;
  return {
    ...(prefix !== undefined ? { prefix } : {}),
    ...(include !== undefined ? { include } : {}),
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
  };
}

/** The transport and error context of a connection. */
interface Connecting {
  readonly transport: Transport;
  readonly site: ConnectSite;
}

/** A stdio transport whose server's stderr is kept (last lines) and logged at debug level. */
function stdioTransport(opts: McpStdioOptions, timeoutMs: number, secrets: readonly string[]): Connecting {
  if (typeof opts.command !== 'string' || opts.command === '') {
    throw invalid('command must be a non-empty string.', "Pass { command: 'node', args: ['server.js'] }.");
  }
  if (opts.cwd !== undefined && !existsSync(opts.cwd)) {
    throw invalid(
      `cwd '${opts.cwd}' does not exist.`,
      'Pass an existing directory as { cwd }, or leave it out.',
    );
  }
  const transport = new StdioClientTransport({
    command: opts.command,
    args: [...(opts.args ?? [])],
    ...(opts.env ? { env: { ...opts.env } } : {}),
    ...(opts.cwd !== undefined ? { cwd: opts.cwd } : {}),
    stderr: 'pipe',
  });
  const lines: string[] = [];
  const name = basename(opts.command);
  transport.stderr?.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.trim() === '') continue;
      const clean = redactText(line, secrets);
      lines.push(clean);
      if (lines.length > STDERR_LINES) lines.shift();
      logger().debug(`[mcp ${name}] ${clean}`);
    }
  });
  const where = `MCP server '${name}'`;
  return {
    transport,
    site: { where, transport: 'stdio', timeoutMs, secrets, stderr: () => lines.join('\n') },
  };
}

/** A streamable HTTP transport sending `headers` with every request. */
function httpTransport(opts: McpHttpOptions, timeoutMs: number, secrets: readonly string[]): Connecting {
  let url: URL;
  try {
    url = new URL(opts.url);
  } catch {
    throw invalid(
      'url is not a valid URL.',
      "Pass the server's endpoint, e.g. { url: 'http://127.0.0.1:3000/mcp' }.",
    );
  }
  const requestInit = opts.headers ? { headers: { ...opts.headers } } : undefined;
  return {
    transport: new StreamableHTTPClientTransport(url, requestInit ? { requestInit } : {}),
    site: { where: `MCP server at ${url.origin}${url.pathname}`, transport: 'http', timeoutMs, secrets },
  };
}

/**
 * Connects to an MCP server and lists its tools: `{ command, args, env, cwd }` starts it as a
 * child process speaking stdio, `{ url, headers }` talks to it over streamable HTTP. Takes the
 * options of {@link mcpTools} too (`prefix`, `include`, `timeoutMs`, which also bounds
 * connecting). A failure to connect is `DspyError('TOOL_ERROR')` saying what went wrong and how
 * to fix it, and leaves no process behind. Close the connection when done (`close()`, or
 * `await using`); a stdio server's process ends with it.
 *
 * @example
 * ```ts
 * await using crm = await connectMcp({ command: 'node', args: ['crm-server.js'], env: { CRM_TOKEN }, prefix: 'crm_' });
 * const agent = new ReAct('question -> answer', { tools: crm.tools });
 * ```
 */
export async function connectMcp(opts: ConnectMcpOptions): Promise<McpConnection> {
  if (typeof opts !== 'object' || opts === null) {
    throw invalid('expected an options object.', "Pass { command: 'node', args: ['server.js'] } or { url }.");
  }
  const http = isHttp(opts);
  if (http && 'command' in opts && opts.command !== undefined) {
    throw invalid('pass either command (stdio) or url (HTTP), not both.', 'Keep the one the server speaks.');
  }
  if (!http && !('command' in opts && opts.command !== undefined)) {
    throw invalid(
      'expected { command } (stdio) or { url } (HTTP).',
      "Pass { command: 'node', args: ['server.js'] } or { url }.",
    );
  }
  checkKnownKeys(WHERE, opts, http ? HTTP_KEYS : STDIO_KEYS, 'OPTION_INVALID');
  const timeoutMs = checkToolsOptions(WHERE, opts);
  const secrets = Object.values((http ? opts.headers : (opts as McpStdioOptions).env) ?? {});
  const { transport, site } = http
    ? httpTransport(opts, timeoutMs, secrets)
    : stdioTransport(opts as McpStdioOptions, timeoutMs, secrets);
  const client = new Client({ name: 'dspy-ts', version: coreVersionString() });
  try {
    await client.connect(transport, { timeout: timeoutMs });
  } catch (err) {
    await client.close().catch(() => {});
    throw connectFailure(site, err);
  }
  let tools: McpTool[];
  try {
    tools = await toolsOfClient(client, toolsOptions(opts), WHERE, secrets);
  } catch (err) {
    await client.close().catch(() => {});
    throw err;
  }
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= client.close();
    return closing;
  };
  const handle: McpConnectionHandle = { client, tools, close };
  Object.defineProperty(handle, asyncDispose, { value: close });
  return handle as McpConnection;
}
