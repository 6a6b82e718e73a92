import { DspyError } from '../errors.js';

/** One parameter as read from a function's source text. */
export interface ParamName {
  readonly name: string;
  /** True when the parameter has a default value (it may be left out). */
  readonly hasDefault: boolean;
  readonly rest: boolean;
}

const OPEN = '([{';
const CLOSE = ')]}';

/** Removes comments, and blanks string contents, keeping offsets. */
function blankCommentsAndStrings(src: string): string {
  let out = '';
  for (let i = 0; i < src.length; i++) {
    const ch = src[i] as string;
    if (ch === '/' && src[i + 1] === '/') {
      const end = src.indexOf('\n', i);
      const stop = end < 0 ? src.length : end;
      out += ' '.repeat(stop - i);
      i = stop - 1;
    } else if (ch === '/' && src[i + 1] === '*') {
      const end = src.indexOf('*/', i + 2);
      const stop = end < 0 ? src.length : end + 2;
      out += ' '.repeat(stop - i);
      i = stop - 1;
    } else if (ch === "'" || ch === '"' || ch === '`') {
      let j = i + 1;
      while (j < src.length && src[j] !== ch) j += src[j] === '\\' ? 2 : 1;
      out += `${ch}${' '.repeat(Math.max(0, j - i - 1))}${ch}`;
      i = j;
    } else {
      out += ch;
    }
  }
  return out;
}

/** The text between the first `(` and its matching `)`, split at top-level commas. */
function paramPieces(src: string): string[] | undefined {
  const clean = blankCommentsAndStrings(src);
  const start = clean.indexOf('(');
  if (start < 0) return undefined;
  const pieces: string[] = [];
  let depth = 0;
  let from = start + 1;
  for (let i = start + 1; i < clean.length; i++) {
    const ch = clean[i] as string;
    if (OPEN.includes(ch)) depth++;
    else if (CLOSE.includes(ch)) {
      if (depth === 0) {
        pieces.push(clean.slice(from, i));
        return pieces.map((p) => p.trim()).filter((p, k, all) => p !== '' || k < all.length - 1);
      }
      depth--;
    } else if (ch === ',' && depth === 0) {
      pieces.push(clean.slice(from, i));
      from = i + 1;
    }
  }
  return undefined;
}

/**
 * Parameter names of a function, read from `fn.toString()` (used when no build-step
 * manifest is registered). Destructured parameters have no name and are an error.
 */
export function paramNamesOf(fn: Function, where: string): ParamName[] {
  const pieces = paramPieces(Function.prototype.toString.call(fn));
  if (!pieces) {
    throw new DspyError('SIGNATURE_INVALID', `${where}: cannot read the parameter list of the method.`, {
      details: {
        where,
        fix: 'Run `dspy-ts build` and import the generated module, so parameters come from the manifest.',
      },
    });
  }
  return pieces.map((piece) => {
    const rest = piece.startsWith('...');
    const body = rest ? piece.slice(3).trim() : piece;
    const name = /^[A-Za-z_$][\w$]*/.exec(body)?.[0];
    if (!name) {
      throw new DspyError(
        'SIGNATURE_INVALID',
        `${where}: parameter '${piece}' has no name (destructuring).`,
        {
          details: {
            where,
            fix: 'Give every parameter of a @Signature() method a plain name; each one is an input field.',
          },
        },
      );
    }
    return { name, hasDefault: body.slice(name.length).trim().startsWith('='), rest };
  });
}
