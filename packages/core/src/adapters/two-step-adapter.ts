import { DspyError } from '../errors.js';
import type { ChatMessage, LanguageModel, LMResponse } from '../lm/types.js';
import type { FieldSpec } from '../signature/spec.js';
import { SignatureSpec } from '../signature/spec.js';
import { BaseAdapter, fillReasoning, readingSpec } from './base-adapter.js';
import { ensureSpecValidators } from './ensure-validators.js';
import { emptyCompletionError } from './errors.js';
import { JSONAdapter } from './json-adapter.js';
import { instructionsOf, layoutOf, usesTools } from './layout.js';
import { buildMessages } from './messages.js';
import { type BlockWriter, renderBlocks } from './render.js';
import type { Adapter, AdapterCallArgs, AdapterCallResult, FormatArgs, ParseOptions } from './types.js';

type Spec = SignatureSpec<object, object>;

/** Options of {@link TwoStepAdapter}. */
export interface TwoStepAdapterOptions {
  /** The (smaller, cheaper) LM that reads the typed outputs out of the main LM's answer. */
  readonly extractionModel: LanguageModel;
  /** The adapter of the extraction call (default: a `JSONAdapter`). */
  readonly extractionAdapter?: Adapter;
}

/** A field as plain text: `name: value`, or the value on the lines below when it has several. */
const naturalBlock: BlockWriter = (name, text) =>
  text.includes('\n') ? `${name}:\n${text}` : `${name}: ${text}`;

function fieldLine(f: FieldSpec): string {
  const desc = f.description?.trim();
  return `- ${f.name} (${f.typeText})${desc ? `: ${desc}` : ''}`;
}

function systemOf(spec: Spec): string {
  const parts = [instructionsOf(spec)];
  if (spec.inputs.length > 0) parts.push(['You will be given:', ...spec.inputs.map(fieldLine)].join('\n'));
  parts.push(
    ['Your answer must make clear:', ...spec.outputs.map(fieldLine)].join('\n'),
    'Answer in your own words and lay out your reasoning as you see fit; another reader will take these values from your answer, so state each one plainly.',
  );
  return parts.join('\n\n');
}

const extractionSpecs = new WeakMap<Spec, Spec>();

/** `text -> <the outputs of spec>`: the extraction step's signature (built once per spec). */
export function extractionSpecOf(spec: Spec): Spec {
  let extraction = extractionSpecs.get(spec);
  if (!extraction) {
    const names = spec.outputs.map((f) => `\`${f.name}\``).join(', ');
    extraction = new SignatureSpec({
      name: `${spec.name}Extraction`,
      instructions: [
        `The text is an answer to the task below. Extract the fields ${names} from it, as the text gives them.`,
        '',
        'Task:',
        instructionsOf(spec),
      ].join('\n'),
      inputs: [
        { name: 'text', schema: { type: 'string' }, typeText: 'string', description: 'the answer to read' },
      ],
      outputs: spec.outputs,
    });
    extractionSpecs.set(spec, extraction);
  }
  return extraction;
}

function refuseTools(spec: Spec): DspyError {
  return new DspyError(
    'ADAPTER_FORMAT',
    `TwoStepAdapter cannot run signature ${spec.name}: it has a Tool[] input or a ToolCalls output, and a free-form answer cannot carry tool calls.`,
    {
      details: {
        where: `TwoStepAdapter on signature ${spec.name}`,
        fix: 'Use ChatAdapter, JSONAdapter or XMLAdapter for tool-calling signatures (ReAct), e.g. new ReAct(sig, { tools, adapter: new ChatAdapter() }).',
        adapter: 'TwoStepAdapter',
        signature: spec.name,
      },
    },
  );
}

/**
 * Two calls per prediction: the main LM (often a reasoning model) gets a natural prompt, the
 * task, the inputs as `name: value` lines and the outputs described in prose, with no field
 * format; then `extractionModel` reads the typed outputs out of that answer through
 * `extractionAdapter` (a `JSONAdapter` by default). Usage and cost count both calls. Demos and
 * history turns are shown the same natural way. Signatures with `Tool[]` inputs or `ToolCalls`
 * outputs are refused (`ADAPTER_FORMAT`). `parse` reads an extraction answer (a completion of
 * the extraction step), since the main answer needs an LM call to read.
 *
 * @example
 * ```ts
 * const adapter = new TwoStepAdapter({ extractionModel: new LM('openai/gpt-4o-mini') });
 * const solve = new Predict('problem -> answer: number', { lm: new LM('openai/o3'), adapter });
 * ```
 */
export class TwoStepAdapter extends BaseAdapter {
  readonly name: string = 'TwoStepAdapter';
  /** Its outputs exist only after the extraction call: streaming runs `call`, then one delta per field. */
  readonly outputsAfterCall = true;
  /** The LM of the extraction step. */
  readonly extractionModel: LanguageModel;
  /** The adapter of the extraction step. */
  readonly extractionAdapter: Adapter;

  constructor(options: TwoStepAdapterOptions) {
    super({ nativeToolCalls: false });
    if (!options?.extractionModel) {
      throw new DspyError('OPTION_INVALID', 'new TwoStepAdapter(...) needs an extractionModel.', {
        details: {
          where: 'TwoStepAdapter options',
          fix: "Pass the LM that reads the outputs: new TwoStepAdapter({ extractionModel: new LM('openai/gpt-4o-mini') }).",
        },
      });
    }
    this.extractionModel = options.extractionModel;
    this.extractionAdapter = options.extractionAdapter ?? new JSONAdapter();
  }

  protected formatMessages(spec: Spec, args: FormatArgs): ChatMessage[] {
    if (usesTools(spec)) throw refuseTools(spec);
    const layout = layoutOf(spec);
    const names = spec.outputs.map((f) => f.name).join(', ');
    const requirements = `Answer the task; make sure your answer gives: ${names}.`;
    const assistant = (values: Readonly<Record<string, unknown>>, missing?: string) =>
      renderBlocks(layout.allOutputs, values, missing, naturalBlock).join('\n\n');
    return buildMessages(layout, args, systemOf(spec), requirements, assistant, naturalBlock);
  }

  protected parseCompletion(spec: Spec, completion: string, options: ParseOptions): Record<string, unknown> {
    if (usesTools(spec)) throw refuseTools(spec);
    return this.extractionAdapter.parse(extractionSpecOf(spec), completion, options);
  }

  /**
   * Asks the main LM, then extracts the outputs of every completion with the extraction model.
   * `responses` holds the main response, then each extraction's responses (for usage and cost).
   */
  override async call(spec: Spec, args: AdapterCallArgs): Promise<AdapterCallResult> {
    const validators = ensureSpecValidators(spec);
    if (validators) await validators;
    const { messages, response } = await this.ask(spec, args);
    const texts = response.choices.length > 0 ? response.choices : [response.text];
    const outputs: Record<string, unknown>[] = [];
    const responses: LMResponse[] = [response];
    for (const [i, text] of texts.entries()) {
      if (text.trim() === '') throw emptyCompletionError(this.name, spec);
      const reasoning = response.reasonings?.[i] ?? (i === 0 ? response.reasoning : undefined);
      // The main LM's own reasoning fills `Reasoning` outputs; the extraction reads the rest.
      const result = await this.extractionAdapter.call(extractionSpecOf(readingSpec(spec, reasoning)), {
        lm: this.extractionModel,
        inputs: { text },
      });
      outputs.push(fillReasoning(spec, reasoning, result.outputs[0] ?? {}));
      responses.push(...(result.responses ?? [result.response]));
    }
    return { outputs, response, messages, adapter: this.name, responses };
  }
}
