import type { Artifact } from '@dspy-ts/core';
import pc from 'picocolors';
import { readArtifact } from '../artifact-program.js';
import { type Io, writeJson } from '../context.js';
import { EXIT_OK } from '../errors.js';

/** Flags of `dspy-ts inspect`. */
export interface InspectFlags {
  readonly json?: boolean;
  readonly demos?: string;
}

function clip(text: string, max: number): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

/** A media value stored in a demo, shown as its kind, hash or URL, type and size (never its bytes). */
function mediaText(v: Record<string, unknown>): string {
  const parts = [typeof v.url === 'string' ? v.url : `sha256:${String(v.sha256).slice(0, 16)}`];
  if (typeof v.mimeType === 'string') parts.push(v.mimeType);
  if (typeof v.byteLength === 'number') parts.push(`${v.byteLength} B`);
  return `<${String(v.$media)}: ${parts.join(', ')}>`;
}

function isStoredMedia(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v) && Object.hasOwn(v, '$media');
}

function valueText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (isStoredMedia(value)) return mediaText(value);
  return JSON.stringify(value, (_key, v: unknown) => (isStoredMedia(v) ? mediaText(v) : v));
}

/** A readable summary of an artifact: program, predictors (instructions, demos), provenance and scores. */
export function formatArtifact(artifact: Artifact, maxDemos = 3): string {
  const lines: string[] = [];
  const predictors = Object.entries(artifact.predictors);
  lines.push(
    `${pc.bold(artifact.program)}  (format ${artifact.formatVersion}, ${predictors.length} predictor(s))`,
  );
  if (artifact.lm) lines.push(`LM: ${valueText(artifact.lm)}`);
  for (const [path, state] of predictors) {
    lines.push('');
    lines.push(`${pc.cyan(path)}  signature ${state.signature.name} #${state.signature.hash}`);
    lines.push(`  instructions: ${clip(state.instructions || '(none)', 300)}`);
    const augmented = state.demos.filter((d) => (d as { augmented?: unknown }).augmented === true).length;
    lines.push(
      `  demos: ${state.demos.length} (${augmented} bootstrapped, ${state.demos.length - augmented} labelled)`,
    );
    for (const demo of state.demos.slice(0, maxDemos)) {
      const fields = Object.entries(demo)
        .filter(([k]) => k !== 'augmented')
        .map(([k, v]) => `${k}=${clip(valueText(v), 60)}`);
      lines.push(`    - ${fields.join('  ')}`);
    }
    if (state.demos.length > maxDemos) lines.push(`    ... ${state.demos.length - maxDemos} more`);
    if (state.lm) lines.push(`  lm: ${valueText(state.lm)}`);
  }
  const prov = artifact.provenance as Record<string, unknown> | undefined;
  if (prov) {
    lines.push('');
    lines.push(pc.bold('provenance'));
    const optimizer = prov.optimizer as { name?: string; options?: unknown } | undefined;
    if (optimizer?.name)
      lines.push(`  optimizer: ${optimizer.name} ${clip(valueText(optimizer.options ?? {}), 200)}`);
    for (const key of ['metric', 'seed', 'stoppedBy', 'createdAt']) {
      if (prov[key] !== undefined) lines.push(`  ${key}: ${valueText(prov[key])}`);
    }
    for (const key of ['trainset', 'valset']) {
      const set = prov[key] as { size?: number; hash?: string } | undefined;
      if (set) lines.push(`  ${key}: ${set.size} example(s), hash ${set.hash}`);
    }
    const scores = prov.scores as Record<string, unknown> | undefined;
    if (scores) {
      lines.push(
        `  scores: ${Object.entries(scores)
          .map(([k, v]) => `${k} ${typeof v === 'number' ? v.toFixed(1) : valueText(v)}`)
          .join(', ')}`,
      );
    }
    const program = prov.program as { module?: string; export?: string } | undefined;
    if (program?.module) {
      lines.push(
        `  program: ${program.module}#${program.export} (as recorded; run and eval load the program given with --program)`,
      );
    }
    if (prov.versions) lines.push(`  versions: ${valueText(prov.versions)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** `dspy-ts inspect <artifact>`: prints the artifact as a readable summary (or JSON). */
export async function inspectCommand(path: string, flags: InspectFlags, io: Io): Promise<number> {
  const { artifact } = await readArtifact(path);
  if (flags.json) writeJson(io, artifact);
  else io.stdout.write(formatArtifact(artifact, flags.demos === undefined ? 3 : Number(flags.demos)));
  return EXIT_OK;
}
