import { describe, expect, it } from 'vitest';
import { EXIT_OK, EXIT_USAGE, runCli } from '../../src/index.js';
import { capture } from './capture.js';

describe('runCli (in process)', () => {
  it('prints help with exit code 0', async () => {
    const io = capture();
    expect(await runCli(['--help'], io)).toBe(EXIT_OK);
    expect(io.out()).toContain('Usage: dspy-ts');
    for (const name of ['build', 'compile', 'eval', 'inspect', 'run', 'worker']) {
      expect(io.out()).toContain(name);
      const sub = capture();
      expect(await runCli([name, '--help'], sub)).toBe(EXIT_OK);
      expect(sub.out()).toContain(`Usage: dspy-ts ${name}`);
    }
  });

  it('an unknown command or a missing argument is bad usage (2)', async () => {
    const io = capture();
    expect(await runCli(['frobnicate'], io)).toBe(EXIT_USAGE);
    expect(io.err()).toContain("unknown command 'frobnicate'");
    expect(await runCli(['inspect'], io)).toBe(EXIT_USAGE);
    expect(io.err()).toContain("missing required argument 'artifact'");
  });

  it('a missing artifact is bad usage with a fix', async () => {
    const io = capture();
    expect(await runCli(['inspect', '/nonexistent/a.json'], io)).toBe(EXIT_USAGE);
    expect(io.err()).toContain('artifact not found: /nonexistent/a.json');
    expect(io.err()).toContain('How to fix');
  });

  it('an unknown optimizer is refused before anything is loaded', async () => {
    const io = capture();
    const args = ['compile', 'nope.ts#X', '--optimizer', 'Magic', '--trainset', 'x.jsonl', '--out', 'a.json'];
    expect(await runCli(args, io)).toBe(EXIT_USAGE);
    expect(io.err()).toContain("unknown optimizer 'Magic'");
    expect(io.err()).toContain('MIPROv2');
  });
});

describe('the generated module path', () => {
  it("is the build step's default", async () => {
    const { DEFAULT_OUT } = await import('@dspy-ts/codegen');
    const { GENERATED_MODULE } = await import('../../src/project.js');
    expect(GENERATED_MODULE).toBe(DEFAULT_OUT);
  });
});
