/**
 * `@dspy-ts/mcp`: the tools of a Model Context Protocol server as dspy-ts tools, for `ReAct` and
 * for an LM's native tool calls.
 * @packageDocumentation
 */
export {
  type AsyncDisposableWhereDeclared,
  type ConnectMcpOptions,
  connectMcp,
  type McpConnection,
  type McpConnectionHandle,
  type McpHttpOptions,
  type McpStdioOptions,
} from './connect.js';
export type { McpClient, McpTool } from './mcp-tool.js';
export { DEFAULT_MCP_TIMEOUT_MS, type McpToolListing, type McpToolsOptions, mcpTools } from './mcp-tools.js';
export type { McpToolValue } from './result.js';
