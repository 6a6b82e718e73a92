/**
 * The scripted decisions of the agent benchmark: `TURNS` turns that each call `lookup` once (native
 * tool calls), a turn without a call, then the extract step's answer. Shared by the in-process
 * run and the test server's child process, so both sides answer alike.
 */
import type { LMRequest } from '../../../packages/core/src/index.js';
import { ScriptedLM } from '../../../packages/testing/src/index.js';

/** Turns that call a tool in one benchmark run (then one turn ends the loop, then the extract step). */
export const TURNS = 10;

/** A scripted agent model: turn n (counted from the tool-call turns so far) looks `key n` up. */
export function agentScript(): ScriptedLM {
  return new ScriptedLM(
    (request: LMRequest) => {
      if (request.tools === undefined) return { reasoning: 'The last lookup answers it.', answer: 'value 9' };
      const turn = request.messages.filter((m) => m.role === 'tool').length;
      if (turn < TURNS) return { toolCalls: [{ name: 'lookup', arguments: { key: `key ${turn}` } }] };
      return { nextThought: 'I have what I need.' };
    },
    { keepRequests: 0 },
  );
}
