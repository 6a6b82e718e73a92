/**
 * Built-in classes and interfaces that are not JSON, each with what to declare instead. Kept in
 * a `Map` so that a name like `toString` or `constructor` never reads `Object.prototype`.
 */
const NOT_JSON = new Map<string, string>([
  ['Map', 'Map is not JSON; use Record<string, T> or an array of entries'],
  ['ReadonlyMap', 'ReadonlyMap is not JSON; use Record<string, T> or an array of entries'],
  ['WeakMap', 'WeakMap is not JSON; use Record<string, T>'],
  ['Set', 'Set is not JSON; use an array (T[])'],
  ['ReadonlySet', 'ReadonlySet is not JSON; use an array (T[])'],
  ['WeakSet', 'WeakSet is not JSON; use an array (T[])'],
  ['WeakRef', 'WeakRef is not JSON; declare the referenced value'],
  ['Promise', 'a Promise is not a value; declare the awaited type'],
  ['RegExp', 'RegExp is not JSON; use a string with @pattern or @format regex'],
  ['Function', 'functions cannot be sent to or produced by a model'],
  ['URL', 'URL is not JSON; use a string with @format uri'],
  ['URLSearchParams', 'URLSearchParams is not JSON; use Record<string, string> or a string'],
  ['Error', 'Error is not JSON; use an object type such as { name: string; message: string }'],
  ['ArrayBuffer', 'binary data is not JSON; use a base64 string (@contentEncoding base64) or number[]'],
  ['SharedArrayBuffer', 'binary data is not JSON; use a base64 string or number[]'],
  ['DataView', 'binary data is not JSON; use a base64 string or number[]'],
  ['Buffer', 'Buffer is not JSON; use a base64 string or number[]'],
  ['Blob', 'Blob is not JSON; use a base64 string or a URL string'],
  ['Uint8Array', 'typed arrays are not JSON; use number[]'],
  ['Uint8ClampedArray', 'typed arrays are not JSON; use number[]'],
  ['Int8Array', 'typed arrays are not JSON; use number[]'],
  ['Uint16Array', 'typed arrays are not JSON; use number[]'],
  ['Int16Array', 'typed arrays are not JSON; use number[]'],
  ['Uint32Array', 'typed arrays are not JSON; use number[]'],
  ['Int32Array', 'typed arrays are not JSON; use number[]'],
  ['Float32Array', 'typed arrays are not JSON; use number[]'],
  ['Float64Array', 'typed arrays are not JSON; use number[]'],
  ['BigInt64Array', 'typed arrays are not JSON; use number[] or string[]'],
  ['BigUint64Array', 'typed arrays are not JSON; use number[] or string[]'],
]);

/** Why the built-in type `name` is not JSON and what to use instead, or undefined when it is not a known one. */
export function notJsonReason(name: string): string | undefined {
  return NOT_JSON.get(name);
}
