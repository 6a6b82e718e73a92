import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, dspyTs, type Finished, makeProject, run } from './helpers.js';

/** Subprocesses start slowly on a busy machine (each one loads the TypeScript sources). */
const TIMEOUT = 180_000;
let dir = '';
const env = () => ({ DSPY_TS_CACHE_DIR: join(dir, '.cache'), OPENAI_API_KEY: '', DSPY_TS_LM: '' });
const offline = ['--lm', 'offline'];

/** A two-step program: the last predictor's output (`explanation`) is not a label of the data. */
const PIPELINE = `import { Module, Predict } from '@dspy-ts/core';
import { ClassifyIntent } from './triage.js';

export class Explained extends Module {
  classify = new Predict(ClassifyIntent);
  explain = new Predict('text, label -> explanation');

  override async forward(inputs: { text: string }) {
    const { label } = await this.classify.forward(inputs);
    const { explanation } = await this.explain.forward({ text: inputs.text, label });
    return { label, explanation };
  }
}
`;

/** Runs `dspy-ts <args>` in `dir` with `stdin` piped in. */
function dspyTsWithStdin(args: readonly string[], stdin: string): Promise<Finished> {
  return run(process.execPath, [BIN, ...args], { cwd: dir, env: env(), stdin });
}

beforeAll(async () => {
  dir = await makeProject();
  await writeFile(join(dir, 'src/explained.ts'), PIPELINE);
  const build = await dspyTs(['build'], dir, env());
  expect(build.code, build.stderr).toBe(0);
  const [triage, explained] = await Promise.all([
    dspyTs(
      [
        'compile',
        'src/triage.ts#Triage',
        '--optimizer',
        'LabeledFewShot',
        '--trainset',
        'data/train.jsonl',
      ].concat(['--metric', 'exactMatch:label', '--out', 'out/triage.json', ...offline]),
      dir,
      env(),
    ),
    dspyTs(
      [
        'compile',
        'src/explained.ts#Explained',
        '--optimizer',
        'LabeledFewShot',
        '--trainset',
        'data/train.jsonl',
      ].concat(['--metric', 'exactMatch:label', '--out', 'out/explained.json', ...offline]),
      dir,
      env(),
    ),
  ]);
  expect(triage.code, triage.stderr).toBe(0);
  expect(explained.code, explained.stderr).toBe(0);
}, TIMEOUT);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The parts of an artifact file the tests edit. */
interface ArtifactJson {
  provenance: Record<string, unknown>;
  predictors: Record<string, { signature: { hash: string } }>;
}

/** Writes a copy of out/triage.json with `edit` applied and returns its path. */
async function artifactCopy(name: string, edit: (artifact: ArtifactJson) => void): Promise<string> {
  const artifact = JSON.parse(await readFile(join(dir, 'out/triage.json'), 'utf8')) as ArtifactJson;
  edit(artifact);
  await writeFile(join(dir, 'out', name), JSON.stringify(artifact));
  return `out/${name}`;
}

