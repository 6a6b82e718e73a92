import type { JsonSchema } from '@dspy-ts/core';
import {
  HISTORY_SCHEMA,
  MEDIA_SCHEMAS,
  type MediaTypeName,
  TOOL_CALLS_SCHEMA,
  TOOLS_SCHEMA,
} from '@dspy-ts/core/internal';
import type { ts } from 'ts-morph';
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
  /** The only role a field of this type may have. */
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

const TOOL: CoreFieldType = {
  name: 'Tool',
  misuse:
    'a Tool (from @dspy-ts/core) is code, not data a model reads or writes: give the model its tools through an input field typed Tool[]',
};

const BY_NAME: ReadonlyMap<string, CoreFieldType> = new Map([
  ['History', HISTORY],
  ['ToolCalls', TOOL_CALLS],
  ['Tool', TOOL],
  ['Image', media('Image')],
  ['Audio', media('Audio')],
  ['File', media('File')],
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
