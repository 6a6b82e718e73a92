import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDspyError, LM } from '@dspy-ts/core';
import { describe, expect, it } from 'vitest';
import {
  checkConfig,
  EXIT_FAILED,
  EXIT_USAGE,
  exitCodeOf,
  loadConfig,
  parseBudget,
  parseCsv,
  parseInputsFlag,
  parseOptionsJson,
  parseProgramRef,
  readRows,
  resolveLM,
  toExamples,
  usageError,
} from '../../src/index.js';

async function tempFile(name: string, text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'dspy-ts-cli-'));
  const file = join(dir, name);
  await writeFile(file, text);
  return file;
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}

describe('datasets', () => {
  it('reads JSONL, skipping blank lines', async () => {
    const file = await tempFile('d.jsonl', '{"q":"a","answer":"1"}\n\n{"q":"b","answer":"2"}\n');
    expect(await readRows(file)).toEqual([
      { q: 'a', answer: '1' },
      { q: 'b', answer: '2' },
    ]);
  });

  it('reports a malformed JSONL line with its number', async () => {
    const file = await tempFile('d.jsonl', '{"q":"a"}\n{"q":\n');
    const err = await readRows(file).catch((e: unknown) => e);
    expect(isDspyError(err, 'DATASET_INVALID')).toBe(true);
    expect((err as Error).message).toContain(':2: malformed JSONL line');
    expect(exitCodeOf(err)).toBe(EXIT_USAGE);
  });

  it('reads CSV with quotes, commas and line breaks in cells', async () => {
    expect(parseCsv('text,label\r\n"a, ""b""",x\n"two\nlines",y\n')).toEqual([
      ['text', 'label'],
      ['a, "b"', 'x'],
      ['two\nlines', 'y'],
    ]);
    const file = await tempFile('d.csv', 'text,label\nhello,greet\n');
    expect(await readRows(file)).toEqual([{ text: 'hello', label: 'greet' }]);
  });

  it('reads a JSON array and rejects other JSON', async () => {
    expect(await readRows(await tempFile('d.json', '[{"a":1}]'))).toEqual([{ a: 1 }]);
    const err = await readRows(await tempFile('d.json', '{"a":1}')).catch((e: unknown) => e);
    expect(isDspyError(err, 'DATASET_INVALID')).toBe(true);
  });

  it('a missing file is bad usage', async () => {
    const err = await readRows('/nonexistent/data.jsonl').catch((e: unknown) => e);
    expect(isDspyError(err, 'CLI_USAGE')).toBe(true);
  });

  it('marks input keys and requires them in every row', () => {
    expect(parseInputsFlag(' question, context ,')).toEqual(['question', 'context']);
    const [ex] = toExamples([{ question: 'q', answer: 'a' }], ['question'], 'd.jsonl');
    expect(ex?.inputs().toJSON()).toEqual({ question: 'q' });
    const err = thrown(() => toExamples([{ answer: 'a' }], ['question'], 'd.jsonl'));
    expect((err as Error).message).toContain("d.jsonl[0] has no 'question'");
  });
});

describe('flags', () => {
  it('parses program references', () => {
    expect(parseProgramRef('src/triage.ts#Triage')).toEqual({
      module: 'src/triage.ts',
      exportName: 'Triage',
    });
    expect(parseProgramRef('src/triage.ts')).toEqual({ module: 'src/triage.ts', exportName: 'default' });
    expect(
      isDspyError(
        thrown(() => parseProgramRef('src/x.ts#')),
        'CLI_USAGE',
      ),
    ).toBe(true);
  });

  it('parses budgets and rejects unknown keys or bad numbers', () => {
    expect(parseBudget('calls=500, tokens=2000,cost=1.5')).toEqual({
      maxLMCalls: 500,
      maxTokens: 2000,
      maxCost: 1.5,
    });
    expect(parseBudget(undefined)).toEqual({});
    expect((thrown(() => parseBudget('calls=-1')) as Error).message).toContain(
      "bad --budget entry 'calls=-1'",
    );
    expect((thrown(() => parseBudget('time=3')) as Error).message).toContain("unknown --budget key 'time'");
  });

  it('parses optimizer options as a JSON object', () => {
    expect(parseOptionsJson('{"k": 8}')).toEqual({ k: 8 });
    expect(
      isDspyError(
        thrown(() => parseOptionsJson('[1]')),
        'CLI_USAGE',
      ),
    ).toBe(true);
  });

  it('maps errors to exit codes', () => {
    expect(exitCodeOf(usageError('x', 'y', 'z'))).toBe(EXIT_USAGE);
    expect(exitCodeOf(new Error('boom'))).toBe(EXIT_FAILED);
  });
});

describe('LM choice', () => {
  it('uses the offline default when nothing is set', () => {
    const r = resolveLM({ env: {} });
    expect(r.offline).toBe(true);
    expect(r.source).toBe('default');
    // The same offline default as `new LM('offline')` everywhere: an LM, not a testing double.
    expect(r.lm).toBeInstanceOf(LM);
    expect(r.lm.model).toBe('offline');
  });

  it('prefers --lm over the config over DSPY_TS_LM', () => {
    const env = { DSPY_TS_LM: 'ollama/from-env' };
    expect(resolveLM({ env }).name).toBe('ollama/from-env');
    expect(resolveLM({ env, config: { lm: 'ollama/from-config' } }).name).toBe('ollama/from-config');
    const flag = resolveLM({
      env,
      config: { lm: 'ollama/c' },
      flag: 'vllm/from-flag',
      baseURL: 'http://127.0.0.1:9/v1',
    });
    expect(flag).toMatchObject({ name: 'vllm/from-flag', source: '--lm', baseURL: 'http://127.0.0.1:9/v1' });
    expect(flag.lm).toBeInstanceOf(LM);
    const offline = resolveLM({ env, flag: 'offline' });
    expect(offline).toMatchObject({ offline: true, source: '--lm', name: 'offline' });
    expect(offline.lm).toBeInstanceOf(LM);
    expect((offline.lm as LM).provider).toBe('offline');
  });
});

describe('config file', () => {
  it('loads dspy-ts.config.json and checks its keys', async () => {
    const file = await tempFile('dspy-ts.config.json', '{"lm": "ollama/llama3.2", "concurrency": 4}');
    const { config } = await loadConfig(join(file, '..'));
    expect(config).toEqual({ lm: 'ollama/llama3.2', concurrency: 4 });
    expect((thrown(() => checkConfig({ model: 'x' }, 'c.json')) as Error).message).toContain(
      "unknown key 'model'",
    );
    expect((thrown(() => checkConfig({ concurrency: '4' }, 'c.json')) as Error).message).toContain(
      'must be a number',
    );
  });
});

describe('config file in TypeScript', () => {
  it('loads the default export of dspy-ts.config.ts', async () => {
    const file = await tempFile(
      'dspy-ts.config.ts',
      "const config: { lm: string } = { lm: 'offline' };\nexport default config;\n",
    );
    await writeFile(join(file, '..', 'package.json'), '{"type":"module"}');
    const { config, file: found } = await loadConfig(join(file, '..'));
    expect(found).toBe(file);
    expect(config).toEqual({ lm: 'offline' });
  });
});
