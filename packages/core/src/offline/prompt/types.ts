import type { JsonSchema } from '../../signature/spec.js';

/** How a field's value is written: mirrors the adapters' notes. */
export type PromptFieldKind = 'string' | 'number' | 'integer' | 'boolean' | 'enum' | 'json';

/** A field as read back from a system message. */
export interface PromptField {
  readonly name: string;
  /** The TypeScript type as written in the field list (`string`, `'a' | 'b'`, ...). */
  readonly typeText: string;
  readonly description?: string;
  readonly kind: PromptFieldKind;
  /** Allowed values of an `enum` field, as written in the prompt. */
  readonly options: readonly string[];
  /** The JSON Schema of a `json` field, when the prompt states it. */
  readonly schema?: JsonSchema;
}

/** What a system message says about the task. */
export interface ParsedSystem {
  readonly inputs: readonly PromptField[];
  readonly outputs: readonly PromptField[];
  /** Instruction lines (indentation removed, blank lines dropped). */
  readonly instructions: readonly string[];
  /** True when the structure block asks for a JSON object (a JSONAdapter prompt). */
  readonly json: boolean;
  /** True when the structure block writes fields as `<name>` elements (an XMLAdapter prompt). */
  readonly xml: boolean;
  /**
   * True for a natural prompt without field markers (the first call of a `TwoStepAdapter`):
   * fields are `name: value` lines, and so is the answer.
   */
  readonly prose?: boolean;
}

/** Field values of one message, as the raw text of each `[[ ## name ## ]]` block or `<name>` element. */
export type FieldTexts = Readonly<Record<string, string>>;

/** A demo (or history turn) read back from a user/assistant pair. */
export interface ParsedDemo {
  readonly inputs: FieldTexts;
  readonly outputs: FieldTexts;
}

/** A whole adapter prompt, read back. */
export interface ParsedPrompt {
  readonly system: ParsedSystem;
  readonly demos: readonly ParsedDemo[];
  /** The final user message's inputs. */
  readonly inputs: FieldTexts;
  /** True when the answer should be a JSON object (JSON prompt or a JSON `responseFormat`). */
  readonly json: boolean;
  /** True when the answer should be `<name>` elements (an XML prompt without a JSON `responseFormat`). */
  readonly xml: boolean;
  /** True when the answer should be `name: value` prose (a natural prompt without a JSON `responseFormat`). */
  readonly prose?: boolean;
}
