/** Any object of named fields. */
export type Fields = Record<string, unknown>;

/**
 * `O` as a fields record: `O` itself when it already is one (object literal and mapped types),
 * else `O & Record<string, unknown>` (interfaces and class instance types).
 */
export type AsFields<O> = O extends Fields ? O : O & Fields;
