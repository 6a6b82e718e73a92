/**
 * Ending calls whose HTTP stream was lost. Over streamable HTTP a call's answer comes on the
 * response stream of its POST; when the server dies mid-call that stream breaks, the SDK only
 * reports it to `client.onerror`, and the call would wait for its time limit. Calls in flight
 * are aborted then, as a closed connection.
 */
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import type { McpClient } from './mcp-tool.js';

/** How the SDK reports a response stream that broke. */
const LOST_STREAM = /SSE stream disconnected/;

const inFlight = new WeakMap<McpClient, Set<AbortController>>();

/**
 * The calls in flight on `client`. The first use chains a handler onto `client.onerror` (an
 * `onerror` set earlier still runs; one set later replaces it, and calls then end at their time
 * limit).
 */
function callsOf(client: McpClient): Set<AbortController> {
  const known = inFlight.get(client);
  if (known) return known;
  const calls = new Set<AbortController>();
  const previous = client.onerror;
  client.onerror = (error: Error) => {
    previous?.(error);
    if (!LOST_STREAM.test(error.message)) return;
    for (const call of calls)
      call.abort(new McpError(ErrorCode.ConnectionClosed, 'the response stream broke'));
  };
  inFlight.set(client, calls);
  return calls;
}

/** Runs `call` with a signal that aborts when the client reports a lost stream. */
export async function abortOnLostStream<T>(
  client: McpClient,
  call: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const calls = callsOf(client);
  const controller = new AbortController();
  calls.add(controller);
  try {
    return await call(controller.signal);
  } finally {
    calls.delete(controller);
  }
}
