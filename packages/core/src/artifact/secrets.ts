/** Key names that hold credentials (compared lower-cased, without `-` and `_`). */
const SECRET_KEY =
  /(apikey|authorization|secret|password|passwd|credential|privatekey|accesskey|bearer|cookie)/;
/** Prefixes of provider and forge keys. */
const KEY_PREFIX = 'sk-|sk_|pk-|rk-|gsk_|hf_|xai-|ghp_|gho_|github_pat_|glpat-|AIza|AKIA';
/** Values that look like a credential: provider key prefixes, bearer headers, JWTs. */
const SECRET_VALUE = new RegExp(`^(${KEY_PREFIX}|Bearer\\s|Basic\\s)|^eyJ[\\w-]+\\.[\\w-]+\\.[\\w-]+$`);

/** Credentials inside a longer text: a key with a known prefix, a `Bearer`/`Basic` token, a JWT. */
const SECRET_IN_TEXT = new RegExp(
  `\\b(?:${KEY_PREFIX})[\\w-]{6,}|\\b(?:Bearer|Basic)\\s+[\\w.~+/=-]+|\\beyJ[\\w-]+\\.[\\w-]+\\.[\\w-]+`,
  'g',
);
/** `name: value` / `name=value` pairs in a text whose name says it holds a credential. */
const SECRET_PAIR_IN_TEXT =
  /((?:api[_-]?key|authorization|(?:access|auth|api|bearer)[_-]?token|secret|password)["']?\s*[:=]\s*["']?)(?!\*\*\*|(?:Bearer|Basic) \*\*\*)[^\s"',;&}]+/gi;

/**
 * `text` with every credential it shows replaced by `***`: key-shaped tokens (`sk-...`,
 * `Bearer ...`, JWTs) and the values of `apiKey=...` / `"authorization": "..."` pairs.
 */
export function maskSecretsInText(text: string): string {
  return text
    .replace(SECRET_IN_TEXT, (m) => (/^(Bearer|Basic)\s/.test(m) ? `${m.split(/\s/)[0]} ***` : '***'))
    .replace(SECRET_PAIR_IN_TEXT, '$1***');
}

/** True when a key name says it holds a credential (`apiKey`, `api_key`, `authorization`, `token`, ...). */
export function isSecretKey(key: string): boolean {
  const k = key.toLowerCase().replace(/[-_\s]/g, '');
  return SECRET_KEY.test(k) || k.endsWith('token') || /(api|auth|access|secret|private|session)key$/.test(k);
}

/** True when a string value looks like a credential (`sk-...`, `Bearer ...`, a JWT). */
export function isSecretValue(value: unknown): boolean {
  return typeof value === 'string' && SECRET_VALUE.test(value.trim());
}

/** Where secrets were found in a value: JSON-pointer-like paths (`/headers/Authorization`). */
export function findSecrets(value: unknown, path = ''): string[] {
  if (isSecretValue(value)) return [path || '/'];
  if (Array.isArray(value)) return value.flatMap((v, i) => findSecrets(v, `${path}/${i}`));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) =>
      isSecretKey(k) ? [`${path}/${k}`] : findSecrets(v, `${path}/${k}`),
    );
  }
  return [];
}

/**
 * A copy of LM settings without credentials: keys named like secrets are dropped, and so are
 * values that look like keys. `removed` lists what was dropped.
 */
export function stripSecrets<T>(value: T): { value: T; removed: string[] } {
  const removed: string[] = [];
  const strip = (v: unknown, at: string): unknown => {
    if (Array.isArray(v)) {
      const out: unknown[] = [];
      v.forEach((item, i) => {
        if (isSecretValue(item)) removed.push(`${at}/${i}`);
        else out.push(strip(item, `${at}/${i}`));
      });
      return out;
    }
    if (v && typeof v === 'object') {
      const kept: [string, unknown][] = [];
      for (const [k, inner] of Object.entries(v)) {
        if (isSecretKey(k) || isSecretValue(inner)) removed.push(`${at}/${k}`);
        else kept.push([k, strip(inner, `${at}/${k}`)]);
      }
      // fromEntries defines own properties: a `__proto__` key stays data (and is then refused).
      return Object.fromEntries(kept);
    }
    return v;
  };
  return { value: strip(value, '') as T, removed };
}
