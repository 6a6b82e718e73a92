import type { LanguageModel } from '@dspy-ts/core';
import type { CompileContext } from '../core/context.js';
import { type CompileOptions, Optimizer, type RunOutcome } from '../core/optimizer.js';
import { OPTIMIZER_OPTION_KEYS, type OptionKeys } from '../core/option-keys.js';
import type { OptimizerOptions } from '../core/options.js';
import { demosHeld, type PlannedStep } from '../core/plan.js';
import { type CompilableProgram, predictorsOf, type TrainExample } from '../core/program.js';
import { validateInt, validateNumber } from '../core/validate.js';
import { exampleTaskDemo, instructionsOf, withInstructions } from './instruct/program.js';
import { proposeInstructions, proposerLM, taskDemosJson } from './instruct/propose.js';

/** Options of {@link COPRO} (DSPy's names in camelCase). */
export interface COPROOptions extends OptimizerOptions {
  /** Instructions per predictor and round, the original included at first (default 10; must be > 1). */
  readonly breadth?: number;
  /** Rounds of proposing and scoring (default 3). */
  readonly depth?: number;
  /** Temperature of the first round of proposals (default 1.4). */
  readonly initTemperature?: number;
  /** The LM that writes instructions (default: the settings' LM). */
  readonly promptModel?: LanguageModel;
  /** Train examples shown to the prompt model as `taskDemos` (default 32). */
  readonly proposalExamples?: number;
}

const OPTION_KEYS_COPRO = {
  ...OPTIMIZER_OPTION_KEYS,
  breadth: true,
  depth: true,
  initTemperature: true,
  promptModel: true,
  proposalExamples: true,
} as const satisfies OptionKeys<COPROOptions>;

interface Attempt {
  readonly instruction: string;
  readonly score: number;
}

/**
 * Coordinate-ascent prompt optimization, as DSPy's COPRO: per predictor, the prompt model
 * proposes `breadth - 1` variants of the instruction; each (and the original) is scored on
 * the trainset (or the valset when given); the attempts, sorted by score, are fed back for
 * `breadth` new proposals; after `depth` rounds each predictor keeps its best instruction.
 * Every candidate is in the report with its score.
 *
 * @example
 * ```ts
 * const { program, report } = await new COPRO({ metric, breadth: 6, depth: 2 }).compile(classify, { trainset });
 * ```
 */
export class COPRO extends Optimizer<COPROOptions> {
  readonly name = 'COPRO';
  protected override readonly optionKeys = OPTION_KEYS_COPRO;
  #proposalCalls = 0;
  #evaluations = 0;

  protected override validate(): void {
    const o = this.options;
    validateInt(this.name, 'breadth', o.breadth, 2, Number.MAX_SAFE_INTEGER, 'one slot holds the original');
    validateInt(this.name, 'depth', o.depth, 1);
    validateInt(this.name, 'proposalExamples', o.proposalExamples, 1);
    validateNumber(this.name, 'initTemperature', o.initTemperature, { min: 0, default: 1.4 });
    proposerLM(this.name, 'promptModel', o.promptModel);
  }

