import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The Markdown files whose TypeScript samples are checked by `snippets.test.ts`. */
export const CHECKED_DOCS = [
  'README.md',
  'docs/README.md',
  'docs/concepts.md',
  'docs/signatures.md',
  'docs/migrating-from-dspy.md',
  'docs/providers.md',
  'docs/retrieval.md',
] as const;

/** One ```ts block of a Markdown file, ready to be written as a module. */
export interface Snippet {
  /** The Markdown file, relative to the repository root. */
  readonly doc: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  /** File name inside the scratch project (`check file=...`, else `<doc>-<line>.ts`). */
  readonly file: string;
  /** Hidden lines from a `<!-- check ... -->` comment right before the block. */
  readonly prelude: string;
  /** The code as shown. */
  readonly code: string;
}

const FENCE = /^```(\w*)\s*$/;

/**
 * Every ```ts block of `doc`. A block may be preceded (directly) by a comment
 * `<!-- check file=name.ts` + hidden prelude lines + `-->`: the block is then written to that
 * file name (so later blocks can import it) and the prelude is prepended.
 */
export function extractSnippets(root: string, doc: string): Snippet[] {
  const lines = readFileSync(join(root, doc), 'utf8').split('\n');
  const out: Snippet[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i] ?? '');
    if (!open) continue;
    let end = i + 1;
    while (end < lines.length && !/^```\s*$/.test(lines[end] ?? '')) end++;
    if (open[1] === 'ts' || open[1] === 'typescript') {
      const { file, prelude } = readCheckComment(lines, i);
      const base = doc.replace(/\.md$/, '').replace(/[^A-Za-z0-9]+/g, '-');
      out.push({
        doc,
        line: i + 1,
        file: file ?? `${base}-${i + 1}.ts`,
        prelude,
        code: `${lines.slice(i + 1, end).join('\n')}\n`,
      });
    }
    i = end;
  }
  return out;
}

function readCheckComment(lines: string[], fence: number): { file?: string; prelude: string } {
  const before = lines[fence - 1]?.trim() ?? '';
  if (before.startsWith('<!-- check') && before.endsWith('-->')) {
    const file = /file=(\S+)/.exec(before)?.[1];
    return { ...(file ? { file } : {}), prelude: '' };
  }
  if (before !== '-->') return { prelude: '' };
  let start = fence - 1;
  while (start >= 0 && !(lines[start] ?? '').startsWith('<!-- check')) start--;
  if (start < 0) return { prelude: '' };
  const file = /file=(\S+)/.exec(lines[start] ?? '')?.[1];
  const prelude = lines.slice(start + 1, fence - 1).join('\n');
  return { ...(file ? { file } : {}), prelude: prelude ? `${prelude}\n` : '' };
}

/** GitHub's anchor for a Markdown heading: lower case, punctuation dropped, spaces to `-`. */
export function headingAnchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** The anchors of every heading of a Markdown file (code blocks skipped). */
export function anchorsOf(text: string): Set<string> {
  const anchors = new Set<string>();
  let inCode = false;
  for (const line of text.split('\n')) {
    if (line.startsWith('```')) inCode = !inCode;
    const m = inCode ? null : /^#{1,6}\s+(.*)$/.exec(line);
    if (m?.[1]) anchors.add(headingAnchor(m[1]));
  }
  return anchors;
}

/** Relative Markdown links `[text](target)` of a file, outside code blocks. */
export function relativeLinks(text: string): string[] {
  const links: string[] = [];
  let inCode = false;
  for (const line of text.split('\n')) {
    if (line.startsWith('```')) inCode = !inCode;
    if (inCode) continue;
    for (const m of line.matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = m[1] ?? '';
      if (!/^[a-z]+:/i.test(target)) links.push(target);
    }
  }
  return links;
}
