/**
 * The errors of a call to an MCP tool: an error result, a timeout, a server that went away, or a
 * call the server refused. All are `DspyError('TOOL_ERROR')`, so an agent reads them as
 * observations.
 */
import { DspyError } from '@dspy-ts/core';
import { redactDeep, redactText } from '@dspy-ts/core/internal';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';

/** Which tool of which server a call was for. */
export interface CallSite {
  /** The name the model sees. */
  readonly tool: string;
  /** The name the server knows the tool by. */
  readonly mcpName: string;
  /** The server's name, as it introduced itself. */
  readonly server: string;
  /** The call's time limit, in milliseconds. */
  readonly timeoutMs: number;
  /** Values masked wherever they would show (the connection's env and header values). */
  readonly secrets: readonly string[];
}

function toolError(site: CallSite, message: string, fix: string, cause?: unknown): DspyError {
  const where = `tool '${site.tool}'`;
  return new DspyError('TOOL_ERROR', redactText(`${where}: ${message}`, site.secrets), {
    ...(cause !== undefined ? { cause: redactDeep(cause, site.secrets) } : {}),
    details: { where, fix, tool: site.tool, mcpTool: site.mcpName, server: site.server },
  });
}

/** An `isError: true` result: the server's own text is the message. */
export function errorResult(site: CallSite, text: string): DspyError {
  return toolError(
    site,
    `the MCP server '${site.server}' reported an error: ${text.trim() || '(no message)'}`,
    "Read the server's message: change the arguments, or fix the cause on the server's side.",
  );
}

/** A failed `tools/call` request, by what went wrong. */
export function callFailure(site: CallSite, err: unknown): DspyError {
  if (err instanceof DspyError) return err;
  const server = `the MCP server '${site.server}'`;
  if (err instanceof McpError && err.code === ErrorCode.RequestTimeout) {
    return toolError(
      site,
      `${server} did not answer within ${site.timeoutMs} ms.`,
      'Raise { timeoutMs } of mcpTools() / connectMcp() if the tool is slow, or check that the server is not stuck.',
      err,
    );
  }
  if (err instanceof McpError && err.code === ErrorCode.ConnectionClosed) {
    return toolError(
      site,
      `${server} closed the connection during the call (it exited, crashed or was closed).`,
      "Check the server's output for why it stopped, then connect again with connectMcp().",
      err,
    );
  }
  const message = err instanceof Error ? err.message : String(err);
  if (/not connected/i.test(message)) {
    return toolError(
      site,
      `not connected to ${server} (the connection was closed, or the server exited).`,
      'Connect again with connectMcp() (or client.connect()) before calling its tools.',
      err,
    );
  }
  if (err instanceof McpError) {
    return toolError(
      site,
      `${server} refused the call: ${message}`,
      "Check the arguments against the tool's inputSchema, and the server's logs.",
      err,
    );
  }
  return toolError(site, `calling ${server} failed: ${message}`, 'See the cause.', err);
}