describe('an artifact never names code that runs', () => {
  it.concurrent(
    'run and eval never import the module its provenance names, and ask for --program',
    async () => {
      const marker = join(dir, 'pwned.txt');
      await writeFile(
        join(dir, 'evil.ts'),
        `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(marker)}, 'ran');\nexport class Triage {}\n`,
      );
      const relative = await artifactCopy('relative.json', (a) => {
        a.provenance.program = { module: '../evil.ts', export: 'Triage' };
      });
      const absolute = await artifactCopy('absolute.json', (a) => {
        a.provenance.program = { module: join(dir, 'evil.ts'), export: 'Triage' };
      });
      const results = await Promise.all([
        dspyTs(['run', relative, '--input', '{"text": "where is my card"}', ...offline], dir, env()),
        dspyTs(['eval', absolute, '--devset', 'data/dev.jsonl', ...offline], dir, env()),
      ]);
      for (const res of results) {
        expect(res.code, res.stderr).toBe(2);
        expect(res.stderr).toContain('an artifact holds no code');
        expect(res.stderr).toContain('Pass --program src/x.ts#Export');
      }
      expect(existsSync(marker)).toBe(false);

      // With the program named, it runs on that program and says the provenance differs.
      const named = await dspyTs(
        [
          'run',
          relative,
          '--program',
          'src/triage.ts#Triage',
          '--input',
          '{"text": "where is my card"}',
        ].concat(['--json', ...offline]),
        dir,
        env(),
      );
      expect(named.code, named.stderr).toBe(0);
      expect(Object.keys(JSON.parse(named.stdout) as object)).toEqual(['label']);
      expect(named.stderr).toContain(
        'was compiled from evil.ts#Triage (its provenance), but --program gives',
      );
      expect(existsSync(marker)).toBe(false);

      // inspect shows the recorded program as information.
      const inspect = await dspyTs(['inspect', relative], dir, env());
      expect(inspect.stdout).toContain('program: ../evil.ts#Triage');
      expect(existsSync(marker)).toBe(false);
    },
    TIMEOUT,
  );

  it.concurrent(
    'the config file may name the program',
    async () => {
      const sub = join(dir, 'configured');
      await rm(sub, { recursive: true, force: true });
      await mkdir(sub);
      await writeFile(
        join(sub, 'dspy-ts.config.json'),
        JSON.stringify({ program: '../src/triage.ts#Triage', lm: 'offline', project: '../tsconfig.json' }),
      );
      const res = await dspyTs(
        ['run', '../out/triage.json', '--input', '{"text": "card not here"}', '--json'],
        sub,
        env(),
      );
      expect(res.code, res.stderr).toBe(0);
      expect(Object.keys(JSON.parse(res.stdout) as object)).toEqual(['label']);
      expect(res.stderr).not.toContain('note:');
    },
    TIMEOUT,
  );
});

describe('eval and run of a two-step program', () => {
  it.concurrent(
    'eval of an artifact uses the metric recorded at compile time; a default metric on a field no example has is refused',
    async () => {
      const [recorded, refused] = await Promise.all([
        dspyTs(
          ['eval', 'out/explained.json', '--program', 'src/explained.ts#Explained'].concat([
            '--devset',
            'data/dev.jsonl',
            '--json',
            ...offline,
          ]),
          dir,
          env(),
        ),
        dspyTs(['eval', 'src/explained.ts#Explained', '--devset', 'data/dev.jsonl', ...offline], dir, env()),
      ]);
      expect(recorded.code, recorded.stderr).toBe(0);
      const summary = JSON.parse(recorded.stdout) as { score: number; metric: string };
      expect(summary.metric).toBe('exactMatch:label');
      expect(summary.score).toBeGreaterThan(0);
      expect(refused.code, refused.stderr).toBe(2);
      expect(refused.stderr).toContain("the default metric exactMatch compares the field 'explanation'");
      expect(refused.stderr).toContain('--metric exactMatch:label');
      expect(refused.stdout).not.toContain('score:');

      // compile refuses the same default before any LM call.
      const compile = await dspyTs(
        [
          'compile',
          'src/explained.ts#Explained',
          '--optimizer',
          'LabeledFewShot',
          '--trainset',
          'data/train.jsonl',
        ].concat(['--out', 'out/unused.json', ...offline]),
        dir,
        env(),
      );
      expect(compile.code, compile.stderr).toBe(2);
      expect(compile.stderr).toContain(
        "compares the field 'explanation', which no example of data/train.jsonl has",
      );
      expect(existsSync(join(dir, 'out/unused.json'))).toBe(false);
    },
    TIMEOUT,
  );

  it.concurrent(
    'run prints the plain object a forward returns',
    async () => {
      const args = ['run', 'out/explained.json', '--program', 'src/explained.ts#Explained'];
      const [text, json] = await Promise.all([
        dspyTs([...args, '--input', '{"text": "my card has not arrived"}', ...offline], dir, env()),
        dspyTs([...args, '--input', '{"text": "my card has not arrived"}', '--json', ...offline], dir, env()),
      ]);
      expect(text.code, text.stderr).toBe(0);
      expect(text.stderr).not.toContain('toJSON');
      expect(text.stdout).toMatch(/^label: \w+\nexplanation: /);
      expect(json.code, json.stderr).toBe(0);
      expect(Object.keys(JSON.parse(json.stdout) as object)).toEqual(['label', 'explanation']);
    },
    TIMEOUT,
  );
});

