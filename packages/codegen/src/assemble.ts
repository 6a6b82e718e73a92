import type { Manifest, ManifestSignature, ManifestTool } from '@dspy-ts/core';
import { compareText, sortDiagnostics } from './diagnostics.js';
import type { BuildDiagnostic, FileExtraction, RegistryEntry } from './types.js';

/** What one project file contributed to the last extraction. */
export interface FileRecord {
  /** Project-relative path. */
  readonly file: string;
  /** SHA-256 (hex) of the file's text. */
  readonly hash: string;
  readonly extraction: FileExtraction;
}

/** The project-wide outcome: the manifest plus everything a build reports. */
export interface Assembled {
  readonly manifest: Manifest;
  readonly signatures: ManifestSignature[];
  readonly tools: ManifestTool[];
  readonly diagnostics: BuildDiagnostic[];
  readonly notes: string[];
  readonly registry: RegistryEntry[];
}

function parseLocation(location: string): { file: string; line: number; column: number } {
  const m = /^(.*):(\d+):(\d+)$/.exec(location);
  return m
    ? { file: m[1] ?? '', line: Number(m[2]), column: Number(m[3]) }
    : { file: location, line: 1, column: 1 };
}

function byLocation(a: { location: string }, b: { location: string }): number {
  const x = parseLocation(a.location);
  const y = parseLocation(b.location);
  return compareText(x.file, y.file) || x.line - y.line || x.column - y.column;
}

/** Keeps the first of each name (by location) and reports the others. */
function unique<T extends { name: string; location: string }>(
  items: T[],
  what: string,
  diagnostics: BuildDiagnostic[],
): T[] {
  const seen = new Map<string, T>();
  for (const item of [...items].sort(byLocation)) {
    const first = seen.get(item.name);
    if (!first) {
      seen.set(item.name, item);
      continue;
    }
    diagnostics.push({
      ...parseLocation(item.location),
      symbol: item.name,
      message: `duplicate ${what} name '${item.name}' (first declared at ${first.location}); rename one or set an explicit { name }`,
    });
  }
  return [...seen.values()].sort((a, b) => compareText(a.name, b.name));
}

/** Combines per-file extractions into one deterministic manifest (sorted keys, no timestamps). */
export function assemble(records: Iterable<FileRecord>): Assembled {
  const all = [...records].sort((a, b) => compareText(a.file, b.file));
  const diagnostics: BuildDiagnostic[] = [];
  const notes: string[] = [];
  const sourceHashes: Record<string, string> = {};
  const rawSignatures: ManifestSignature[] = [];
  const rawTools: ManifestTool[] = [];
  const registry: RegistryEntry[] = [];
  for (const { file, hash, extraction } of all) {
    diagnostics.push(...extraction.diagnostics);
    notes.push(...extraction.notes);
    rawSignatures.push(...extraction.signatures);
    rawTools.push(...extraction.tools);
    registry.push(...extraction.registry);
    if (extraction.signatures.length > 0 || extraction.tools.length > 0) sourceHashes[file] = hash;
  }
  const lookalikes = all.flatMap((r) => r.extraction.lookalikes);
  const first = lookalikes[0];
  if (first && rawSignatures.length === 0 && rawTools.length === 0 && diagnostics.length === 0) {
    diagnostics.push({
      ...parseLocation(first),
      symbol: 'build',
      message: `found 0 signatures and 0 tools, yet ${lookalikes.length} decorator(s) named like @dspy-ts/core's (first here) resolve elsewhere; import Signature, InputField, OutputField and Tool from '@dspy-ts/core'`,
    });
  }
  const signatures = unique(rawSignatures, 'signature', diagnostics);
  const tools = unique(rawTools, 'tool', diagnostics);
  const kept = new Set(signatures.map((s) => s.name));
  const manifest: Manifest = {
    version: 1,
    sourceHashes,
    signatures: Object.fromEntries(signatures.map((s) => [s.name, s])),
    tools: Object.fromEntries(tools.map((t) => [t.name, t])),
  };
  const firstEntries = new Map<string, RegistryEntry>();
  for (const entry of registry) {
    if (kept.has(entry.name) && !firstEntries.has(entry.name)) firstEntries.set(entry.name, entry);
  }
  return {
    manifest,
    signatures,
    tools,
    diagnostics: sortDiagnostics(diagnostics),
    notes,
    registry: [...firstEntries.values()].sort((a, b) => compareText(a.name, b.name)),
  };
}
