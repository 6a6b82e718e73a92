import {
  History,
  InputField,
  OutputField,
  Predict,
  registerManifest,
  Signature,
  withSettings,
} from '@dspy-ts/core';
import { clearManifests, HISTORY_SCHEMA } from '@dspy-ts/core/internal';
import { ScriptedLM } from '@dspy-ts/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { manifestOf, mentry, mfield, STRING } from '../signature/helpers.js';

// The class and method forms, with the schemas the build step writes for them.
@Signature()
class Chat {
  @InputField() history!: History;
  @InputField() question!: string;
  @OutputField() answer!: string;
}

declare module '@dspy-ts/core' {
  interface SignatureRegistry {
    Chat: { target: typeof Chat; inputs: 'history' | 'question'; outputs: 'answer' };
  }
}

class Desk {
  @Signature()
  async reply(history: History, message: string): Promise<{ text: string }> {
    throw new Error(`replaced by @Signature(): ${history.length} ${message}`);
  }
}

const chatTurns = new History([{ question: 'Open on Sunday?', answer: 'Yes, 10 to 4.' }]);
const deskTurns = new History([{ message: 'Open on Sunday?', text: 'Yes, 10 to 4.' }]);
const contents = (lm: ScriptedLM) => (lm.requests[0]?.messages ?? []).slice(1).map((m) => m.content);

beforeEach(() => {
  clearManifests();
  registerManifest(
    manifestOf(
      mentry(
        'Chat',
        [mfield('history', 'History', HISTORY_SCHEMA), mfield('question', 'string', STRING)],
        [mfield('answer', 'string', STRING)],
      ),
      mentry(
        'Desk.reply',
        [mfield('history', 'History', HISTORY_SCHEMA), mfield('message', 'string', STRING)],
        [mfield('text', 'string', STRING)],
        { kind: 'method' },
      ),
    ),
  );
});

describe('History in the class and method signature forms', () => {
  it('a class field typed History renders its turns before the question', async () => {
    const lm = new ScriptedLM([{ answer: 'No.' }]);
    const out = await new Predict(Chat, { lm }).forward({ history: chatTurns, question: 'And on Monday?' });
    expect(out.answer).toBe('No.');
    expect(contents(lm)).toEqual([
      '[[ ## question ## ]]\nOpen on Sunday?',
      '[[ ## answer ## ]]\nYes, 10 to 4.\n\n[[ ## completed ## ]]',
      expect.stringMatching(/^\[\[ ## question ## \]\]\nAnd on Monday\?\n\nRespond/),
    ]);
  });

  it('a method parameter typed History does the same', async () => {
    const lm = new ScriptedLM([{ text: 'Closed on Mondays.' }]);
    const out = await withSettings({ lm }, () => new Desk().reply(deskTurns, 'And on Monday?'));
    expect(out.text).toBe('Closed on Mondays.');
    expect(contents(lm).slice(0, 2)).toEqual([
      '[[ ## message ## ]]\nOpen on Sunday?',
      '[[ ## text ## ]]\nYes, 10 to 4.\n\n[[ ## completed ## ]]',
    ]);
  });
});
