import type { Prediction } from '../data/prediction.js';
import { DspyError } from '../errors.js';
import type { DeltaSink } from './context.js';
import type { AsyncQueue } from './queue.js';
import type { ProgramStreamEvent, StreamEvent, StreamifyOptions, StreamListener } from './stream-events.js';
import { isPredictor, type Predictor } from './types.js';
import { isModule, walkModule } from './walk.js';

const LINEAGE = Symbol.for('dspy-ts.predictorLineage');

function lineage(p: object): unknown {
  return (p as { [LINEAGE]?: unknown })[LINEAGE];
}

/**
 * Runs `run` with `sink` in scope; yields what the sink receives, then the result. The pump is
 * loaded on the first iteration.
 */
async function* pump<E, R>(
  sink: (queue: AsyncQueue<E>) => DeltaSink,
  run: () => Promise<R>,
  final: (r: R) => E,
): AsyncGenerator<E> {
  const loaded = await import('./stream-pump.js');
  yield* loaded.pump(sink, run, final);
}

/** Streams one predictor's call (what `predict.stream` uses). @internal */
export function streamPredictor<O extends Record<string, unknown>>(
  predictor: Predictor,
  run: () => Promise<Prediction<O>>,
): AsyncIterable<StreamEvent<O>> {
  return pump<StreamEvent<O>, Prediction<O>>(
    (queue) => ({
      wants: (p) => p === predictor,
      push: (_p, field, delta) => queue.push({ type: 'delta', field, delta } as StreamEvent<O>),
    }),
    run,
    (prediction) => ({ type: 'prediction', prediction }),
  );
}

interface Matcher {
  readonly paths: ReadonlySet<string>;
  readonly prefixes: readonly string[];
  readonly lineages: ReadonlySet<unknown>;
  readonly field: string | undefined;
}

function matcherOf(listener: StreamListener): Matcher {
  const target = listener.predictor;
  const lineages = new Set<unknown>();
  if (typeof target === 'string') {
    return { paths: new Set([target]), prefixes: [`${target}.`], lineages, field: listener.field };
  }
  if (isPredictor(target)) lineages.add(lineage(target) ?? target);
  else if (isModule(target)) for (const [, p] of walkModule(target).predictors) lineages.add(lineage(p) ?? p);
  else {
    throw new DspyError(
      'MODULE_INVALID',
      'streamify: a listener must name a predictor path, a predictor or a module.',
      {
        details: {
          where: 'streamify listeners',
          fix: "Use { predictor: 'generate.predict' } or { predictor: program.generate }.",
        },
      },
    );
  }
  return { paths: new Set(), prefixes: [], lineages, field: listener.field };
}

function matches(m: Matcher, predictor: Predictor, path: string | undefined): boolean {
  if (m.lineages.has(lineage(predictor) ?? predictor)) return true;
  if (path === undefined) return false;
  return m.paths.has(path) || m.prefixes.some((p) => path.startsWith(p));
}

type Forwardable<A extends unknown[], R> = { forward(...args: A): Promise<R> };

/**
 * Wraps a program so that calling it yields the text deltas of selected predictors as they
 * are written (and, for an agent's predictor, each tool call as it starts and ends), then the
 * program's output. Listeners are matched at call time by path or by
 * predictor identity (kept by `clone()`), so compiled or loaded copies stream the same way.
 *
 * @example
 * ```ts
 * const run = streamify(rag, { listeners: [{ predictor: 'generate.predict', field: 'answer' }] });
 * for await (const ev of run({ question })) {
 *   if (ev.type === 'delta') process.stdout.write(ev.delta);
 * }
 * ```
 */
export function streamify<A extends unknown[], R>(
  program: Forwardable<A, R>,
  options: StreamifyOptions = {},
): (...args: A) => AsyncIterable<ProgramStreamEvent<R>> {
  const matchers = options.listeners?.map(matcherOf);
  return (...args: A) =>
    pump<ProgramStreamEvent<R>, R>(
      (queue) => {
        const paths = new Map<Predictor, string>();
        for (const [path, p] of walkModule(program).predictors) paths.set(p, path);
        const fieldsFor = (p: Predictor): (string | undefined)[] | undefined => {
          if (!matchers) return [undefined];
          const hit = matchers.filter((m) => matches(m, p, paths.get(p)));
          return hit.length > 0 ? hit.map((m) => m.field) : undefined;
        };
        return {
          wants: (p) => fieldsFor(p) !== undefined,
          push: (p, field, delta) => {
            const fields = fieldsFor(p);
            if (!fields?.some((f) => f === undefined || f === field)) return;
            queue.push({ type: 'delta', predictor: paths.get(p) ?? '', field, delta });
          },
          tool: (p, field, event) => {
            const fields = fieldsFor(p);
            if (!fields?.some((f) => f === undefined || f === field)) return;
            queue.push({ ...event, predictor: paths.get(p) ?? '' });
          },
        };
      },
      () => program.forward(...args),
      (prediction) => ({ type: 'prediction', prediction }),
    );
}
