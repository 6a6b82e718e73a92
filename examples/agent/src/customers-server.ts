/**
 * The store's customer directory as an MCP server (stdio), written with the official SDK: the
 * agent reaches it through `connectMcp`, as it would reach any other team's server.
 *
 * Tools: `find_customer` (an email → the account and its orders, newest first) and
 * `store_policy` (the refund, shipping or returns policy).
 *
 * Run on its own: `node --import tsx src/customers-server.ts` (it then waits for a client on stdin).
 */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';
import { loadStore } from './store.js';

const POLICIES = {
  refunds:
    'Delivered orders can be refunded in full within 30 days; the support desk opens the refund. Orders not yet delivered cannot be refunded.',
  shipping:
    'Orders ship within 2 working days. Parcels usually arrive 3 to 6 days after shipping; the carrier updates the tracking every day.',
  returns:
    'Items can be returned unused within 30 days. A damaged or wrong item is refunded without a return.',
} as const;

const store = loadStore();
const byEmail = new Map(store.customers.map((c) => [c.email.toLowerCase(), c]));

const server = new McpServer({ name: 'customers', version: '1.0.0' });

server.registerTool(
  'find_customer',
  {
    description: "Finds a customer's account by email: id, name, and order numbers, newest first.",
    inputSchema: { email: z.string().describe("The customer's email address.") },
  },
  async ({ email }) => {
    const customer = byEmail.get(email.trim().toLowerCase());
    if (!customer) {
      return { isError: true, content: [{ type: 'text', text: `No customer has the email '${email}'.` }] };
    }
    const account = { ...customer, orderIds: [...customer.orderIds] };
    return { content: [{ type: 'text', text: JSON.stringify(account) }], structuredContent: account };
  },
);

server.registerTool(
  'store_policy',
  {
    description: "The store's policy on refunds, shipping or returns.",
    inputSchema: { topic: z.enum(['refunds', 'shipping', 'returns']) },
  },
  async ({ topic }) => ({ content: [{ type: 'text', text: POLICIES[topic] }] }),
);

await server.connect(new StdioServerTransport());
