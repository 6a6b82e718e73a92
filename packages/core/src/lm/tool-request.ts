/**
 * The check of a request's tools and tool choice: loaded with the first call that has tools (or a
 * tool choice beyond `auto` and `none`); the server entry loads it at start-up.
 */
import { DspyError } from '../errors.js';
import type { LMRequest, ToolChoice, ToolDefinition } from './types.js';

/**
 * Checks `tools` and `toolChoice` before a request is sent: distinct tool names, a named
 * choice that is among the tools, `required` only with tools. Throws `LM_CONFIG`.
 */
export function checkTools(
  where: string,
  tools: readonly ToolDefinition[] | undefined,
  choice: ToolChoice | undefined,
): void {
  const names = (tools ?? []).map((t) => t.name);
  const fail = (message: string, fix: string): never => {
    throw new DspyError('LM_CONFIG', `${where}: ${message}`, { details: { where, fix } });
  };
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice !== undefined) fail(`two tools are named '${twice}'`, 'Give every tool a distinct name.');
  if (choice === undefined || choice === 'auto' || choice === 'none') return;
  if (names.length === 0) {
    fail(
      `toolChoice ${JSON.stringify(choice)} needs tools, and the request has none`,
      'Pass the tools with { tools: tools.map(toolDefinition) }, or leave out toolChoice.',
    );
  }
  if (typeof choice === 'object' && !names.includes(choice.name)) {
    fail(
      `toolChoice names '${choice.name}', which is not among the tools (${names.join(', ')})`,
      'Name one of the tools in toolChoice, or add that tool to tools.',
    );
  }
}

/** Who is asked to take tools: the LM's name, its provider, and whether it has function calling. */
export interface ToolTarget {
  readonly model: string;
  readonly provider: string;
  readonly supported: boolean;
}

/**
 * A request's tools as plain definitions (a `Tool`'s lazy getters read once), checked with
 * {@link checkTools}; `undefined` when it has none. Tools for a target without function calling
 * are `LM_CONFIG`, naming the fallback: the tools described in the prompt as text.
 */
export function requestTools(request: LMRequest, target: ToolTarget): ToolDefinition[] | undefined {
  const where = `LM ${target.model}`;
  if (!request.tools || request.tools.length === 0) {
    checkTools(where, undefined, request.toolChoice);
    return undefined;
  }
  if (!target.supported) {
    throw new DspyError(
      'LM_CONFIG',
      `${where}: provider ${target.provider} does not take tools (function calling)`,
      {
        details: {
          where,
          fix: 'Send the request without tools and describe them in the prompt as text (as ReAct does), use a model with function calling, or pass { supportsToolCalls: true } to new LM() if this endpoint has it.',
          provider: target.provider,
        },
      },
    );
  }
  const tools = request.tools.map((t) => ({
    name: t.name,
    description: t.description,
    parameters: t.parameters,
  }));
  checkTools(where, tools, request.toolChoice);
  return tools;
}
