import type { JsonSchema } from '@dspy-ts/core';
import {
  codeSchema,
  HISTORY_SCHEMA,
  LANGUAGE_NAME,
  MEDIA_SCHEMAS,
  type MediaTypeName,
  REASONING_SCHEMA,
  TOOL_CALLS_SCHEMA,
  TOOLS_SCHEMA,
} from '@dspy-ts/core/internal';
import { ts } from 'ts-morph';
import type { SchemaRole } from './schema.js';

/**
 * A type of `@dspy-ts/core` that adapters read by the `x-dspy-type` marker of its schema
 * (`History`, `Tool[]`, `ToolCalls`, `Image`, `Audio`, `File`), or that is never a field's data
 * (`Tool` alone).
 */
export interface CoreFieldType {
  /** How the type is written (`Tool[]`). */
  readonly name: string;
  /** The marked schema the field gets; absent when the type is never a field on its own. */
  readonly schema?: JsonSchema;
  /** The only role a field of this type may have (absent: either role). */
  readonly role?: SchemaRole;
  /** The diagnostic for any other use in a signature: in the other role, or inside another type. */
  readonly misuse: string;
  /** True when the type may also sit inside a field's type (`Image[]`, an object with an `Audio`). */
  readonly nested?: boolean;
}

function media(name: MediaTypeName): CoreFieldType {
  return {
    name,
    schema: MEDIA_SCHEMAS[name],
    role: 'input',
    nested: true,
    misuse: `${name} (from @dspy-ts/core) is media a model reads: use it in an input field (alone, in an array or inside an object), not in an output`,
  };
}

const HISTORY: CoreFieldType = {
  name: 'History',
  schema: HISTORY_SCHEMA,
  role: 'input',
  misuse:
    "History (from @dspy-ts/core) is a conversation's earlier turns: use it as the whole type of an input field, not in an output or inside another type",
};

const TOOLS: CoreFieldType = {
  name: 'Tool[]',
  schema: TOOLS_SCHEMA,
  role: 'input',
  misuse:
    'Tool[] (from @dspy-ts/core) is the tools a model may call: use it as the whole type of an input field (tools: Tool[]), not in an output or inside another type',
};

const TOOL_CALLS: CoreFieldType = {
  name: 'ToolCalls',
  schema: TOOL_CALLS_SCHEMA,
  role: 'output',
  misuse:
    'ToolCalls (from @dspy-ts/core) is the tool calls a model makes: use it as the whole type of an output field (calls: ToolCalls), not in an input or inside another type',
};

/**
 * `Code` / `Code<'python'>`: source code, in or out; a single string literal argument names the
 * language, anything else (`string`, a union) leaves it open.
 */
function code(language: string | undefined): CoreFieldType {
  return {
    name: language ? `Code<'${language}'>` : 'Code',
    schema: codeSchema(language),
    misuse:
      "Code (from @dspy-ts/core) is source code a field holds: use it as the whole type of an input or output field (program: Code<'python'>), not inside another type",
  };
}

/** `Reasoning`: a model's reasoning, an output only (read from the written type, as it is a `string` alias). */
export const REASONING: CoreFieldType = {
  name: 'Reasoning',
  schema: REASONING_SCHEMA,
  role: 'output',
  misuse:
    "Reasoning (from @dspy-ts/core) is a model's reasoning: use it as the whole type of an output field (reasoning: Reasoning), not in an input or inside another type",
};

const TOOL: CoreFieldType = {
  name: 'Tool',
  misuse:
    'a Tool (from @dspy-ts/core) is code, not data a model reads or writes: give the model its tools through an input field typed Tool[]',
};

/** The placeholder `byName` finds for `Code` (its schema depends on the language argument). */
const CODE: CoreFieldType = code(undefined);

/** The language `Code<L>` names: `L` when it is one string literal that is a language name. */
function codeLanguage(type: ts.Type, checker: ts.TypeChecker): string | undefined {
  const args =
    (type as ts.ObjectType).objectFlags & ts.ObjectFlags.Reference
      ? checker.getTypeArguments(type as ts.TypeReference)
      : [];
  const arg = args[0];
  if (!arg?.isStringLiteral()) return undefined;
  return LANGUAGE_NAME.test(arg.value) ? arg.value : undefined;
}

const BY_NAME: ReadonlyMap<string, CoreFieldType> = new Map([
  ['History', HISTORY],
  ['ToolCalls', TOOL_CALLS],
  ['Tool', TOOL],
  ['Image', media('Image')],
  ['Audio', media('Audio')],
  ['File', media('File')],
  ['Code', CODE],
]);

/** The diagnostic for a marked core type in a tool's parameters or return value. */
export function notToolData(found: CoreFieldType): string {
  if (!found.schema) return found.misuse;
  return `${found.name} (from @dspy-ts/core) is the type of a signature's field, not of a tool's parameter: a tool takes the JSON data a model writes`;
}

/**
 * The core field type `type` is, if any: `History`, `ToolCalls`, `Tool`, `Image`, `Audio` or `File` declared inside the
 * `@dspy-ts/core` package, or an array of core `Tool`s (`Tool[]`, `readonly Tool[]`,
 * `Array<Tool>`). A user's own type of the same name is not one.
 */
export function coreFieldType(
  type: ts.Type,
  checker: ts.TypeChecker,
  isCoreSymbol: (symbol: ts.Symbol) => boolean,
): CoreFieldType | undefined {
  const own = byName(type, isCoreSymbol);
  if (own === CODE) return code(codeLanguage(type, checker));
  if (own) return own;
  if (!checker.isArrayType(type)) return undefined;
  const [item] = checker.getTypeArguments(type as ts.TypeReference);
  return item && byName(item, isCoreSymbol) === TOOL ? TOOLS : undefined;
}

function byName(type: ts.Type, isCoreSymbol: (symbol: ts.Symbol) => boolean): CoreFieldType | undefined {
  const symbol = type.getSymbol();
  const found = symbol ? BY_NAME.get(symbol.getName()) : undefined;
  return found && symbol && isCoreSymbol(symbol) ? found : undefined;
}
