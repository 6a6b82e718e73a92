import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DspyError, type ExampleProblem, isDspyError, signature } from '@dspy-ts/core';
import { describe, expect, it } from 'vitest';
import { EXIT_USAGE, loadDataset, readDataset, readRows, runCli } from '../../src/index.js';

const triage = signature("subject: string, tags: string[], votes: integer -> label: 'bug' | 'feature'");
const inputs = () => ['subject', 'tags', 'votes'];

async function tempFile(name: string, text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'dspy-ts-data-'));
  const file = join(dir, name);
  await writeFile(file, text);
  return file;
}

async function datasetError(run: () => Promise<unknown>): Promise<DspyError> {
  const err = await run().then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isDspyError(err, 'DATASET_INVALID')) throw new Error(`expected DATASET_INVALID, got ${String(err)}`);
  return err;
}

describe('dataset files: byte order mark', () => {
  it.each([
    ['d.jsonl', '{"q":"a"}\n{"q":"b"}\n'],
    ['d.json', '[{"q":"a"},{"q":"b"}]'],
    ['d.csv', 'q\na\nb\n'],
  ])('reads %s that starts with a UTF-8 BOM', async (name, text) => {
    const file = await tempFile(name, `\uFEFF${text}`);
    expect(await readRows(file)).toEqual([{ q: 'a' }, { q: 'b' }]);
  });
});

describe('dataset files: values checked against the program', () => {
  it('lists every bad JSONL row with file:line and field, at once', async () => {
    const file = await tempFile(
      'train.jsonl',
      [
        '{"subject":"Crash","tags":["editor"],"votes":3,"label":"bug"}',
        '',
        '{"subject":123,"tags":["x"],"votes":1,"label":"bug"}',
        '{"subject":"Dark mode","tags":"ui","votes":2,"label":"wish"}',
      ].join('\n'),
    );
    const err = await datasetError(() => loadDataset(file, inputs, [triage]));
    const problems = err.details.problems as ExampleProblem[];
    expect(problems.map((p) => [p.location, p.field])).toEqual([
      [`${file}:3`, 'subject'],
      [`${file}:4`, 'tags'],
      [`${file}:4`, 'label'],
    ]);
    expect(err.message).toContain(
      `${file}:3 (example 1): 'subject' is 123: must be string (expected string)`,
    );
    expect(err.message).toContain(`${file}:4 (example 2): 'label' is "wish"`);
  });

  it('types CSV cells by their field: JSON arrays, integers; and names the line a row starts on', async () => {
    const file = await tempFile(
      'train.csv',
      'subject,tags,votes,label\n"multi\nline","[""a"",""b""]",7,bug\nok,not json,x,feature\n',
    );
    // Row 2 starts on line 4 (row 1 spans lines 2-3).
    const err = await datasetError(() => loadDataset(file, inputs, [triage]));
    const problems = err.details.problems as ExampleProblem[];
    expect(problems.map((p) => [p.location, p.field])).toEqual([
      [`${file}:4`, 'tags'],
      [`${file}:4`, 'votes'],
    ]);
  });

  it('loads a valid CSV with typed values', async () => {
    const file = await tempFile('train.csv', 'subject,tags,votes,label\nhello,"[""a"",""b""]",7,bug\n');
    const [ex] = await loadDataset(file, inputs, [triage]);
    expect(ex?.toJSON()).toEqual({ subject: 'hello', tags: ['a', 'b'], votes: 7, label: 'bug' });
  });

  it('names the line of a row that lacks an input key', async () => {
    const file = await tempFile('d.jsonl', '{"subject":"a","tags":[],"votes":1}\n\n{"tags":[],"votes":1}\n');
    const err = await datasetError(() => loadDataset(file, inputs, [triage]));
    expect(err.message).toContain(`${file}:3 (example 1) has no 'subject'`);
    expect(err.details.where).toBe(`${file}:3`);
  });

  it('lists every row that lacks an input key together with every value that does not fit', async () => {
    const file = await tempFile(
      'd.jsonl',
      '{"tags":[],"votes":1}\n{"subject":7,"tags":[],"votes":1,"label":"bgu"}\n{"tags":[],"votes":2}\n',
    );
    const err = await datasetError(() => loadDataset(file, inputs, [triage]));
    expect(err.message).toContain(`${file}:1 (example 0) has no 'subject'`);
    expect(err.message).toContain(`${file}:3 (example 2) has no 'subject'`);
    expect(err.message).toContain(`${file}:2 (example 1): 'subject' is 7: must be string`);
    expect(err.message).toContain(`${file}:2 (example 1): 'label' is "bgu": must be one of "bug"`);
  });

  it('names the line of each item of a JSON array', async () => {
    const file = await tempFile(
      'dev.json',
      '[\n  {"subject": "a", "tags": [], "votes": 1},\n  {\n    "subject": "b, [x]",\n    "tags": [],\n    "votes": 1.5\n  }\n]\n',
    );
    expect((await readDataset(file)).locations).toEqual([`${file}:2`, `${file}:3`]);
    const err = await datasetError(() => loadDataset(file, inputs, [triage]));
    expect(err.details.where).toBe(`${file}:3`);
  });
});

describe('dspy-ts eval and compile: a dataset that does not fit the program', () => {
  const program = join(import.meta.dirname, 'fixtures', 'triage-program.ts#triage');
  const rows = ['{"subject":"a","votes":1,"label":"bug"}', '{"subject":7,"votes":"many","label":"wish"}'];
  // The fixture's signature is a string: no project to build (the workspace's tsconfig is not its).
  const noProject = ['--project', join(tmpdir(), 'dspy-ts-no-project', 'tsconfig.json')];

  it.each([
    ['eval', (data: string) => ['eval', program, '--devset', data, '--lm', 'offline', ...noProject]],
    [
      'compile',
      (data: string) => [
        'compile',
        program,
        '--optimizer',
        'LabeledFewShot',
        '--trainset',
        data,
        '--lm',
        'offline',
        '--out',
        join(tmpdir(), 'never-written.json'),
        ...noProject,
      ],
    ],
  ])('%s exits with every bad row and field, by file:line', async (_name, args) => {
    const data = await tempFile('rows.jsonl', rows.join('\n'));
    let err = '';
    const io = { stdout: { write: () => true }, stderr: { write: (t: string) => (err += t) } };
    const code = await runCli(args(data), io);
    expect(code).toBe(EXIT_USAGE);
    expect(err).toContain(`${data}:2 (example 1): 'subject' is 7: must be string`);
    expect(err).toContain(`${data}:2 (example 1): 'votes' is "many": must be integer`);
    expect(err).toContain(`${data}:2 (example 1): 'label' is "wish"`);
  });
});
