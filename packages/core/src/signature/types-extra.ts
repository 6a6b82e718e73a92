/**
 * A whole number. Declare a field as `integer` (instead of `number`) and the build step emits
 * `{ "type": "integer" }` for it; at run time it is an ordinary `number`.
 *
 * @example
 * ```ts
 * @OutputField() votes!: integer;
 * ```
 */
export type integer = number;
