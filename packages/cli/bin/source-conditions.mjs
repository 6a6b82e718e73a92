// Module resolve hook: resolves workspace packages to their TypeScript sources
// (the `@dspy-ts/source` export condition) when the CLI runs without a build.
export async function resolve(specifier, context, nextResolve) {
  const conditions = context.conditions ?? [];
  if (conditions.includes('@dspy-ts/source')) return nextResolve(specifier, context);
  return nextResolve(specifier, { ...context, conditions: [...conditions, '@dspy-ts/source'] });
}
