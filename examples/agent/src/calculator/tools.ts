import { Tool } from '@dspy-ts/core';
import { calculate } from './calculate.js';

const UNITS: Record<string, string> = {
  dozen: '1 dozen = 12',
  week: '1 week = 7 days',
  day: '1 day = 24 hours',
  hour: '1 hour = 60 minutes',
  year: '1 year = 12 months = 52 weeks = 365 days',
  percent: 'x% of y = x / 100 * y',
  half: 'half of y = y / 2',
};

/** The agent's tools: typed methods the build step turns into argument schemas. */
export class MathTools {
  /**
   * Evaluates an arithmetic expression and returns its value.
   * @param expression Numbers with + - * / and parentheses, e.g. (16 - 3 - 4) * 2
   */
  @Tool()
  calculator(expression: string): number {
    return calculate(expression);
  }

  /**
   * Looks up a unit or word problem convention (dozen, week, hour, percent, ...).
   * @param term The word to look up.
   */
  @Tool()
  lookup(term: string): string {
    return (
      UNITS[term.toLowerCase().trim()] ?? `No entry for '${term}'. Known: ${Object.keys(UNITS).join(', ')}.`
    );
  }
}

/** The glossary terms the lookup tool knows. */
export const LOOKUP_TERMS = Object.freeze(Object.keys(UNITS));