describe('run reads its input from a file or stdin', () => {
  it.concurrent(
    '--input-file, --input @file and --input - give the same answer as --input',
    async () => {
      const input = '{"text": "my card has not arrived"}';
      await writeFile(join(dir, 'input.json'), input);
      const base = ['run', 'out/triage.json', '--program', 'src/triage.ts#Triage', '--json', ...offline];
      const results = await Promise.all([
        dspyTs([...base, '--input', input], dir, env()),
        dspyTs([...base, '--input-file', 'input.json'], dir, env()),
        dspyTs([...base, '--input', '@input.json'], dir, env()),
        dspyTsWithStdin([...base, '--input', '-'], input),
        dspyTsWithStdin([...base, '--input-file', '-'], input),
      ]);
      for (const res of results) expect(res.code, res.stderr).toBe(0);
      const answers = results.map((r) => JSON.parse(r.stdout) as unknown);
      for (const answer of answers) expect(answer).toEqual(answers[0]);

      const [none, bad] = await Promise.all([
        dspyTs(base, dir, env()),
        dspyTsWithStdin([...base, '--input', '-'], '[1, 2]'),
      ]);
      expect(none.code).toBe(2);
      expect(none.stderr).toContain('--input-file input.json');
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('--input - (stdin) must be a JSON object');
    },
    TIMEOUT,
  );
});

