/**
 * The errors of a completion that is no answer (no choices, or no text and no tool calls):
 * loaded with the first such response.
 */
import { DspyError } from '../errors.js';

/** The LM a failure belongs to. */
interface Failing {
  readonly model: string;
  readonly provider: string;
}

/** `LM_SERVER`: the endpoint answered with something that is not a chat completion. */
export function noChoicesError(lm: Failing, attempts: number): DspyError {
  return new DspyError('LM_SERVER', `LM ${lm.model}: the response has no choices`, {
    details: {
      where: `LM('${lm.model}')`,
      fix: 'Check that the endpoint speaks the OpenAI chat-completions protocol.',
      provider: lm.provider,
      model: lm.model,
      attempts,
    },
  });
}

/** `LM_EMPTY`: every completion came back without text or tool calls. */
export function emptyError(lm: Failing, finishReason: string, attempts: number): DspyError {
  const cut = finishReason === 'length';
  return new DspyError(
    'LM_EMPTY',
    `LM ${lm.model}: the model returned no text (finish reason ${finishReason})`,
    {
      details: {
        where: `LM('${lm.model}')`,
        fix: cut
          ? 'The token limit was reached before any text: raise maxTokens (reasoning models spend tokens on thinking).'
          : 'Retry with a different rolloutId, or check the prompt and the content filter.',
        provider: lm.provider,
        model: lm.model,
        finishReason,
        attempts,
      },
    },
  );
}
