/** One MCP server tool as a dspy-ts `Tool`: checked arguments in, the server's result out. */
import type { JsonSchema, Tool } from '@dspy-ts/core';
import { checkToolArgObject, emit, ensureValidators, newCallId } from '@dspy-ts/core/internal';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { type CallSite, callFailure, errorResult } from './call-errors.js';
import { abortOnLostStream } from './lost-streams.js';
import { errorText, type McpToolValue, resultValue } from './result.js';

/**
 * What the tools need of an MCP SDK `Client`: listing tools, calling them, the server's name,
 * and its `onerror` (to end calls whose HTTP stream broke).
 */
export type McpClient = Pick<Client, 'listTools' | 'callTool' | 'getServerVersion' | 'onerror'>;

/**
 * A tool of an MCP server. `name` is what the model sees (prefixed and made a valid tool name);
 * `mcpName` is what the server knows it by.
 */
export interface McpTool extends Tool<McpToolValue> {
  /** The tool's name on the server. */
  readonly mcpName: string;
  /** The server's name, as it introduced itself. */
  readonly server: string;
}

function propertyNames(schema: JsonSchema): string[] {
  const props = schema.properties;
  return props && typeof props === 'object' && !Array.isArray(props) ? Object.keys(props) : [];
}

/** An {@link McpTool} calling `client.callTool`. */
export class RemoteTool implements McpTool {
  readonly name: string;
  readonly mcpName: string;
  readonly server: string;
  readonly params: readonly string[];

  constructor(
    private readonly client: McpClient,
    readonly description: string,
    readonly parameters: JsonSchema,
    private readonly site: CallSite,
  ) {
    this.name = site.tool;
    this.mcpName = site.mcpName;
    this.server = site.server;
    this.params = propertyNames(parameters);
  }

  /**
   * Checks `args` against the tool's `inputSchema` (coercing as core's tools do), then calls it
   * on the server. Every failure is `DspyError('TOOL_ERROR')`; emits `toolStart` / `toolEnd`.
   */
  async call(args: Readonly<Record<string, unknown>>): Promise<McpToolValue> {
    const callId = newCallId();
    emit('toolStart', { callId, tool: this.name, args });
    try {
      const validators = ensureValidators([this.parameters]);
      if (validators) await validators;
      const result = await this.request(checkToolArgObject(this.name, this, args));
      emit('toolEnd', { callId, tool: this.name, result });
      return result;
    } catch (error) {
      emit('toolEnd', { callId, tool: this.name, error });
      throw error;
    }
  }

  private async request(args: Record<string, unknown>): Promise<McpToolValue> {
    let result: Record<string, unknown>;
    try {
      result = await abortOnLostStream(this.client, (signal) =>
        this.client.callTool({ name: this.mcpName, arguments: args }, undefined, {
          timeout: this.site.timeoutMs,
          signal,
        }),
      );
    } catch (err) {
      throw callFailure(this.site, err);
    }
    if (result.isError === true) throw errorResult(this.site, errorText(result));
    return resultValue(result);
  }
}
