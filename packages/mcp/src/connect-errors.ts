/**
 * Why connecting to an MCP server failed, said plainly: a command that is not there, a server
 * that exits or never answers, an HTTP endpoint refusing the connection or the credentials.
 * Values of the connection's env and headers never show.
 */
import { DspyError } from '@dspy-ts/core';
import { redactDeep, redactText } from '@dspy-ts/core/internal';
import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';

/** What was being connected to, for the message. */
export interface ConnectSite {
  /** `MCP server 'node'` or `MCP server at http://127.0.0.1:3000/mcp`. */
  readonly where: string;
  readonly transport: 'stdio' | 'http';
  readonly timeoutMs: number;
  /** The last lines the server wrote to stderr (stdio). */
  readonly stderr?: () => string;
  /** Values masked wherever they would show. */
  readonly secrets: readonly string[];
}

function fail(site: ConnectSite, message: string, fix: string, err: unknown, extra = {}): DspyError {
  const tail = site.stderr?.().trim();
  const said = tail ? `\n  The server wrote to stderr:\n    ${tail.split('\n').join('\n    ')}` : '';
  return new DspyError(
    'TOOL_ERROR',
    redactText(`connectMcp(): ${site.where}: ${message}${said}`, site.secrets),
    {
      cause: redactDeep(err, site.secrets),
      details: { where: site.where, fix, transport: site.transport, ...extra },
    },
  );
}

/** The error code of a system error (`ENOENT`, `ECONNREFUSED`), also when it is the cause. */
function systemCode(err: unknown): string | undefined {
  for (let e = err, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

function httpFailure(site: ConnectSite, err: StreamableHTTPError): DspyError {
  const status = err.code ?? 0;
  if (status === 401 || status === 403) {
    return fail(
      site,
      `the server refused the credentials (HTTP ${status}).`,
      "Pass valid credentials in { headers } (e.g. { Authorization: 'Bearer <token>' }); check that the token is current and has access.",
      err,
      { status },
    );
  }
  return fail(
    site,
    `the server answered HTTP ${status}: ${err.message}`,
    "Check the url: it must be the server's streamable HTTP endpoint (often ending in /mcp).",
    err,
    { status },
  );
}

/** The `DspyError('TOOL_ERROR')` for a failed `connectMcp`. */
export function connectFailure(site: ConnectSite, err: unknown): DspyError {
  if (err instanceof DspyError) return err;
  if (err instanceof StreamableHTTPError) return httpFailure(site, err);
  if (err instanceof McpError && err.code === ErrorCode.RequestTimeout) {
    return fail(
      site,
      `the server did not answer the initialize request within ${site.timeoutMs} ms.`,
      site.transport === 'stdio'
        ? 'Check that the command starts an MCP server on stdio (and writes nothing else to stdout), or raise { timeoutMs }.'
        : 'Check that the url is an MCP endpoint and the server is not stuck, or raise { timeoutMs }.',
      err,
    );
  }
  if (err instanceof McpError && err.code === ErrorCode.ConnectionClosed) {
    return fail(
      site,
      'the server exited (or closed the connection) before it finished connecting.',
      'Run the command yourself to see why it stops; its stderr is shown above when it wrote any.',
      err,
    );
  }
  const code = systemCode(err);
  const message = err instanceof Error ? err.message : String(err);
  if (site.transport === 'stdio' && code === 'ENOENT') {
    return fail(
      site,
      'the command was not found.',
      'Install the server or give the full path of its command in { command }; check { cwd } too.',
      err,
    );
  }
  if (site.transport === 'stdio' && code === 'EACCES') {
    return fail(
      site,
      'the command is not executable.',
      'Check the path in { command } and its permissions.',
      err,
    );
  }
  if (
    site.transport === 'http' &&
    (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'ECONNRESET')
  ) {
    return fail(
      site,
      `could not reach the server (${code}).`,
      'Check that the server is running and listening at the url.',
      err,
    );
  }
  return fail(site, `connecting failed: ${message}`, 'See the cause.', err);
}
