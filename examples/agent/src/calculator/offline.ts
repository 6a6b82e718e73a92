import type { LMRequest } from '@dspy-ts/core';
import { parsePrompt, ScriptedLM } from '@dspy-ts/testing';
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

/**
 * An offline stand-in for a model, so the agent loop runs without a network: a `ScriptedLM`
 * that, for each question, looks up one unit word if the question has one, then replays the
 * dataset's own calculator annotations as tool calls, then finishes; the answer is the last
 * observation. The tools really run; only the choice of calls is scripted.
 */
export function scriptedAgentLM(problems: readonly Problem[]): ScriptedLM {
  const byQuestion = new Map(problems.map((p) => [p.question.trim(), p]));
  return new ScriptedLM((request: LMRequest) => {
    const prompt = parsePrompt(request.messages, request);
    const question = (prompt.inputs.question ?? '').trim();
    const trajectory = prompt.inputs.trajectory ?? '';
    const problem = byQuestion.get(question);
    const done = (trajectory.match(/^Observation:/gm) ?? []).length;
    const isStep = prompt.system.outputs.some((f) => f.name === 'nextToolName');
    if (!isStep) {
      const observations = [...trajectory.matchAll(/^Observation: (.*)$/gm)].map((m) => m[1] ?? '');
      const last = observations.filter((o) => /^-?\d+(\.\d+)?$/.test(o.trim())).at(-1) ?? '0';
      return { reasoning: `The last calculation gives ${last}.`, answer: Number(last) };
    }
    const term = LOOKUP_TERMS.find((t) => new RegExp(`\\b${t}\\b`, 'i').test(question));
    const plan: { tool: string; args: Record<string, string> }[] = [
      ...(term ? [{ tool: 'lookup', args: { term } }] : []),
      ...solutionSteps(problem?.answer ?? '').map((expression) => ({
        tool: 'calculator',
        args: { expression },
      })),
    ];
    const step = plan[done];
    if (!step) return { nextThought: 'I have the result.', nextToolName: 'finish', nextToolArgs: {} };
    return {
      nextThought: step.tool === 'lookup' ? `Check what ${term} means.` : `Compute ${step.args.expression}.`,
      nextToolName: step.tool,
      nextToolArgs: step.args,
    };
  });
}