  protected async run<P extends CompilableProgram>(
    student: P,
    ctx: CompileContext,
    _opts: CompileOptions,
  ): Promise<RunOutcome<P>> {
    const o = this.options;
    const breadth = o.breadth ?? 10;
    const depth = o.depth ?? 3;
    const lm = proposerLM(this.name, 'promptModel', o.promptModel);
    const paths = predictorsOf(student).map(([p]) => p);
    const best = instructionsOf(student);
    const attempts = new Map<string, Attempt[]>(paths.map((p) => [p, []]));
    const demos = taskDemosJson(
      ctx.rng
        .fork('taskDemos')
        .sample(ctx.trainset, o.proposalExamples ?? 32)
        .map(exampleTaskDemo),
    );
    this.#proposalCalls = 0;
    this.#evaluations = 0;
    ctx.progress.start(paths.length * depth * breadth, this.name);

    const pending = new Map<string, string[]>();
    await ctx.phase('propose', async () => {
      for (const path of paths) {
        const original = best[path] as string;
        const proposed = await proposeInstructions(
          ctx,
          `${path}:d0`,
          lm,
          { taskDemos: demos, basicInstruction: original },
          { n: breadth - 1, temperature: o.initTemperature ?? 1.4 },
        );
        this.#proposalCalls += 1;
        pending.set(path, [original, ...proposed.filter((p) => p !== original)]);
      }
    });

    let id = 0;
    let baseline: number | undefined;
    for (let d = 0; d < depth; d++) {
      for (const path of paths) {
        const list = attempts.get(path) as Attempt[];
        for (const instruction of pending.get(path) ?? []) {
          if (list.some((a) => a.instruction === instruction)) continue;
          const program = withInstructions(student, { ...best, [path]: instruction });
          const score = await ctx.phase('evaluate', () =>
            ctx.evaluateCandidate(program, id, `${path} depth ${d} #${list.length}`, {
              predictor: path,
              depth: d,
              instruction,
            }),
          );
          this.#evaluations += 1;
          if (id === 0) baseline = score;
          id += 1;
          list.push({ instruction, score });
        }
        best[path] = bestOf(list).instruction;
      }
      if (d === depth - 1) break;
      await ctx.phase('propose', async () => {
        for (const path of paths) {
          const list = attempts.get(path) as Attempt[];
          const previous = [...list].sort((a, b) => a.score - b.score);
          const proposed = await proposeInstructions(
            ctx,
            `${path}:d${d + 1}`,
            lm,
            {
              taskDemos: demos,
              basicInstruction: best[path] as string,
              previousInstructions: JSON.stringify(previous),
            },
            { n: breadth, temperature: o.initTemperature ?? 1.4 },
          );
          this.#proposalCalls += 1;
          pending.set(path, proposed);
        }
      });
    }

    const chosen = ctx.best;
    if (chosen && sameInstructions(chosen.program, best)) {
      return {
        program: chosen.program as P,
        ...(chosen.score !== undefined ? { score: chosen.score } : {}),
        ...(chosen.id !== undefined ? { candidateId: chosen.id } : {}),
        ...(baseline !== undefined ? { baselineScore: baseline } : {}),
      };
    }
    ctx.notes.push(
      'the best instruction of each predictor was kept; that combination was not scored as a whole',
    );
    return {
      program: withInstructions(student, best),
      ...(baseline !== undefined ? { baselineScore: baseline } : {}),
    };
  }

  protected override planSteps(
    p: number,
    trainset: readonly TrainExample[],
    valset: readonly TrainExample[],
    _opts: CompileOptions,
    student: CompilableProgram,
  ): PlannedStep[] {
    const o = this.options;
    const breadth = o.breadth ?? 10;
    const depth = o.depth ?? 3;
    const evals = p * depth * breadth;
    return [
      {
        phase: 'propose',
        kind: 'meta',
        calls: p * depth,
        meta: {
          examples: Math.min(o.proposalExamples ?? 32, trainset.length),
          completionTokens: 150,
          n: breadth,
        },
        ...(o.promptModel ? { lm: o.promptModel } : {}),
        how: `${p} predictor(s) × depth ${depth}, ${breadth} instructions per call`,
      },
      {
        phase: 'evaluate',
        kind: 'program',
        calls: evals * valset.length * p,
        demos: demosHeld(student),
        how: `≤ ${evals} candidates (${p} × depth ${depth} × breadth ${breadth}) × ${valset.length} valset examples × ${p}`,
      },
    ];
  }

  protected override impliedCalls(
    ctx: CompileContext,
    student: CompilableProgram,
  ): { calls: number; how: string } {
    const p = predictorsOf(student).length;
    const breadth = this.options.breadth ?? 10;
    const depth = this.options.depth ?? 3;
    const evals = p * depth * breadth;
    return {
      calls: p * depth + evals * ctx.valset.length * p,
      how: `${p * depth} proposal calls + ${evals} evaluations (${p} predictor(s) × depth ${depth} × breadth ${breadth}) × ${ctx.valset.length} examples × ${p} call(s) per run`,
    };
  }
}

function bestOf(list: readonly Attempt[]): Attempt {
  let best = list[0] as Attempt;
  for (const a of list) if (a.score > best.score) best = a;
  return best;
}

function sameInstructions(program: CompilableProgram, instructions: Record<string, string>): boolean {
  const own = instructionsOf(program);
  return Object.entries(instructions).every(([k, v]) => own[k] === v);
}
