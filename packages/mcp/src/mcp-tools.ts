/** `mcpTools(client)`: an MCP server's tools as dspy-ts tools. */
import { DspyError, type JsonSchema } from '@dspy-ts/core';
import { checkKnownKeys, redactDeep, redactText } from '@dspy-ts/core/internal';
import { type McpClient, type McpTool, RemoteTool } from './mcp-tool.js';
import { toolNameFor, uniqueName } from './names.js';

/** How long a request to an MCP server may take by default (the SDK's own default). */
export const DEFAULT_MCP_TIMEOUT_MS = 60_000;

/** A tool as the server lists it (what an `include` function sees). */
export interface McpToolListing {
  readonly name: string;
  readonly description?: string;
  readonly inputSchema: { readonly [key: string]: unknown };
}

/** Options of {@link mcpTools} (and of `connectMcp`). */
export interface McpToolsOptions {
  /** Put before every tool name the model sees, e.g. `'crm_'` gives `crm_lookup`. */
  readonly prefix?: string;
  /**
   * Which of the server's tools to offer: their names on the server, or a test of each listing.
   * A listed name the server does not have is an error (a typo would otherwise hide a tool).
   */
  readonly include?: readonly string[] | ((tool: McpToolListing) => boolean);
  /** Time limit of each request to the server, in milliseconds (default 60 000). */
  readonly timeoutMs?: number;
}

const OPTION_KEYS = ['prefix', 'include', 'timeoutMs'] as const;
/** Pages of `tools/list` followed at most; a server past it is looping. */
const MAX_PAGES = 1000;

function optionError(where: string, message: string, fix: string): DspyError {
  return new DspyError('OPTION_INVALID', `${where}: ${message}`, { details: { where, fix } });
}

/** Checks the options shared by `mcpTools` and `connectMcp`; returns the time limit. @internal */
export function checkToolsOptions(where: string, opts: McpToolsOptions): number {
  const { prefix, include, timeoutMs } = opts;
  if (prefix !== undefined && typeof prefix !== 'string') {
    throw optionError(where, `prefix must be a string, got ${typeof prefix}.`, "Pass { prefix: 'crm.' }.");
  }
  const names = Array.isArray(include) && include.every((n) => typeof n === 'string');
  if (include !== undefined && !names && typeof include !== 'function') {
    throw optionError(
      where,
      'include must be a list of tool names or a function of a tool listing.',
      "Pass { include: ['lookup'] } or { include: (t) => t.name.startsWith('get') }.",
    );
  }
  if (timeoutMs !== undefined && !(typeof timeoutMs === 'number' && timeoutMs > 0 && timeoutMs < 2 ** 31)) {
    throw optionError(
      where,
      `timeoutMs must be a positive number of milliseconds, got ${String(timeoutMs)}.`,
      'Pass { timeoutMs: 30_000 }.',
    );
  }
  return timeoutMs ?? DEFAULT_MCP_TIMEOUT_MS;
}

/** The server's name, as it introduced itself when connecting. */
function serverName(client: McpClient): string {
  return client.getServerVersion()?.name ?? 'unnamed';
}

/** Every tool the server lists, following `nextCursor` page by page. */
async function listAll(
  client: McpClient,
  timeoutMs: number,
  secrets: readonly string[],
): Promise<McpToolListing[]> {
  const tools: McpToolListing[] = [];
  const seen = new Set<string>();
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    let result: Awaited<ReturnType<McpClient['listTools']>>;
    try {
      result = await client.listTools(cursor === undefined ? {} : { cursor }, { timeout: timeoutMs });
    } catch (err) {
      const where = `MCP server '${serverName(client)}'`;
      const msg = err instanceof Error ? err.message : String(err);
      throw new DspyError('TOOL_ERROR', redactText(`${where}: listing its tools failed: ${msg}`, secrets), {
        cause: redactDeep(err, secrets),
        details: {
          where,
          fix: 'Check that the client is connected (connectMcp() or client.connect()) and that the server answers tools/list.',
        },
      });
    }
    tools.push(...result.tools);
    cursor = result.nextCursor;
    if (cursor === undefined) return tools;
    if (seen.has(cursor)) break;
    seen.add(cursor);
  }
  const where = `MCP server '${serverName(client)}'`;
  throw new DspyError('TOOL_ERROR', `${where}: tools/list keeps returning more pages (cursor ${cursor}).`, {
    details: { where, fix: "The server's pagination loops; fix the server's nextCursor." },
  });
}

