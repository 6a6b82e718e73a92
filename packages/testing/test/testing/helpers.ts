import type { LanguageModel, LMRequest, LMResponse } from '@dspy-ts/core';

/** A model answering `echo: <last message>` (n copies), recording requests. */
export function echoLM(): LanguageModel & { requests: LMRequest[] } {
  const requests: LMRequest[] = [];
  return {
    model: 'echo-model',
    requests,
    async call(req: LMRequest): Promise<LMResponse> {
      requests.push(req);
      const text = `echo: ${req.messages.at(-1)?.content ?? ''}`;
      const n = req.n ?? 1;
      return {
        text,
        choices: Array.from({ length: n }, (_, i) => (i === 0 ? text : `${text} #${i}`)),
        usage: { promptTokens: 3, completionTokens: 2, totalTokens: 5 },
        model: 'echo-model',
        finishReason: 'stop',
        cacheHit: false,
      };
    },
  };
}
