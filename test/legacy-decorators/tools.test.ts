import ts from 'typescript';
import { afterEach, describe, expect, it } from 'vitest';
import * as core from '../../packages/core/src/index.js';
import { type DspyError, registerManifest, Tool, toolsOf } from '../../packages/core/src/index.js';
import { clearManifests } from '../../packages/core/src/internal.js';

// This directory compiles with experimentalDecorators: @Tool() gets (prototype, key, descriptor).

afterEach(() => clearManifests());

class Shop {
  private readonly stock = new Map([['apple', 3]]);

  @Tool({ desc: 'How many of an item are in stock.' })
  count(item: string): number {
    return this.stock.get(item) ?? 0;
  }

  @Tool({ name: 'restock' })
  add(item: string, quantity: number): string {
    this.stock.set(item, (this.stock.get(item) ?? 0) + quantity);
    return `${item}: ${this.stock.get(item)}`;
  }
}

// tsc with emitDecoratorMetadata records design:paramtypes; esbuild does not, so compile with tsc.
const SOURCE = `
import { Tool } from '@dspy-ts/core';
export class Weather {
  @Tool({ desc: 'Forecast for a city.' })
  forecast(city: string, days: number, metric: boolean = true): string {
    return city + days + metric;
  }
  @Tool()
  many(cities: string[]): string {
    return cities.join();
  }
}
`;

function compileWeather(): new () => object {
  const { outputText } = ts.transpileModule(SOURCE, {
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      experimentalDecorators: true,
      emitDecoratorMetadata: true,
    },
  });
  expect(outputText).toContain('__metadata("design:paramtypes", [String, Number, Boolean])');
  const exports: Record<string, unknown> = {};
  const require = (id: string) => {
    if (id === '@dspy-ts/core') return core;
    throw new Error(`unexpected import ${id}`);
  };
  new Function('exports', 'require', outputText)(exports, require);
  return exports.Weather as new () => object;
}

describe('@Tool (legacy decorators)', () => {
  it('collects bound tools with manifest schemas, validating and coercing arguments', async () => {
    registerManifest({
      version: 1,
      sourceHashes: {},
      signatures: {},
      tools: {
        'Shop.count': {
          name: 'Shop.count',
          toolName: 'count',
          location: 'src/shop.ts:4:3',
          description: 'From JSDoc.',
          params: ['item'],
          parameters: { type: 'object', properties: { item: { type: 'string' } }, required: ['item'] },
        },
        'Shop.add': {
          name: 'Shop.add',
          toolName: 'restock',
          location: 'src/shop.ts:9:3',
          description: 'Adds stock.',
          params: ['item', 'quantity'],
          parameters: {
            type: 'object',
            properties: { item: { type: 'string' }, quantity: { type: 'integer', minimum: 1 } },
            required: ['item', 'quantity'],
          },
        },
      },
    });
    const [count, restock] = toolsOf(new Shop());
    expect(count?.name).toBe('count');
    expect(count?.description).toBe('How many of an item are in stock.');
    expect(restock?.name).toBe('restock');
    expect(restock?.description).toBe('Adds stock.');
    expect(await restock?.call({ item: 'apple', quantity: '2' })).toBe('apple: 5');
    expect(await count?.call({ item: 'apple' })).toBe(5);
    const err = (await restock?.call({ item: 'pear', quantity: 0 }).catch((e: unknown) => e)) as DspyError;
    expect(err.code).toBe('TOOL_ERROR');
    expect(err.message).toContain("tool 'restock': invalid arguments: argument 'quantity': must be >= 1.");
  });

  it('without a manifest, says to run the build', () => {
    const [count] = toolsOf(new Shop());
    let error: DspyError | undefined;
    try {
      void count?.parameters;
    } catch (e) {
      error = e as DspyError;
    }
    expect(error?.code).toBe('SCHEMA_MISSING');
    expect(error?.message).toContain("tool 'count': no JSON Schema for its arguments");
    expect(error?.details.fix).toContain('dspy-ts build');
  });

  it('falls back to primitive design:paramtypes from tsc, and rejects richer ones', async () => {
    const Weather = compileWeather();
    const [forecast, many] = toolsOf(new Weather());
    expect(forecast?.parameters).toEqual({
      type: 'object',
      properties: { city: { type: 'string' }, days: { type: 'number' }, metric: { type: 'boolean' } },
      required: ['city', 'days'],
    });
    expect(forecast?.params).toEqual(['city', 'days', 'metric']);
    expect(await forecast?.call({ city: 'Oslo', days: '3' })).toBe('Oslo3true');
    expect(() => many?.parameters).toThrow(/parameter 'cities' is not a string, number or boolean/);
  });
});
