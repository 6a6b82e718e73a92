import { ts } from 'ts-morph';
import { paramDoc } from './jsdoc.js';
import { SchemaBuilder } from './schema.js';

/** One parameter of a method signature or tool, ready to become a field. */
export interface ParamField {
  readonly name: string;
  readonly decl: ts.ParameterDeclaration;
  readonly type: ts.Type;
  readonly optional: boolean;
  /** `@param` text from the function's JSDoc, or ''. */
  readonly doc: string;
}

/** The named parameters of a function or method, in order; destructuring and rest are reported. */
export function extractParameters(
  fn: ts.SignatureDeclaration,
  owner: string,
  checker: ts.TypeChecker,
  report: (node: ts.Node, symbol: string, message: string) => void,
): ParamField[] {
  const out: ParamField[] = [];
  for (const decl of fn.parameters) {
    if (!ts.isIdentifier(decl.name)) {
      report(decl, owner, 'destructured parameters have no name; use a named parameter');
      continue;
    }
    const name = decl.name.text;
    if (name === 'this') continue;
    if (decl.dotDotDotToken) {
      report(decl, `${owner}.${name}`, 'rest parameters are not supported; use an array parameter');
      continue;
    }
    const type = checker.getTypeAtLocation(decl);
    const optional = !!decl.questionToken || !!decl.initializer || SchemaBuilder.hasUndefined(type);
    out.push({ name, decl, type, optional, doc: paramDoc(decl) });
  }
  return out;
}
