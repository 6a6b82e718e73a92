import { OfflineLM, ScriptedLM } from '@dspy-ts/testing';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  ChatAdapter,
  type Code,
  isDspyError,
  JSONAdapter,
  Predict,
  type SignatureSpec,
  signature,
  TwoStepAdapter,
  XMLAdapter,
} from '../../src/index.js';
import { fenceCode, parseCode } from '../../src/internal.js';

const PROGRAM = 'def add(a, b):\n    return a + b\n\nprint(add(1, 2))';

describe('Code in string signatures', () => {
  it('reads Code, Code[python], Code<python> and quoted languages, and types the value', () => {
    const spec = signature("task, draft?: Code -> program: Code[python], query: Code<'sql'>");
    const [, draft] = spec.inputs;
    const [program, query] = spec.outputs;
    expect(draft?.schema['x-dspy-type']).toBe('Code');
    expect(draft?.schema['x-dspy-language']).toBeUndefined();
    expect(program?.schema).toMatchObject({ 'x-dspy-type': 'Code', 'x-dspy-language': 'python' });
    expect(program?.typeText).toBe('Code[python]');
    expect(query?.schema['x-dspy-language']).toBe('sql');
    const typed = signature("task -> program: Code[python], query: Code<'sql'>, any: Code");
    expectTypeOf(typed).toEqualTypeOf<
      SignatureSpec<{ task: string }, { program: Code<'python'>; query: Code<'sql'>; any: Code }>
    >();
  });

  it('a malformed Code type is a SIGNATURE_PARSE error that says how to write it', () => {
    let err: unknown;
    try {
      signature('task -> program: Code[py thon!]');
    } catch (e) {
      err = e;
    }
    expect(isDspyError(err, 'SIGNATURE_PARSE')).toBe(true);
    expect(String(err)).toMatch(/Code\[language\]/);
  });

  it('a Reasoning input is refused', () => {
    expect(() => signature('thinking: Reasoning -> answer')).toThrow(/Reasoning is what a model writes/);
  });
});

describe('parseCode and fenceCode', () => {
  it('keeps the body of the first fenced block, with the fence tag as the language', () => {
    expect(parseCode(`Here it is:\n\`\`\`python\n${PROGRAM}\n\`\`\`\nDone.`)).toEqual({
      code: PROGRAM,
      language: 'python',
    });
    expect(parseCode('```\nSELECT 1\n```', 'sql')).toEqual({ code: 'SELECT 1', language: 'sql' });
    expect(parseCode('  SELECT 1  ', 'sql')).toEqual({ code: '  SELECT 1', language: 'sql' });
    expect(parseCode('```js\nlet a = 1;')).toEqual({ code: 'let a = 1;', language: 'js' });
  });

  it('round-trips code that holds a fence of its own', () => {
    const markdown = 'print("""\n```\nnot a fence end\n```\n""")';
    const fenced = fenceCode({ code: markdown, language: 'python' });
    expect(fenced.startsWith('````python\n')).toBe(true);
    expect(parseCode(fenced).code).toBe(markdown);
  });
});

