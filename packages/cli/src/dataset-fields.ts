import type { FieldSpec, SignatureSpec } from '@dspy-ts/core';
import { coerceText, fieldKind } from '@dspy-ts/core/internal';

/** Every field of the signatures by name (the first declaration of a name wins). */
export function fieldsByName(specs: readonly SignatureSpec<object, object>[]): Map<string, FieldSpec> {
  const out = new Map<string, FieldSpec>();
  for (const spec of specs) for (const f of spec.fields) if (!out.has(f.name)) out.set(f.name, f);
  return out;
}

/**
 * A CSV cell as the value its field declares: JSON for array, object and other structured
 * fields (strict `JSON.parse`), numbers and booleans read as the adapters read them. A cell that does not read is kept as text (the
 * dataset check then reports it); an empty cell of a field that is not a string is absent.
 */
export function typedCell(field: FieldSpec | undefined, cell: string): unknown {
  if (!field) return cell;
  const fk = fieldKind(field);
  if (fk.kind === 'string') return cell;
  if (cell.trim() === '') return undefined;
  // Literal unions of strings keep the text as written, so a label outside the union is caught.
  if (fk.kind === 'enum' && fk.options.every((o) => typeof o === 'string')) return cell;
  if (fk.kind === 'json') return parsedJson(cell);
  const read = coerceText(fk, cell.trim());
  return read.ok ? read.value : cell;
}

function parsedJson(cell: string): unknown {
  try {
    return JSON.parse(cell) as unknown;
  } catch {
    return cell;
  }
}
