import { DspyError } from '@dspy-ts/core';
import { type RandomGenerator, unsafeUniformIntDistribution, xoroshiro128plus } from 'pure-rand';
import { FAULT_KINDS, type FaultKind, type FaultOptions } from './types.js';

const DEFAULT_RATE_KINDS: readonly FaultKind[] = ['429', '500', '503', 'reset', 'malformed', 'truncated'];
const SCALE = 1_000_000;

/** Header a client may send to force a fault on one request (`x-test-fault: 503`). */
export const FAULT_HEADER = 'x-test-fault';

/** Decides, request by request, which fault (if any) to inject; deterministic for a given seed. */
export class FaultPlanner {
  private readonly rng: RandomGenerator;
  private readonly kinds: readonly FaultKind[];
  private attempt = 0;

  constructor(private readonly options: FaultOptions = {}) {
    validateFaults(options);
    this.rng = xoroshiro128plus(options.seed ?? 0);
    this.kinds = options.kinds?.length ? options.kinds : DEFAULT_RATE_KINDS;
  }

  /** The fault of the next chat request; `forced` comes from the request header. */
  next(forced?: string): FaultKind | null {
    const i = this.attempt++;
    if (forced && isFaultKind(forced)) return forced;
    const seq = this.options.sequence;
    if (seq && i < seq.length) return seq[i] ?? null;
    if (this.options.always) return this.options.always;
    const rate = this.options.rate ?? 0;
    if (rate <= 0) return null;
    // Two draws per request whatever the outcome, so the stream of faults depends on the seed only.
    const hit = unsafeUniformIntDistribution(0, SCALE - 1, this.rng) < rate * SCALE;
    const pick = unsafeUniformIntDistribution(0, this.kinds.length - 1, this.rng);
    return hit ? (this.kinds[pick] ?? null) : null;
  }
}

/** True when `s` names a {@link FaultKind}. */
export function isFaultKind(s: string): s is FaultKind {
  return (FAULT_KINDS as readonly string[]).includes(s);
}

function validateFaults(o: FaultOptions): void {
  const bad = (what: string, fix: string): never => {
    throw new DspyError('INPUT_INVALID', `startTestServer: invalid faults.${what}`, {
      details: { where: `startTestServer({ faults: { ${what} } })`, fix },
    });
  };
  const kindsFix = `Use one of: ${FAULT_KINDS.join(', ')}.`;
  if (o.rate !== undefined && !(o.rate >= 0 && o.rate <= 1))
    bad(`rate (${o.rate})`, 'Give a number in 0..1.');
  for (const k of [...(o.kinds ?? []), ...(o.always ? [o.always] : [])]) {
    if (!isFaultKind(k)) bad(`kind "${k}"`, kindsFix);
  }
  for (const k of o.sequence ?? []) if (k !== null && !isFaultKind(k)) bad(`sequence entry "${k}"`, kindsFix);
  if (o.retryAfterSeconds !== undefined && !(o.retryAfterSeconds >= 0)) {
    bad(`retryAfterSeconds (${o.retryAfterSeconds})`, 'Give a number of seconds >= 0.');
  }
}
