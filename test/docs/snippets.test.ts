/**
 * Every ```ts block of the README and of the guides listed in `CHECKED_DOCS` is written to
 * `test/docs/.tmp/` (a scratch project that sees the workspace packages under their published
 * names), run through the build step, and type-checked with the TypeScript API. The README's
 * main example is then run for real against the loopback test server, and every relative link
 * is checked.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BuildResult, build } from '../../packages/codegen/src/index.js';
import { configure, importDspyState, listProviders } from '../../packages/core/src/index.js';
import { resetSettings } from '../../packages/core/src/internal.js';
import { OfflineLM, ScriptedLM, startTestServer } from '../../packages/testing/src/index.js';
import { anchorsOf, CHECKED_DOCS, extractSnippets, relativeLinks, type Snippet } from './extract.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
// One scratch project per run, so that concurrent runs in the same checkout never collide.
const TMP = join(ROOT, 'test/docs/.tmp', `${process.pid}-${Date.now().toString(36)}`);
const PACKAGES = ['core', 'codegen', 'optimize', 'testing'];
const ROWS_PER_SPLIT = 30;
/** Samples run in-process (the others read files, call undeclared functions or configure a real LM). */
const RUNNABLE = [
  'signatures-class.ts',
  'signatures-method.ts',
  'signatures-string.ts',
  'signatures-spec.ts',
  'providers-lms.ts',
  'providers-register.ts',
  'migrating-rag.ts',
];

const snippets: Snippet[] = CHECKED_DOCS.flatMap((doc) => extractSnippets(ROOT, doc));

function writeProject(): void {
  rmSync(TMP, { recursive: true, force: true });
  mkdirSync(join(TMP, 'node_modules/@dspy-ts'), { recursive: true });
  for (const p of PACKAGES)
    symlinkSync(join(ROOT, 'packages', p), join(TMP, 'node_modules/@dspy-ts', p), 'dir');
  writeFileSync(join(TMP, 'package.json'), '{ "type": "module", "private": true }\n');
  const tsconfig = {
    extends: relative(TMP, join(ROOT, 'tsconfig.base.json')),
    compilerOptions: { noEmit: true, declaration: false, declarationMap: false, sourceMap: false },
    include: ['*.ts'],
  };
  writeFileSync(join(TMP, 'tsconfig.json'), `${JSON.stringify(tsconfig, null, 2)}\n`);
  for (const s of snippets) writeFileSync(join(TMP, s.file), s.prelude + s.code);
}

/** `doc.md:line` of a position in a snippet file. */
function docPosition(file: string, line: number): string {
  const s = snippets.find((x) => join(TMP, x.file) === file);
  if (!s) return `${relative(ROOT, file)}:${line + 1}`;
  const preludeLines = s.prelude === '' ? 0 : s.prelude.split('\n').length - 1;
  const inCode = line - preludeLines;
  return inCode < 0 ? `${s.doc}:${s.line} (prelude line ${line + 1})` : `${s.doc}:${s.line + 1 + inCode}`;
}

let built: BuildResult;

beforeAll(async () => {
  writeProject();
  built = await build({
    project: join(TMP, 'tsconfig.json'),
    out: join(TMP, 'dspy.generated.ts'),
    cache: false,
  });
}, 180_000);
// The scratch folder is gitignored; removing it keeps `biome check .` and editors off it.
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

