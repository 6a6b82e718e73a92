import { ts } from 'ts-morph';

/** One JSDoc block tag (`@minimum 0` → `{ name: 'minimum', text: '0' }`). */
export interface DocTag {
  readonly name: string;
  readonly text: string;
}

/** The JSDoc of a declaration: its description text and its block tags. */
export interface DocInfo {
  readonly description: string;
  readonly tags: readonly DocTag[];
}

const EMPTY: DocInfo = { description: '', tags: [] };

/** Reads the JSDoc attached to `node` (description lines joined, tags in order). */
export function readDoc(node: ts.Node | undefined): DocInfo {
  if (!node) return EMPTY;
  const parts = ts.getJSDocCommentsAndTags(node);
  if (parts.length === 0) return EMPTY;
  const lines: string[] = [];
  const tags: DocTag[] = [];
  for (const part of parts) {
    if (!ts.isJSDoc(part)) continue;
    const text = ts.getTextOfJSDocComment(part.comment)?.trim();
    if (text) lines.push(text);
    for (const tag of part.tags ?? []) {
      tags.push({ name: tag.tagName.text, text: (ts.getTextOfJSDocComment(tag.comment) ?? '').trim() });
    }
  }
  return { description: lines.join('\n'), tags };
}

/** The `@param name text` of a parameter, or ''. */
export function paramDoc(param: ts.ParameterDeclaration): string {
  for (const tag of ts.getJSDocParameterTags(param)) {
    const text = ts.getTextOfJSDocComment(tag.comment)?.trim();
    if (text) return text.replace(/^-\s*/, '');
  }
  return '';
}
