import { coerceValue } from '../../adapters/coerce.js';
import { fieldKind } from '../../adapters/field-kind.js';
import { compileSchema } from '../../adapters/validate.js';
import { DspyError } from '../../errors.js';
import type { JsonSchema } from '../../signature/spec.js';
import type { ToolShape } from './tool-schema.js';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function propertySchemas(parameters: JsonSchema): Record<string, JsonSchema> {
  const props = parameters.properties;
  return isRecord(props) ? (props as Record<string, JsonSchema>) : {};
}

function invalid(toolName: string, problem: string, shape: ToolShape, raw: unknown): DspyError {
  const where = `tool '${toolName}'`;
  return new DspyError('TOOL_ERROR', `${where}: invalid arguments: ${problem}.`, {
    details: {
      where,
      fix: `Pass arguments matching the schema ${JSON.stringify(shape.parameters)}.`,
      tool: toolName,
      args: raw,
    },
  });
}

/**
 * Coerces a model's tool arguments to the tool's schema (numbers written as text, JSON
 * written as a string, enum spellings), then validates the whole object with ajv.
 * Returns the checked arguments by name (for a tool that takes one object). @internal
 */
export function checkToolArgObject(
  toolName: string,
  shape: ToolShape,
  raw: unknown,
): Record<string, unknown> {
  const given = raw === undefined || raw === null ? {} : raw;
  if (!isRecord(given)) throw invalid(toolName, `expected an object, got ${JSON.stringify(raw)}`, shape, raw);
  const schemas = propertySchemas(shape.parameters);
  const args: Record<string, unknown> = { ...given };
  for (const [name, schema] of Object.entries(schemas)) {
    const value = args[name];
    if (value === undefined) continue;
    const coerced = coerceValue(fieldKind({ name, schema, typeText: '' }), value);
    if (!coerced.ok) {
      const reason = coerced.reason.replace(/\(value\) ?/g, '');
      throw invalid(toolName, `argument '${name}': ${reason}`, shape, raw);
    }
    args[name] = coerced.value;
  }
  const result = compileSchema(shape.parameters)(args);
  if (!result.ok) throw invalid(toolName, result.errors.join('; '), shape, raw);
  return args;
}

/**
 * {@link checkToolArgObject}, returning the arguments in call order (for a function tool).
 * @internal
 */
export function checkToolArgs(toolName: string, shape: ToolShape, raw: unknown): unknown[] {
  const args = checkToolArgObject(toolName, shape, raw);
  return shape.params.map((p) => args[p]);
}
