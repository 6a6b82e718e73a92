import { DspyError } from '@dspy-ts/core';
import { Project, ts } from 'ts-morph';
import type { FileRecord } from './assemble.js';
import type { CacheInputs } from './cache.js';
import { normalizeText } from './cache.js';
import { CoreResolver } from './decorators.js';
import { type ExtractEnv, extractFile } from './extract.js';
import { relativePath } from './paths.js';
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
}

/** Reads the tsconfig (and the configs it extends) the way `tsc` does. */
function readConfig(tsconfig: string): { configFiles: string[]; wildcardDirs: Record<string, boolean> } {
  if (!ts.sys.fileExists(tsconfig)) {
    throw new DspyError('BUILD_CONFIG', `The project file ${tsconfig} does not exist.`, {
      details: { where: tsconfig, fix: 'Pass the path of the tsconfig.json to build with --project.' },
    });
  }
  const source = ts.readJsonConfigFile(tsconfig, ts.sys.readFile);
  const dir = tsconfig.slice(0, Math.max(tsconfig.lastIndexOf('/'), tsconfig.lastIndexOf('\\')));
  const parsed = ts.parseJsonSourceFileConfigFileContent(source, ts.sys, dir, undefined, tsconfig);
  const fatal = parsed.errors.filter((d) => d.category === ts.DiagnosticCategory.Error && d.code !== 18003);
  if (fatal.length > 0) {
    const reason = fatal.map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' ')).join('; ');
    throw new DspyError(
      'BUILD_CONFIG',
      `Cannot read the project ${tsconfig}${reason ? `: ${reason}` : ''}.`,
      {
        details: { where: tsconfig, fix: 'Pass the path of a valid tsconfig.json with --project.' },
      },
    );
  }
  const wildcardDirs: Record<string, boolean> = {};
  for (const [d, flags] of Object.entries(parsed.wildcardDirectories ?? {})) {
    wildcardDirs[d] = (flags & ts.WatchDirectoryFlags.Recursive) !== 0;
  }
  return { configFiles: [tsconfig, ...(source.extendedSourceFiles ?? [])], wildcardDirs };
}

/** Opens a ts-morph project from a tsconfig, set up for analysis only (no emit, no dependency walk). */
export function openProject(paths: {
  tsconfig: string;
  projectDir: string;
  outFile: string;
}): ProjectSession {
  const config = readConfig(paths.tsconfig);
  const project = new Project({
    tsConfigFilePath: paths.tsconfig,
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
  return {
    checker,
    isLibFile: (file) => program.isSourceFileDefaultLibrary(file),
    projectDir: session.projectDir,
    resolver: new CoreResolver(checker),
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
export function extractAll(session: ProjectSession): Map<string, FileRecord> {
  const env = extractEnv(session);
  const records = new Map<string, FileRecord>();
  for (const sf of sourceFiles(session)) records.set(sf.fileName, extractRecord(sf, env));
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