describe('Code through the adapters', () => {
  const spec = signature('task, draft: Code[python] -> program: Code[python]');
  const inputs = { task: 'Add two numbers.', draft: { code: 'add = None', language: 'python' } };

  it('ChatAdapter tells the language, shows inputs fenced and reads a fenced answer', () => {
    const adapter = new ChatAdapter({ fallback: false });
    const messages = adapter.format(spec, { inputs });
    expect(messages[0]?.content).toContain('must be python source code, written in a fenced code block');
    expect(messages.at(-1)?.content).toContain('[[ ## draft ## ]]\n```python\nadd = None\n```');
    const out = adapter.parse(
      spec,
      `[[ ## program ## ]]\n\`\`\`python\n${PROGRAM}\n\`\`\`\n\n[[ ## completed ## ]]`,
    );
    expect(out.program).toEqual({ code: PROGRAM, language: 'python' });
  });

  it('a plain string given as a Code input is shown fenced in the field language', async () => {
    const messages = new ChatAdapter().format(spec, { inputs: { task: 't', draft: 'x = 1' } });
    expect(messages.at(-1)?.content).toContain('```python\nx = 1\n```');
    const lm = new ScriptedLM([{ program: { code: 'x = 2' } }]);
    // Data loaded from JSON may hold the source alone: accepted at run time.
    const draft = 'x = 1' as unknown as Code<'python'>;
    const pred = await new Predict(spec, { lm }).forward({ task: 't', draft });
    expect(pred.program).toEqual({ code: 'x = 2', language: 'python' });
    expect(lm.requests[0]?.messages.at(-1)?.content).toContain('```python\nx = 1\n```');
    await expect(new Predict(spec, { lm }).forward({ task: 't', draft: 42 as never })).rejects.toThrow(
      /draft/,
    );
  });

  it('XMLAdapter reads code that holds < and & unchanged', () => {
    const code = 'if a < b && c > d:\n    pass';
    const out = new XMLAdapter({ fallback: false }).parse(
      spec,
      `<program>\n\`\`\`python\n${code}\n\`\`\`\n</program>`,
    );
    expect(out.program).toEqual({ code, language: 'python' });
  });

  it('JSONAdapter asks for { code } in its schema and reads an object or a fenced string', () => {
    const adapter = new JSONAdapter();
    const lm = new ScriptedLM([]);
    const format = adapter.requestOptions(spec, lm).responseFormat;
    expect(format?.type === 'json_schema' && JSON.stringify(format.schema)).not.toContain('x-dspy');
    expect(format?.type === 'json_schema' && format.schema.properties).toMatchObject({
      program: { type: 'object', properties: { code: { type: 'string' } } },
    });
    expect(adapter.parse(spec, JSON.stringify({ program: { code: PROGRAM } })).program).toEqual({
      code: PROGRAM,
      language: 'python',
    });
    expect(
      adapter.parse(spec, JSON.stringify({ program: `\`\`\`python\n${PROGRAM}\n\`\`\`` })).program,
    ).toEqual({
      code: PROGRAM,
      language: 'python',
    });
  });

  it('Predict returns a typed Code value; demos render fenced; TwoStep extracts it', async () => {
    const lm = new ScriptedLM([{ program: { code: PROGRAM, language: 'python' } }]);
    const write = new Predict('task -> program: Code[python]', { lm });
    write.demos = [{ task: 'Say hi.', program: { code: 'print("hi")', language: 'python' } }];
    const pred = await write.forward({ task: 'Add.' });
    expectTypeOf(pred.program).toEqualTypeOf<Code<'python'>>();
    expect(pred.program.code).toBe(PROGRAM);
    expect(lm.requests[0]?.messages[2]?.content).toContain('```python\nprint("hi")\n```');
    const main = new ScriptedLM([`Here is the program:\n\`\`\`python\n${PROGRAM}\n\`\`\``]);
    const extractor = new ScriptedLM([{ program: { code: PROGRAM } }]);
    const two = new Predict('task -> program: Code[python]', {
      lm: main,
      adapter: new TwoStepAdapter({ extractionModel: extractor }),
    });
    expect((await two.forward({ task: 'Add.' })).program).toEqual({ code: PROGRAM, language: 'python' });
  });

  it('OfflineLM learns a Code output from a demo through every adapter', async () => {
    for (const adapter of [
      new ChatAdapter({ fallback: false }),
      new JSONAdapter(),
      new XMLAdapter({ fallback: false }),
    ]) {
      const write = new Predict('task -> program: Code[python]', { lm: new OfflineLM(), adapter });
      write.demos = [{ task: 'Add two numbers.', program: { code: PROGRAM, language: 'python' } }];
      const pred = await write.forward({ task: 'Add two numbers.' });
      expect(pred.program).toEqual({ code: PROGRAM, language: 'python' });
    }
  });
});
