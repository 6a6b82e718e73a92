import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';

/** Where the generated module goes, relative to the tsconfig's directory, unless `out` says otherwise. */
export const DEFAULT_OUT = 'src/dspy.generated.ts';

/** `to` relative to `from`, with forward slashes. */
export function relativePath(from: string, to: string): string {
  return relative(from, to).split(sep).join('/');
}

/** Absolute tsconfig path, project directory and generated-module path for a build. */
export function resolvePaths(opts: { project: string; out?: string; cwd?: string }): {
  tsconfig: string;
  projectDir: string;
  outFile: string;
} {
  const cwd = opts.cwd ?? process.cwd();
  const tsconfig = isAbsolute(opts.project) ? opts.project : resolve(cwd, opts.project);
  const projectDir = dirname(tsconfig);
  const outFile = opts.out ? resolve(cwd, opts.out) : resolve(projectDir, DEFAULT_OUT);
  return { tsconfig, projectDir, outFile };
}

/** The module specifier the generated file uses to import `sourceFile` (`./qa.js`). */
export function importSpecifier(outFile: string, sourceFile: string): string {
  let spec = relativePath(dirname(outFile), sourceFile).replace(
    /\.(m|c)?tsx?$/,
    (_m, kind: string | undefined) => (kind ? `.${kind}js` : '.js'),
  );
  if (!spec.startsWith('.')) spec = `./${spec}`;
  return spec;
}