describe('usage errors and run failures', () => {
  it.concurrent(
    'a metric that throws mid-compile is a run failure (1), not bad usage',
    async () => {
      await writeFile(
        join(dir, 'src/flaky-metric.ts'),
        `let calls = 0;\nexport function flaky(example: { label: string }, pred: { label: string }) {\n  calls++;\n  if (calls === 4) throw new Error('metric exploded');\n  return example.label === pred.label;\n}\n`,
      );
      const res = await dspyTs(
        [
          'compile',
          'src/triage.ts#Triage',
          '--optimizer',
          'BootstrapFewShot',
          '--trainset',
          'data/train.jsonl',
        ].concat(['--metric', 'src/flaky-metric.ts#flaky', '--out', 'out/flaky.json', ...offline]),
        dir,
        env(),
      );
      expect(res.code, res.stderr).toBe(1);
      expect(res.stderr).toContain('metric exploded');
    },
    TIMEOUT,
  );

  it.concurrent(
    'a changed signature hash names --allow-signature-drift, and the option is accepted',
    async () => {
      const drifted = await artifactCopy('drifted.json', (a) => {
        const classify = a.predictors.classify;
        if (classify) classify.signature.hash = '0123456789abcdef';
      });
      const base = [
        'run',
        drifted,
        '--program',
        'src/triage.ts#Triage',
        '--input',
        '{"text": "card?"}',
        ...offline,
      ];
      const [refused, allowed, evalAllowed] = await Promise.all([
        dspyTs(base, dir, env()),
        dspyTs([...base, '--allow-signature-drift', '--json'], dir, env()),
        dspyTs(
          [
            'eval',
            drifted,
            '--program',
            'src/triage.ts#Triage',
            '--devset',
            'data/dev.jsonl',
            '--allow-signature-drift',
            ...offline,
          ],
          dir,
          env(),
        ),
      ]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('pass --allow-signature-drift');
      expect(refused.stderr).not.toContain('{ allowSignatureDrift: true }');
      expect(allowed.code, allowed.stderr).toBe(0);
      expect(Object.keys(JSON.parse(allowed.stdout) as object)).toEqual(['label']);
      expect(evalAllowed.code, evalAllowed.stderr).toBe(0);
    },
    TIMEOUT,
  );

  it.concurrent(
    'a provider that needs a key, with none set, stops at once naming the variable',
    async () => {
      const lm = ['--lm', 'openai/gpt-4o-mini'];
      const [evalRun, run] = await Promise.all([
        dspyTs(
          [
            'eval',
            'src/triage.ts#Triage',
            '--devset',
            'data/dev.jsonl',
            '--metric',
            'exactMatch:label',
            ...lm,
          ],
          dir,
          env(),
        ),
        dspyTs(
          ['run', 'out/triage.json', '--program', 'src/triage.ts#Triage', '--input', '{"text": "x"}', ...lm],
          dir,
          env(),
        ),
      ]);
      for (const res of [evalRun, run]) {
        expect(res.code, res.stderr).toBe(2);
        expect(res.stderr.match(/OPENAI_API_KEY is not set/g)).toHaveLength(1);
        expect(res.stdout).toBe('');
      }
    },
    TIMEOUT,
  );
});

describe('a missing or stale generated module', () => {
  let fresh = '';
  beforeAll(async () => {
    fresh = await makeProject();
  });
  afterAll(async () => {
    if (fresh) await rm(fresh, { recursive: true, force: true });
  });

  it(
    'eval builds first and says so in one line, when the module is missing and when a source changed',
    async () => {
      const args = [
        'eval',
        'src/triage.ts#Triage',
        '--devset',
        'data/dev.jsonl',
        '--metric',
        'exactMatch:label',
        ...offline,
      ];
      const missing = await dspyTs(args, fresh, env());
      expect(missing.code, missing.stderr).toBe(0);
      expect(missing.stderr).toContain(
        'the generated module src/dspy.generated.ts is missing; running dspy-ts build first',
      );
      expect(missing.stdout).toMatch(/score: [\d.]+% on 18 example\(s\)/);

      const source = join(fresh, 'src/triage.ts');
      const text = await readFile(source, 'utf8');
      await writeFile(
        source,
        text.replace(
          '@OutputField() label!: Intent;',
          '@OutputField() label!: Intent;\n  @OutputField() urgent!: boolean;',
        ),
      );
      const stale = await dspyTs(args, fresh, env());
      expect(stale.code, stale.stderr).toBe(0);
      const notes = stale.stderr.split('\n').filter((l) => l.includes('generated module'));
      expect(notes).toEqual([
        'dspy-ts: the generated module src/dspy.generated.ts is stale (src/triage.ts changed); running dspy-ts build first.',
      ]);
      const again = await dspyTs(args, fresh, env());
      expect(again.stderr).not.toContain('generated module');

      // A source the build step cannot extract stops the command with the located problem.
      await writeFile(
        source,
        text.replace(
          '@OutputField() label!: Intent;',
          '@OutputField() label!: Intent;\n  @OutputField() id!: symbol;',
        ),
      );
      const broken = await dspyTs(args, fresh, env());
      await writeFile(source, text);
      expect(broken.code, broken.stderr).toBe(1);
      expect(broken.stderr).toContain('dspy-ts build found 1 problem(s)');
      expect(broken.stderr).toMatch(/src\/triage\.ts:\d+:\d+ {2}ClassifyIntent\.id: /);
      expect(broken.stdout).toBe('');
    },
    // Four runs one after another, three of them building.
    2 * TIMEOUT,
  );

  it(
    'without a tsconfig to build from, the real cause is reported',
    async () => {
      await rm(join(fresh, 'src/dspy.generated.ts'), { force: true });
      const res = await dspyTs(
        [
          'eval',
          'src/triage.ts#Triage',
          '--project',
          'nope/tsconfig.json',
          '--devset',
          'data/dev.jsonl',
          '--metric',
          'exactMatch:label',
          ...offline,
        ],
        fresh,
        env(),
      );
      expect(res.code).not.toBe(0);
      expect(res.stderr).toContain('dspy-ts build');
      expect(res.stderr).not.toContain('cannot construct');
      expect(res.stderr).not.toContain('is not a program');
    },
    TIMEOUT,
  );
});