describe('documentation samples', () => {
  it('finds the samples, each with its own file name', () => {
    expect(snippets.length).toBeGreaterThanOrEqual(8);
    const names = snippets.map((s) => s.file);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toContain('readme-example.ts');
  });

  it('links only to files and headings that exist', () => {
    const broken: string[] = [];
    for (const doc of CHECKED_DOCS) {
      for (const link of relativeLinks(readFileSync(join(ROOT, doc), 'utf8'))) {
        const [path = '', anchor] = link.split('#');
        const target = path === '' ? join(ROOT, doc) : join(ROOT, dirname(doc), path);
        if (!existsSync(target)) broken.push(`${doc}: ${link} (no such file)`);
        else if (anchor && target.endsWith('.md') && !anchorsOf(readFileSync(target, 'utf8')).has(anchor))
          broken.push(`${doc}: ${link} (no such heading)`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('lists every provider in providers.md as the provider table of @dspy-ts/core has it', () => {
    const rows = readFileSync(join(ROOT, 'docs/providers.md'), 'utf8')
      .split('\n')
      .filter((line) => /^\| `[a-z]+` /.test(line))
      .map((line) =>
        line
          .split('|')
          .slice(1, -1)
          .map((cell) => cell.trim().replace(/`/g, '')),
      );
    const documented = rows.map(([name, url, key, required, structured]) => ({
      name,
      baseURL: url?.startsWith('none') ? '' : url,
      apiKeyEnv: key,
      requiresKey: required === 'yes',
      supportsStructuredOutputs: structured === 'json_schema',
    }));
    const actual = listProviders().map((p) => ({
      name: p.name,
      baseURL: p.baseURL,
      apiKeyEnv: p.apiKeyEnv,
      requiresKey: p.requiresKey,
      supportsStructuredOutputs: p.supportsStructuredOutputs,
    }));
    expect(documented).toEqual(actual.filter((p) => documented.some((d) => d.name === p.name)));
    // Every built-in provider is documented ('gateway' is registered by a sample of the guide).
    expect(documented.map((d) => d.name)).toEqual(actual.map((p) => p.name).filter((n) => n !== 'gateway'));
  });

  it('passes the build step with no diagnostics', () => {
    const result = built;
    expect(
      result.diagnostics.map(
        (d) => `${docPosition(join(TMP, d.file), d.line - 1)}  ${d.symbol}: ${d.message}`,
      ),
    ).toEqual([]);
    expect(result.signatures.map((x) => x.name)).toEqual(
      expect.arrayContaining(['BankIntent', 'HelpDesk.reply', 'TriageTicket']),
    );
  });

  it('type-checks every sample against the workspace packages', () => {
    const configPath = join(TMP, 'tsconfig.json');
    const config = ts.getParsedCommandLineOfConfigFile(
      configPath,
      {},
      {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (d) => {
          throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
        },
      },
    );
    if (!config) throw new Error('tsconfig not readable');
    const program = ts.createProgram({ rootNames: config.fileNames, options: config.options });
    const mine = program
      .getSourceFiles()
      .filter((sf) => sf.fileName.startsWith(TMP) && !sf.fileName.includes('node_modules'));
    expect(mine.length).toBe(snippets.length + 1);
    const problems = mine.flatMap((sf) =>
      [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)].map((d) => {
        const line = d.start === undefined ? 0 : sf.getLineAndCharacterOfPosition(d.start).line;
        return `${docPosition(sf.fileName, line)}  ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
      }),
    );
    expect(problems).toEqual([]);
  }, 180_000);

  it("runs the guides' samples in-process with a scripted model", async () => {
    // Samples that need no file, network or undeclared function; answers keyed by their inputs.
    const lm = new ScriptedLM({
      'Card blocked': { priority: 'urgent', team: 'cards', answerWithinMinutes: 30 },
      'Where is my parcel?': { text: 'It is on its way.' },
      'A long text.': { summary: 'Short.' },
      '2 + 2?': { reasoning: 'Four.', verdict: 'correct', confidence: 0.9 },
    });
    configure({ lm });
    try {
      for (const file of RUNNABLE) await import(pathToFileURL(join(TMP, file)).href);
    } finally {
      resetSettings();
    }
    expect(lm.requests).toHaveLength(4);
  }, 180_000);

  it("maps a DSPy state onto the migration guide's program as the guide says", async () => {
    const { RAG } = (await import(pathToFileURL(join(TMP, 'migrating-rag.ts')).href)) as {
      RAG: new () => object;
    };
    const state = {
      'generate_answer.predict': {
        traces: [],
        train: [],
        demos: [
          {
            augmented: true,
            context: ['Paris is in France.'],
            question: 'Where is Paris?',
            answer: 'France',
          },
        ],
        signature: {
          instructions: 'Answer with a place name.',
          fields: [
            { prefix: 'Context:', description: `\${context}` },
            { prefix: 'Question:', description: `\${question}` },
            { prefix: "Reasoning: Let's think step by step in order to", description: `\${reasoning}` },
            { prefix: 'Answer:', description: 'often between 1 and 5 words' },
          ],
        },
        lm: null,
      },
      metadata: { dependency_versions: { python: '3.12', dspy: '3.0.3', cloudpickle: '3.1' } },
    };
    const report = importDspyState(JSON.stringify(state), new RAG());
    expect(report.applied).toEqual({ 'generate_answer.predict': 'generateAnswer.predict' });
  });

  it('runs the README example end to end on the loopback server', async () => {
    await using server = await startTestServer({ lm: new OfflineLM() });
    const run = join(TMP, 'run');
    mkdirSync(run);
    const data = join(ROOT, 'examples/quickstart/data');
    // The quick start's Banking77 subset (CC BY 4.0, see its SOURCES.md), cut to keep the run short.
    for (const f of ['train.jsonl', 'dev.jsonl']) {
      const rows = readFileSync(join(data, f), 'utf8').trim().split('\n').slice(0, ROWS_PER_SPLIT);
      writeFileSync(join(run, f), `${rows.join('\n')}\n`);
    }
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--conditions=@dspy-ts/source', '--import', 'tsx', join(TMP, 'readme-example.ts')],
      {
        cwd: run,
        env: {
          ...process.env,
          OPENAI_BASE_URL: server.url,
          OPENAI_API_KEY: 'test-key',
          DSPY_TS_CACHE_DIR: '',
          DSPY_TS_LM: '',
        },
        timeout: 60_000,
      },
    );
    const scores = [...stdout.matchAll(/(zero-shot|compiled) ([\d.]+)/g)].map((m) => Number(m[2]));
    expect(scores).toHaveLength(2);
    expect(scores[1]).toBeGreaterThan(scores[0] ?? 100);
    const artifact = JSON.parse(readFileSync(join(run, 'intent.json'), 'utf8')) as {
      format: string;
      predictors: object;
    };
    expect(artifact.format).toBe('dspy-ts.artifact');
    expect(Object.keys(artifact.predictors)).toEqual(['self']);
    expect(stdout).toMatch(/-> [a-z_]+/);
  }, 180_000);
});
