import { Project, ts } from 'ts-morph';
import type { FileRecord } from './assemble.js';
import type { CacheInputs } from './cache.js';
import { normalizeText } from './cache.js';
import { readProjectConfig } from './config.js';
import { CoreResolver } from './decorators.js';
import { type ExtractEnv, extractFile } from './extract.js';
import { relativePath } from './paths.js';
import type { BuildProgress } from './types.js';
import { sha256 } from './write.js';

/** A live ts-morph project plus what the build step derived from its tsconfig. */
export interface ProjectSession {
  readonly project: Project;
  readonly tsconfig: string;
  readonly projectDir: string;
  readonly outFile: string;
  /** Absolute paths of the configs read (the tsconfig and what it extends). */
  readonly configFiles: readonly string[];
  /** Include-pattern directories (true when recursive). */
  readonly wildcardDirs: Record<string, boolean>;
  /** The reference of a solution-style tsconfig that was built instead of it, if any. */
  readonly followed?: string;
}

/** Opens a ts-morph project from a tsconfig, set up for analysis only (no emit, no dependency walk). */
export function openProject(paths: {
  tsconfig: string;
  projectDir: string;
  outFile: string;
}): ProjectSession {
  const { tsconfig, ...config } = readProjectConfig(paths.tsconfig);
  const project = new Project({
    tsConfigFilePath: tsconfig,
    skipFileDependencyResolution: true,
    compilerOptions: { noEmit: true },
  });
  return { project, ...paths, ...config };
}

/** The program's source files that the build extracts from (project files, not declarations or the output). */
export function sourceFiles(session: ProjectSession): ts.SourceFile[] {
  const program = session.project.getProgram().compilerObject;
  const roots = new Set(program.getRootFileNames());
  return program
    .getSourceFiles()
    .filter((sf) => roots.has(sf.fileName) && !sf.isDeclarationFile && sf.fileName !== session.outFile);
}

/** The environment extraction needs, over the session's current program. */
export function extractEnv(session: ProjectSession): ExtractEnv {
  const program = session.project.getProgram().compilerObject;
  const checker = program.getTypeChecker();
  const resolver = new CoreResolver(checker, program.getCompilerOptions());
  return {
    checker,
    isLibFile: (file) => program.isSourceFileDefaultLibrary(file),
    isCoreSymbol: (symbol) => resolver.declaredInCore(symbol),
    projectDir: session.projectDir,
    resolver,
  };
}

/** Extracts one file into a record. */
export function extractRecord(sf: ts.SourceFile, env: ExtractEnv): FileRecord {
  return {
    file: relativePath(env.projectDir, sf.fileName),
    hash: sha256(normalizeText(sf.text)),
    extraction: extractFile(sf, env),
  };
}

/** Extracts every project file; records are keyed by absolute path. */
export function extractAll(
  session: ProjectSession,
  onProgress?: (event: BuildProgress) => void,
): Map<string, FileRecord> {
  const files = sourceFiles(session);
  onProgress?.({ phase: 'reading', files: files.length });
  const env = extractEnv(session);
  const records = new Map<string, FileRecord>();
  for (const [i, sf] of files.entries()) {
    const record = extractRecord(sf, env);
    records.set(sf.fileName, record);
    onProgress?.({ phase: 'extracting', done: i + 1, total: files.length, file: record.file });
  }
  return records;
}

/** What the cache needs to recognise this build's inputs next time. */
export function cacheInputs(session: ProjectSession, records: Map<string, FileRecord>): CacheInputs {
  const configHashes: Record<string, string> = {};
  for (const file of session.configFiles)
    configHashes[file] = sha256(normalizeText(ts.sys.readFile(file) ?? ''));
  const files: Record<string, string> = {};
  for (const [path, record] of records) files[path] = record.hash;
  return { configHashes, wildcardDirs: session.wildcardDirs, files };
}

/** Project files that `sf` imports or re-exports (resolved by the program). */
export function directDependencies(sf: ts.SourceFile, checker: ts.TypeChecker): string[] {
  const deps = new Set<string>();
  for (const statement of sf.statements) {
    const spec =
      (ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) && statement.moduleSpecifier;
    if (!spec || !ts.isStringLiteral(spec)) continue;
    const target = checker.getSymbolAtLocation(spec)?.valueDeclaration;
    if (target && ts.isSourceFile(target)) deps.add(target.fileName);
  }
  return [...deps];
}

/** Notes about how the project was opened (a solution-style tsconfig followed into a reference). */
export function sessionNotes(session: ProjectSession): string[] {
  if (!session.followed) return [];
  const ref = relativePath(session.projectDir, session.followed);
  return [
    `${relativePath(session.projectDir, session.tsconfig)} is a solution-style tsconfig; built its reference ${ref}, the one that imports @dspy-ts/core`,
  ];
}
