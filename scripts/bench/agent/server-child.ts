/**
 * Runs the OpenAI-protocol test server, backed by the agent script, in its own process (as a
 * remote provider would be) at zero latency, and prints its URL on stdout. Stops when stdin closes.
 */
import { startTestServer } from '../../../packages/testing/src/index.js';
import { agentScript } from './script.js';

const server = await startTestServer({ lm: agentScript(), latencyMs: 0, keepRequests: 0 });
process.stdout.write(`${server.url}\n`);
process.stdin.resume();
process.stdin.on('end', () => void server.close().then(() => process.exit(0)));
