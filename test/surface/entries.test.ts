// The main entries of @dspy-ts/core, @dspy-ts/optimize, @dspy-ts/mcp, @dspy-ts/lancedb and
// @dspy-ts/distributed export what the guides use, listed here so that growing a public surface is
// a deliberate change; what the other packages share goes through the `/internal` entries, which
// docs and examples never import.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

const CORE = [
  // Signatures and data.
  ...['Signature', 'InputField', 'OutputField', 'signature', 'specOf', 'SignatureSpec', 'registerManifest'],
  ...['registerValidators', 'loadSchemaCompiler', 'loadAdapterSupport', 'loadMethodSignatures'],
  ...['Example', 'Prediction', 'validateExamples', 'History', 'ToolCalls'],
  ...['Image', 'Audio', 'File', 'Media'],
  // Modules, tools and tracing.
  ...['Module', 'Predict', 'ChainOfThought', 'ReAct', 'ProgramOfThought', 'MultiChainComparison'],
  ...['BestOfN', 'Refine', 'Parallel', 'majority', 'methodPredictor', 'streamify'],
  ...['Tool', 'tool', 'toolsOf', 'toolDefinition', 'runSandboxed', 'runWithTrace'],
  // The LM, settings, history, usage, providers, prices and caches.
  ...['LM', 'callLM', 'streamLM', 'configure', 'withSettings', 'logger', 'silentLogger'],
  ...['inspectHistory', 'getHistory', 'setHistoryLimit', 'trackUsage'],
  ...['registerProvider', 'listProviders', 'resolveModel', 'registerPrices', 'createHttpFetch'],
  ...['MemoryBudgetLedger'],
  ...['configureCache', 'MemoryCache', 'DiskCache', 'RedisCache', 'TieredCache'],
  // Adapters.
  ...[
    'ChatAdapter',
    'JSONAdapter',
    'XMLAdapter',
    'TwoStepAdapter',
    'BaseAdapter',
    'ChatStreamParser',
    'createChatStreamParser',
  ],
  // Evaluation.
  ...['evaluate', 'exactMatch', 'exactMatchOn', 'f1', 'f1On', 'tokenF1', 'normalizeText'],
  ...['normalizeMetricResult', 'formatResultsTable', 'resultsToCsv', 'reportToJson', 'saveResults'],
  ...['localRunner'],
  // Artifacts.
  ...['importDspyState', 'loadArtifact', 'parseArtifact', 'applyArtifact', 'saveProgram', 'toArtifact'],
  ...['validateArtifact', 'datasetFingerprint', 'ARTIFACT_SCHEMA', 'saveArtifact', 'loadArtifactMedia'],
  // Embeddings and retrieval.
  ...['Embedder', 'Embeddings', 'BM25Retriever', 'HybridRetriever'],
  // Errors.
  ...['DspyError', 'isDspyError'],
];

const OPTIMIZE = [
  ...['LabeledFewShot', 'BootstrapFewShot', 'BootstrapFewShotWithRandomSearch', 'BootstrapRS'],
  ...['KNNFewShot', 'KNNProgram', 'TfidfVectorizer', 'COPRO', 'MIPROv2', 'SIMBA', 'GEPA'],
  ...['Ensemble', 'EnsembleProgram', 'Optimizer', 'saveReport', 'formatEstimate'],
];

const MCP = ['connectMcp', 'mcpTools', 'DEFAULT_MCP_TIMEOUT_MS'];
const LANCEDB = ['LanceRetriever'];

const DISTRIBUTED = [
  'QueueRunner',
  'startWorker',
  'DEFAULT_QUEUE',
  'RedisBudgetLedger',
  'DEFAULT_BUDGET_PREFIX',
];

const sorted = (names: readonly string[]) => [...names].sort();

/** The files users read and copy from: docs, READMEs and the examples' sources. */
function userFacingFiles(): string[] {
  const files = ['README.md', ...readdirSync(join(REPO, 'docs')).map((f) => join('docs', f))];
  for (const pkg of readdirSync(join(REPO, 'packages'))) files.push(join('packages', pkg, 'README.md'));
  for (const entry of readdirSync(join(REPO, 'examples'), { recursive: true, withFileTypes: true })) {
    const path = relative(REPO, join(entry.parentPath, entry.name));
    if (entry.isFile() && !path.includes('node_modules') && /\.(ts|md)$/.test(entry.name)) files.push(path);
  }
  return files.filter((f) => /\.(ts|md)$/.test(f) && existsSync(join(REPO, f)));
}

describe('public entries', () => {
  it('@dspy-ts/core exports exactly its allow-list at run time', async () => {
    const core = await import('../../packages/core/src/index.js');
    expect(sorted(Object.keys(core))).toEqual(sorted(CORE));
  });

  it('@dspy-ts/optimize exports exactly its allow-list at run time', async () => {
    const optimize = await import('../../packages/optimize/src/index.js');
    expect(sorted(Object.keys(optimize))).toEqual(sorted(OPTIMIZE));
  });

  it('@dspy-ts/mcp exports exactly its allow-list at run time', async () => {
    const mcp = await import('../../packages/mcp/src/index.js');
    expect(sorted(Object.keys(mcp))).toEqual(sorted(MCP));
  });

  it('@dspy-ts/lancedb exports exactly its allow-list at run time', async () => {
    const lancedb = await import('../../packages/lancedb/src/index.js');
    expect(sorted(Object.keys(lancedb))).toEqual(sorted(LANCEDB));
  });

  it('@dspy-ts/distributed exports exactly its allow-list at run time', async () => {
    const distributed = await import('../../packages/distributed/src/index.js');
    expect(sorted(Object.keys(distributed))).toEqual(sorted(DISTRIBUTED));
  });

  it('docs, READMEs and examples never import an /internal entry', () => {
    const files = userFacingFiles();
    expect(files).toContain(join('docs', 'optimizers.md'));
    expect(files.some((f) => f.startsWith('examples'))).toBe(true);
    const offenders = files.filter((f) =>
      /@dspy-ts\/[a-z-]+\/internal\b/.test(readFileSync(join(REPO, f), 'utf8')),
    );
    expect(offenders).toEqual([]);
  });
});
