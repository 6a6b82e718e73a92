// Real MCP servers for the tests: the CRM server as a child process on stdio, and in this process
// over streamable HTTP on 127.0.0.1.
import {
  createServer,
  type Server as HttpServer,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { createCrmServer } from './fixtures/crm-server.mjs';

/** `connectMcp` options that start the CRM server on stdio. */
export const STDIO_SERVER = {
  command: process.execPath,
  args: [fileURLToPath(new URL('./fixtures/stdio-server.mjs', import.meta.url))],
} as const;

/** A running HTTP MCP server. */
export interface HttpMcpServer {
  /** The MCP endpoint, `http://127.0.0.1:<port>/mcp`. */
  readonly url: string;
  /** tools/call requests answered. */
  readonly state: { calls: number };
  close(): Promise<void>;
}

async function handle(req: IncomingMessage, res: ServerResponse, state: { calls: number }): Promise<void> {
  // Stateless: one server and transport per request, as the SDK's examples do.
  const server = createCrmServer(state);
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
  res.on('close', () => {
    void transport.close();
    void server.close();
  });
  await server.connect(transport);
  await transport.handleRequest(req, res);
}

/** Starts the CRM server over streamable HTTP; with `token`, requests need `Authorization: Bearer <token>`. */
export async function startHttpMcpServer(opts: { token?: string } = {}): Promise<HttpMcpServer> {
  const state = { calls: 0 };
  const http: HttpServer = createServer((req, res) => {
    if (opts.token !== undefined && req.headers.authorization !== `Bearer ${opts.token}`) {
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"unauthorized"}');
      return;
    }
    handle(req, res, state).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(String(err));
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    state,
    close: () =>
      new Promise<void>((resolve) => {
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
}
