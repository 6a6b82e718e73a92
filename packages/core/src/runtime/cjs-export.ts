/**
 * The export of a CommonJS module compiled from ESM (`exports.default = ...`, `exports.name = ...`):
 * Node hands an importer `module.exports` as the default export, bundlers may hand `exports.default`.
 * @internal
 */
export function cjsExport<T>(namespace: object, name: string): T {
  const direct = (namespace as Record<string, unknown>)[name];
  const wrapped = name === 'default' && typeof direct === 'object' && direct !== null && 'default' in direct;
  if (direct !== undefined && !wrapped) return direct as T;
  return (namespace as { default?: Record<string, unknown> }).default?.[name] as T;
}
