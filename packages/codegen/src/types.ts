import type { FieldSpec, Manifest, ManifestSignature, ManifestTool } from '@dspy-ts/core';

/** One located problem found by the build step (`file:line:col  Class.field: reason`). */
export interface BuildDiagnostic {
  /** Source file, relative to the project directory (forward slashes). */
  readonly file: string;
  /** 1-based line. */
  readonly line: number;
  /** 1-based column. */
  readonly column: number;
  /** What the problem is attached to: `QA.answer`, `Service.classify`, `Ticket.tags`. */
  readonly symbol: string;
  /** Why it is a problem and, where it helps, how to fix it. */
  readonly message: string;
}

/** Options of {@link build}. */
export interface BuildOptions {
  /** Path of the project's `tsconfig.json` (relative to `cwd`). */
  readonly project: string;
  /** Path of the generated module (relative to `cwd`); default `DEFAULT_OUT` beside the tsconfig. */
  readonly out?: string;
  /** Directory that relative paths are resolved from; default `process.cwd()`. */
  readonly cwd?: string;
  /** Use and update the file-hash cache (default true). */
  readonly cache?: boolean;
  /** Called as a build that misses the cache moves through its phases (for a progress display). */
  readonly onProgress?: (event: BuildProgress) => void;
}

/**
 * One step of a build, in order: `loading` TypeScript, `reading` the project's files into a
 * program, `extracting` signatures and tools file by file, `writing` the generated module.
 */
export type BuildProgress =
  | { readonly phase: 'loading'; readonly project: string }
  | { readonly phase: 'reading'; readonly files: number }
  | { readonly phase: 'extracting'; readonly done: number; readonly total: number; readonly file: string }
  | { readonly phase: 'writing'; readonly file: string };

/** The outcome of one build. */
export interface BuildResult {
  /** Every signature found, sorted by name. */
  readonly signatures: readonly ManifestSignature[];
  /** Every tool found, sorted by name. */
  readonly tools: readonly ManifestTool[];
  /** Every unsupported construct, sorted by location. Non-empty means the build failed. */
  readonly diagnostics: readonly BuildDiagnostic[];
  /** Informational remarks (e.g. a signature class that is not exported gets no type-level entry). */
  readonly notes: readonly string[];
  /** Absolute path of the generated module. */
  readonly outFile: string;
  /** The manifest the generated module registers. */
  readonly manifest: Manifest;
  /** True when nothing changed since the last build and the cached result was returned. */
  readonly fromCache: boolean;
  /** True when the generated module was (re)written by this build. */
  readonly written: boolean;
  /** Project-relative paths of the files whose signatures and tools were extracted in this run. */
  readonly extractedFiles: readonly string[];
  /** Wall time of the build in milliseconds. */
  readonly durationMs: number;
}

/** What one source file contributes: its signatures, tools, diagnostics and notes. */
export interface FileExtraction {
  readonly signatures: ManifestSignature[];
  readonly tools: ManifestTool[];
  readonly diagnostics: BuildDiagnostic[];
  readonly notes: string[];
  /** Type-level registry lines for exported signature classes. */
  readonly registry: RegistryEntry[];
  /** Absolute paths of other files whose declarations shaped these schemas. */
  readonly dependsOn: Set<string>;
  /** Locations (`file:line:col`) of decorators spelled like core's that are not core's. */
  readonly lookalikes: string[];
}

/** One `SignatureRegistry` entry of the generated module. */
export interface RegistryEntry {
  readonly name: string;
  /** Absolute path of the file declaring the class. */
  readonly sourceFile: string;
  /** `QA`, or `default` for a default export. */
  readonly exportName: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
}

/** A field as the extractor builds it (before it is frozen into the manifest). */
export type ExtractedField = FieldSpec;
