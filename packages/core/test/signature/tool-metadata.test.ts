import { describe, expect, it } from 'vitest';
import { DspyError } from '../../src/errors.js';
import { recordToolMethod, type ToolOptions, toolMethodsOf } from '../../src/signature/index.js';

// A stand-in for the modules area's @Tool(), built on the recording hook.
const Tool =
  (opts?: ToolOptions) =>
  (...args: unknown[]): undefined =>
    recordToolMethod(args, opts);

class Tools {
  @Tool({ name: 'add_numbers', desc: 'Adds two numbers.' })
  add(a: number, b: number): number {
    return a + b;
  }

  @Tool()
  lookup(key: string): string {
    return key;
  }

  helper(): void {}
}

class MoreTools extends Tools {
  @Tool({ desc: 'Now documented.' })
  override lookup(key: string): string {
    return key.toUpperCase();
  }
}

describe('tool metadata (TC39 mode)', () => {
  it('records tool methods in order, with name and desc, through the class chain', () => {
    expect(toolMethodsOf(Tools)).toEqual([
      { key: 'add', toolName: 'add_numbers', desc: 'Adds two numbers.' },
      { key: 'lookup' },
    ]);
    expect(toolMethodsOf(MoreTools)).toEqual([
      { key: 'add', toolName: 'add_numbers', desc: 'Adds two numbers.' },
      { key: 'lookup', desc: 'Now documented.' },
    ]);
    expect(new Tools().add(1, 2)).toBe(3);
  });

  it('reports a TC39 misuse with the class name when the tools are read', () => {
    class Broken {
      @Tool({ name: 3 } as never) run(): void {}
    }
    expect(() => toolMethodsOf(Broken)).toThrow(/^@Tool\(\) on Broken\.run: option 'name' must be a string/);
  });

  it('reports misuse in legacy argument form at once', () => {
    class Legacy {}
    const err = (() => {
      try {
        recordToolMethod([Legacy.prototype, 'x', undefined], { name: 'x' });
      } catch (e) {
        return e as DspyError;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(DspyError);
    expect(err?.message).toMatch(/^@Tool\(\) on Legacy\.x: decorates methods, not a field/);
    const descriptor = { value: () => 1, writable: true, configurable: true };
    recordToolMethod([Legacy.prototype, 'run', descriptor], { desc: 'Runs.' });
    expect(toolMethodsOf(Legacy)).toEqual([{ key: 'run', desc: 'Runs.' }]);
  });
});
