import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { DspyError } from '@dspy-ts/core';
import { ts } from 'ts-morph';

/** A tsconfig as the build step reads it: the one to open, and what a change must reload. */
export interface ProjectConfig {
  /** The tsconfig the project is opened from (a reference of a solution-style tsconfig, or the one passed). */
  readonly tsconfig: string;
  /** Absolute paths of the configs read (the one passed, a followed reference, what they extend). */
  readonly configFiles: readonly string[];
  /** Include-pattern directories (true when recursive). */
  readonly wildcardDirs: Record<string, boolean>;
  /** Set when a solution-style tsconfig was followed into one of its references. */
  readonly followed?: string;
}

interface Parsed {
  readonly parsed: ts.ParsedCommandLine;
  readonly configFiles: string[];
}

const NO_INPUTS = 18003;
const CORE_IMPORT = /from\s+['"]@dspy-ts\/core['"]|import\s*\(\s*['"]@dspy-ts\/core['"]/;

function configError(message: string, where: string, fix: string): DspyError {
  return new DspyError('BUILD_CONFIG', message, { details: { where, fix } });
}

/** `file:line:col  message` of a TypeScript diagnostic about a config file. */
function located(d: ts.Diagnostic, fallback: string): string {
  const text = ts.flattenDiagnosticMessageText(d.messageText, ' ');
  if (!d.file || d.start === undefined) return `${fallback}  ${text}`;
  const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
  return `${d.file.fileName}:${line + 1}:${character + 1}  ${text}`;
}

/** Parses one tsconfig (and what it extends) the way `tsc` does; malformed JSON and bad options throw, located. */
function parse(tsconfig: string): Parsed {
  if (!ts.sys.fileExists(tsconfig)) {
    throw configError(
      `The project file ${tsconfig} does not exist.`,
      tsconfig,
      'Pass the path of the tsconfig.json to build with --project.',
    );
  }
  const source = ts.readJsonConfigFile(tsconfig, ts.sys.readFile);
  const parsed = ts.parseJsonSourceFileConfigFileContent(
    source,
    ts.sys,
    dirname(tsconfig),
    undefined,
    tsconfig,
  );
  const syntax = (source as { parseDiagnostics?: readonly ts.Diagnostic[] }).parseDiagnostics ?? [];
  const fatal = [...syntax, ...parsed.errors].filter(
    (d) => d.category === ts.DiagnosticCategory.Error && d.code !== NO_INPUTS,
  );
  const first = fatal[0];
  if (first) {
    const where = located(first, tsconfig);
    throw configError(
      `Cannot read the project ${tsconfig}:\n${fatal.map((d) => `  ${located(d, tsconfig)}`).join('\n')}`,
      where.slice(0, where.indexOf('  ')),
      'Correct the tsconfig at the line shown (tsc -p <tsconfig> --noEmit reports the same), or pass another with --project.',
    );
  }
  return { parsed, configFiles: [tsconfig, ...(source.extendedSourceFiles ?? [])] };
}

/** The tsconfig a project reference points to (a file, or a directory holding tsconfig.json). */
function referencePath(ref: ts.ProjectReference): string {
  const isDir = existsSync(ref.path) && statSync(ref.path).isDirectory();
  return isDir ? join(ref.path, 'tsconfig.json') : ref.path;
}

/** Whether any of the project's files imports `@dspy-ts/core` (a cheap text check, no program). */
function importsCore(fileNames: readonly string[]): boolean {
  return fileNames.some((f) => {
    try {
      return CORE_IMPORT.test(readFileSync(f, 'utf8'));
    } catch {
      return false;
    }
  });
}

/**
 * Reads the tsconfig to build. A solution-style tsconfig (`"files": []` plus `references`, the
 * Vite and create-* layout) is followed into the one reference whose files import
 * `@dspy-ts/core`; when none or several do, the error names the references to choose from.
 * A tsconfig whose `include` matches no file is an error.
 */
export function readProjectConfig(tsconfig: string): ProjectConfig {
  const { parsed, configFiles } = parse(tsconfig);
  const references = parsed.projectReferences ?? [];
  if (parsed.fileNames.length === 0 && references.length > 0) {
    return followSolution(tsconfig, configFiles, references);
  }
  if (parsed.fileNames.length === 0) {
    const include = JSON.stringify(parsed.raw?.include ?? parsed.raw?.files ?? ['**/*']);
    throw configError(
      `The project ${tsconfig} has no source files: its include ${include} matches no .ts file under ${dirname(tsconfig)}.`,
      tsconfig,
      'Point "include" (or "files") at the directory holding your signatures, e.g. "include": ["src"], or pass another tsconfig with --project.',
    );
  }
  return { tsconfig, configFiles, wildcardDirs: wildcardDirs(parsed) };
}

function wildcardDirs(parsed: ts.ParsedCommandLine): Record<string, boolean> {
  const dirs: Record<string, boolean> = {};
  for (const [d, flags] of Object.entries(parsed.wildcardDirectories ?? {})) {
    dirs[d] = (flags & ts.WatchDirectoryFlags.Recursive) !== 0;
  }
  return dirs;
}

interface Leaf {
  readonly path: string;
  readonly parsed: ts.ParsedCommandLine;
  /** The configs read to reach it (a nested solution's included). */
  readonly own: readonly string[];
}

/** The referenced projects that have files, following nested solution-style references. */
function leafProjects(references: readonly ts.ProjectReference[], seen: Set<string>): Leaf[] {
  const leaves: Leaf[] = [];
  for (const ref of references) {
    const path = referencePath(ref);
    if (seen.has(path)) continue;
    seen.add(path);
    const { parsed, configFiles: own } = parse(path);
    const nested = parsed.projectReferences ?? [];
    if (parsed.fileNames.length === 0 && nested.length > 0) {
      for (const leaf of leafProjects(nested, seen)) leaves.push({ ...leaf, own: [...own, ...leaf.own] });
    } else leaves.push({ path, parsed, own });
  }
  return leaves;
}

function followSolution(
  tsconfig: string,
  configFiles: readonly string[],
  references: readonly ts.ProjectReference[],
): ProjectConfig {
  const candidates = leafProjects(references, new Set([tsconfig]));
  const users = candidates.filter((c) => importsCore(c.parsed.fileNames));
  const names = (list: readonly Leaf[]) =>
    list.map((c) => relative(dirname(tsconfig), c.path) || c.path).join(', ');
  const chosen = users[0];
  if (!chosen || users.length > 1) {
    const which = users.length > 1 ? 'several of its references import' : 'none of its references imports';
    throw configError(
      `The project ${tsconfig} is a solution-style tsconfig (no files of its own, references ${names(candidates)}) and ${which} @dspy-ts/core.`,
      tsconfig,
      `Pass the referenced tsconfig that holds your signatures with --project (one of: ${names(users.length > 1 ? users : candidates)}).`,
    );
  }
  return {
    tsconfig: chosen.path,
    configFiles: [...configFiles, ...chosen.own],
    wildcardDirs: wildcardDirs(chosen.parsed),
    followed: chosen.path,
  };
}
