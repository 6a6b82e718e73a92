import type { LMRequest } from '@dspy-ts/core';
import { ScriptedLM } from '@dspy-ts/testing';
import { LOOKUP_TERMS } from './tools.js';

/** A GSM8K question with its worked solution (`<<expression=result>>` annotations). */
export interface Problem {
  readonly question: string;
  readonly answer: string;
}

/** The calculator steps of a worked solution, in order. */
export function solutionSteps(answer: string): string[] {
  return [...answer.matchAll(/<<([^=<>]+)=[^<>]+>>/g)].map((m) => (m[1] ?? '').trim());
}

type Call = { name: string; arguments: Record<string, string> };

/** The turns of a problem's plan: the glossary lookup and the first calculation together, then one calculation a turn. */
function plan(problem: Problem): Call[][] {
  const term = LOOKUP_TERMS.find((t) => new RegExp(`\\b${t}\\b`, 'i').test(problem.question));
  const calcs = solutionSteps(problem.answer).map((expression) => ({
    name: 'calculator',
    arguments: { expression },
  }));
  const [first, ...rest] = calcs;
  const opening = [...(term ? [{ name: 'lookup', arguments: { term } }] : []), ...(first ? [first] : [])];
  return [opening, ...rest.map((c) => [c])].filter((turn) => turn.length > 0);
}

const text = (content: unknown) => (typeof content === 'string' ? content : JSON.stringify(content ?? ''));

/**
 * An offline stand-in for a model, so the agent loop runs without a network: a `ScriptedLM` that
 * answers each turn with native tool calls from the question's worked solution (a glossary lookup
 * and the first calculation in one turn, then one calculation a turn), finishes with no call, and
 * answers with the last calculator result. The tools, the loop, the trajectory and the typed
 * answer are real; the choice of calls is scripted.
 */
export function scriptedAgentLM(problems: readonly Problem[]): ScriptedLM {
  return new ScriptedLM((request: LMRequest) => {
    const prompt = request.messages.map((m) => text(m.content)).join('\n');
    const problem = problems.find((p) => prompt.includes(p.question.trim()));
    if (request.tools === undefined) {
      // The extract step: its trajectory lists every result; the answer is the last calculation.
      const results = [...prompt.matchAll(/^Result \S+ \(calculator\): (-?[\d.]+)\s*$/gm)];
      const last = results.at(-1)?.[1] ?? '0';
      return { reasoning: `The last calculation gives ${last}.`, answer: Number(last) };
    }
    const turn = request.messages.filter((m) => m.role === 'assistant' && 'toolCalls' in m).length;
    const calls = problem ? plan(problem)[turn] : undefined;
    return calls ? { toolCalls: calls } : { nextThought: 'I have the result.', toolCalls: [] };
  });
}
