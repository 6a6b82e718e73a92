/**
 * The mapping of a failed call to its `DspyError`: loaded with the first failure (a call that
 * succeeds never needs it).
 */
import { DspyError, type DspyErrorCode } from '../errors.js';
import { redactDeep, redactText } from '../utils/redact.js';
import { type ErrorContext, labelOf } from './key-error.js';
import { loadedOpenAI } from './sdk.js';
import { type AttemptContext, FAULT_HEADER } from './transport.js';

function classify(err: unknown, ctx: AttemptContext): { code: DspyErrorCode; status?: number; what: string } {
  // Whatever a call ends with once its caller aborted it (a cut stream, a transport error) is the abort.
  if (ctx.signal?.aborted) return { code: 'LM_ABORTED', what: 'the call was aborted' };
  const sdk = loadedOpenAI();
  // Before the SDK is loaded no SDK error can exist.
  if (!sdk) return { code: 'LM_CONNECTION', what: 'the call failed' };
  const { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } = sdk;
  if (err instanceof APIUserAbortError) return { code: 'LM_ABORTED', what: 'the call was aborted' };
  if (err instanceof APIConnectionTimeoutError) return { code: 'LM_TIMEOUT', what: 'the request timed out' };
  if (err instanceof APIConnectionError) return { code: 'LM_CONNECTION', what: 'the connection failed' };
  if (err instanceof APIError) {
    const fault = err.headers?.get(FAULT_HEADER);
    if (fault === 'timeout') return { code: 'LM_TIMEOUT', what: 'the request timed out' };
    if (fault === 'connection') return { code: 'LM_CONNECTION', what: 'the connection failed' };
    if (fault === 'truncated') return { code: 'LM_CONNECTION', what: 'the response was cut off' };
    if (fault === 'malformed') return { code: 'LM_SERVER', what: 'the response was not valid JSON' };
    const status = err.status ?? ctx.lastStatus;
    const body = `${err.message} ${String((err.error as { code?: unknown } | undefined)?.code ?? '')}`;
    if (status === 401 || status === 403) return { code: 'LM_AUTH', status, what: 'the API key was refused' };
    if (status === 429) return { code: 'LM_RATE_LIMIT', status, what: 'rate limited' };
    if (status === 404) return { code: 'LM_NOT_FOUND', status, what: 'model or endpoint not found' };
    if (status === 408) return { code: 'LM_TIMEOUT', status, what: 'the server timed out' };
    if (status === 400 && /context.length|maximum context|too many tokens|context_length/i.test(body)) {
      return { code: 'LM_CONTEXT_OVERFLOW', status, what: 'the prompt is longer than the context window' };
    }
    if (status !== undefined && status >= 500) return { code: 'LM_SERVER', status, what: 'server error' };
    if (status === 409) return { code: 'LM_SERVER', status, what: 'conflict' };
    return { code: 'LM_BAD_REQUEST', status, what: 'the request was rejected' };
  }
  return { code: 'LM_CONNECTION', what: 'the call failed' };
}

function fixFor(code: DspyErrorCode, c: ErrorContext): string {
  switch (code) {
    case 'LM_AUTH':
      return c.apiKeyEnv
        ? `Check the API key: set ${c.apiKeyEnv} or pass { apiKey } to new ${labelOf(c)}('${c.model}').`
        : `Pass a valid { apiKey } to new ${labelOf(c)}('${c.model}').`;
    case 'LM_RATE_LIMIT':
      return 'Lower maxConcurrency, raise numRetries, or check the quota of your account.';
    case 'LM_TIMEOUT':
      return `Raise timeoutMs (now ${c.timeoutMs} ms) or check that ${c.host} answers.`;
    case 'LM_CONNECTION':
      return `Check that ${c.host} is reachable (network, proxy, server running); numRetries is ${c.numRetries}.`;
    case 'LM_SERVER':
      return `The provider failed; retry later or raise numRetries (now ${c.numRetries}).`;
    case 'LM_NOT_FOUND':
      return `Check the model name in '${c.model}' and the base URL (${c.host}).`;
    case 'LM_CONTEXT_OVERFLOW':
      return 'Shorten the inputs, use fewer demos, or pick a model with a larger context window.';
    case 'LM_ABORTED':
      return 'The caller aborted the call through its AbortSignal.';
    default:
      return "Check the request parameters against the provider's documentation.";
  }
}

/**
 * Turns whatever the SDK threw into a `DspyError` that says provider, model, status, attempts and
 * a fix. Message and cause (a redacted copy of the SDK error) show no credential.
 */
export function toLMError(err: unknown, c: ErrorContext, ctx: AttemptContext): DspyError {
  if (err instanceof DspyError) return err;
  const { code, status, what } = classify(err, ctx);
  const raw = redactText(err instanceof Error ? err.message : String(err), c.secrets);
  const tries = `${ctx.attempts} attempt${ctx.attempts === 1 ? '' : 's'}`;
  const statusText = status === undefined ? '' : `, status ${status}`;
  const message = `${labelOf(c)} ${c.model}: ${what}${statusText} after ${tries} (${c.provider} at ${c.host}): ${raw}`;
  return new DspyError(code, message, {
    // The SDK error keeps the provider's body, which may echo the request's credentials.
    cause: redactDeep(err, c.secrets),
    details: {
      where: `${labelOf(c)}('${c.model}')`,
      fix: fixFor(code, c),
      provider: c.provider,
      model: c.model,
      status,
      attempts: ctx.attempts,
    },
  });
}

/** The error of a call made after the provider refused this LM's key: nothing is sent again. */
export function refusedKeyError(c: ErrorContext, first: DspyError): DspyError {
  const notFound = first.code === 'LM_NOT_FOUND';
  const status = notFound ? 404 : 401;
  const label = labelOf(c);
  const copy = label === 'LM' ? 'a new LM (or lm.copy({ apiKey }))' : `a new ${label}`;
  return new DspyError(
    notFound ? 'LM_NOT_FOUND' : 'LM_AUTH',
    notFound
      ? `${label} ${c.model}: the model or endpoint was not found by an earlier call (status 404); not sent again`
      : `${label} ${c.model}: the API key was refused by an earlier call (status 401); not sent again`,
    {
      cause: first,
      details: {
        where: `${label}('${c.model}')`,
        fix: notFound
          ? `${fixFor('LM_NOT_FOUND', c)} The model of an ${label} is fixed: make a new ${label} with the right name.`
          : `${fixFor('LM_AUTH', c)} The key of an ${label} is fixed: make ${copy} with a valid key.`,
        provider: c.provider,
        model: c.model,
        status,
        attempts: 0,
      },
    },
  );
}
