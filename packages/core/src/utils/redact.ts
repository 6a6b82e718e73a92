/**
 * Masking credentials in what the library hands back: error messages, error causes (an SDK
 * error keeps the provider's body, which may echo a request header) and settings.
 */
import { isSecretKey, maskSecretsInText } from '../artifact/secrets.js';
import { isPlainObject } from './plain-object.js';

const MASK = '***';
/** Deeper than any error or settings object the library builds. */
const MAX_DEPTH = 32;

/** `text` with each of `secrets` (exact values of 4+ characters) and every credential-shaped part masked. */
export function redactText(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const s of secrets) if (s.length >= 4) out = out.split(s).join(MASK);
  return maskSecretsInText(out);
}

/**
 * A copy of `value` with every string it reaches redacted ({@link redactText}) and every entry
 * whose name says it holds a credential (`apiKey`, `authorization`, `token`, ...) masked: through
 * arrays, plain objects, errors (own properties, `message`, `stack` and the `cause` chain, same
 * prototype, so `instanceof` still holds) and `Headers` (copied into a plain `Headers`). Other
 * objects are kept as they are. Cycles are preserved.
 */
export function redactDeep<T>(value: T, secrets: readonly string[] = []): T {
  const copies = new Map<object, unknown>();
  const entry = (key: PropertyKey, v: unknown, depth: number): unknown =>
    typeof key === 'string' && isSecretKey(key) && v !== undefined && v !== null ? MASK : walk(v, depth);
  const walk = (v: unknown, depth: number): unknown => {
    if (typeof v === 'string') return redactText(v, secrets);
    if (v === null || typeof v !== 'object') return v;
    const known = copies.get(v);
    if (known !== undefined) return known;
    if (depth > MAX_DEPTH) return MASK;
    if (Array.isArray(v)) {
      const out: unknown[] = [];
      copies.set(v, out);
      for (const item of v) out.push(walk(item, depth + 1));
      return out;
    }
    if (v instanceof Headers) {
      const out = new Headers();
      copies.set(v, out);
      for (const [k, h] of v) out.append(k, isSecretKey(k) ? MASK : redactText(h, secrets));
      return out;
    }
    if (!(v instanceof Error) && !isPlainObject(v)) return v;
    const out = Object.create(Object.getPrototypeOf(v) as object | null) as Record<PropertyKey, unknown>;
    copies.set(v, out);
    for (const key of Reflect.ownKeys(v)) {
      const d = Object.getOwnPropertyDescriptor(v, key) as PropertyDescriptor;
      if ('value' in d) d.value = entry(key, d.value, depth + 1);
      Object.defineProperty(out, key, d);
    }
    return out;
  };
  return walk(value, 0) as T;
}