/** The listings `include` keeps; an unknown name in a list is an error. */
function selected(
  tools: McpToolListing[],
  include: McpToolsOptions['include'],
  where: string,
): McpToolListing[] {
  if (include === undefined) return tools;
  if (typeof include === 'function') return tools.filter((t) => include(t));
  const names = new Set(tools.map((t) => t.name));
  const missing = include.filter((n) => !names.has(n));
  if (missing.length > 0) {
    throw optionError(
      where,
      `include names ${missing.map((n) => `'${n}'`).join(', ')}, which the server does not have.`,
      `Pick among the server's tools: ${[...names].join(', ') || '(none)'}.`,
    );
  }
  return tools.filter((t) => include.includes(t.name));
}

/** A listing's `inputSchema` as an object schema (the protocol requires `type: 'object'`). */
function inputSchemaOf(listing: McpToolListing, server: string): JsonSchema {
  const schema = (listing.inputSchema ?? {}) as JsonSchema;
  if (schema.type === undefined) return { ...schema, type: 'object' };
  if (schema.type === 'object') return schema;
  const where = `MCP tool '${listing.name}' of server '${server}'`;
  throw new DspyError('TOOL_ERROR', `${where}: its inputSchema is not an object schema.`, {
    details: {
      where,
      fix: "The server must list { type: 'object', properties: ... } as the tool's inputSchema.",
    },
  });
}

/** {@link mcpTools}, with the values to mask in errors (a connection's env and headers). @internal */
export async function toolsOfClient(
  client: McpClient,
  opts: McpToolsOptions,
  where: string,
  secrets: readonly string[],
): Promise<McpTool[]> {
  checkKnownKeys(where, opts, OPTION_KEYS, 'OPTION_INVALID');
  const timeoutMs = checkToolsOptions(where, opts);
  const server = serverName(client);
  const taken = new Set<string>();
  const listed = selected(await listAll(client, timeoutMs, secrets), opts.include, where);
  return listed.map((listing) => {
    const tool = uniqueName(toolNameFor(listing.name, opts.prefix ?? ''), taken);
    const site = { tool, mcpName: listing.name, server, timeoutMs, secrets };
    return new RemoteTool(client, listing.description ?? '', inputSchemaOf(listing, server), site);
  });
}

/**
 * The tools of a connected MCP SDK `Client`, as dspy-ts tools for `ReAct` or an LM's native
 * `tools`. Lists every page of the server's tools; each tool's `inputSchema` becomes its
 * `parameters`, and its name is made a valid tool name (`prefix` first; the server's name is
 * kept as `mcpName` for the call). Calling a tool checks the arguments against its schema, then
 * calls `client.callTool`: the value is the result's `structuredContent` when present, else its
 * content as text (images and resources summarised); an error result, a timeout or a server
 * gone away is `DspyError('TOOL_ERROR')`.
 *
 * @example
 * ```ts
 * const client = new Client({ name: 'my-app', version: '1.0.0' });
 * await client.connect(new StdioClientTransport({ command: 'node', args: ['crm-server.js'] }));
 * const tools = await mcpTools(client, { prefix: 'crm_', include: ['lookup'] });
 * const agent = new ReAct('question -> answer', { tools });
 * ```
 */
export function mcpTools(client: McpClient, opts: McpToolsOptions = {}): Promise<McpTool[]> {
  return toolsOfClient(client, opts, 'mcpTools()', []);
}
