// Runs one lazy piece of @dspy-ts/core's web entry (or, in mode `server-parse`, the server entry) in a fresh process (the pieces load once per
// process) and prints what happened as one JSON line. Imported by file path, not by package name:
// under Node the package name resolves to the server entry, which loads every piece at start-up.
import {
  ChatAdapter,
  configure,
  Image,
  isDspyError,
  JSONAdapter,
  type LanguageModel,
  type LMRequest,
  type LMResponse,
  loadAdapterSupport,
  loadMethodSignatures,
  loadSchemaCompiler,
  Predict,
  registerManifest,
  Signature,
  SignatureSpec,
  specOf,
} from '../../../packages/core/src/index.js';
import { manifestOf, mentry, mfield } from '../../../packages/core/test/signature/helpers.js';

/** A model that answers every call with `text` and records the calls. */
function scripted(text: string): LanguageModel & { calls: LMRequest[] } {
  const calls: LMRequest[] = [];
  return {
    model: 'scripted',
    calls,
    async call(request: LMRequest): Promise<LMResponse> {
      calls.push(request);
      const usage = { promptTokens: 1, completionTokens: 1, totalTokens: 2 };
      return { text, choices: [text], usage, model: 'scripted', finishReason: 'stop', cacheHit: false };
    },
  };
}

const MALFORMED_JSON = "{'answer': 'Paris', 'cities': ['Paris', 'Lyon',],}";
const MALFORMED_CHAT = "[[ ## cities ## ]]\n['Paris', 'Lyon',]\n\n[[ ## completed ## ]]";
const SIGNATURE = 'question -> cities: string[]';

/** A class with a `@Signature()` method, declared when called (the decorator starts the load). */
function methodService() {
  registerManifest(
    manifestOf(
      mentry(
        'Service.classify',
        [mfield('text', 'string', { type: 'string' })],
        [mfield('label', "'bug' | 'question'", { type: 'string', enum: ['bug', 'question'] })],
        { kind: 'method', instructions: 'Classify the message.' },
      ),
    ),
  );
  class Service {
    @Signature()
    async classify(text: string): Promise<{ label: 'bug' | 'question' }> {
      throw new Error(`replaced by the decorator (${text})`);
    }
  }
  return Service;
}

/** What a thrown error says, as JSON. */
function thrown(err: unknown): Record<string, unknown> {
  return {
    threw: true,
    code: isDspyError(err) ? err.code : undefined,
    message: err instanceof Error ? err.message : String(err),
    fix: isDspyError(err) ? err.details.fix : undefined,
  };
}

/** A signature whose output is an object with an optional property. */
const PLACE = new SignatureSpec({
  name: 'Place',
  instructions: '',
  inputs: [{ name: 'question', schema: { type: 'string' }, typeText: 'string' }],
  outputs: [
    {
      name: 'place',
      typeText: '{ city: string; zip?: string }',
      schema: {
        type: 'object',
        properties: { city: { type: 'string' }, zip: { type: 'string' } },
        required: ['city'],
        additionalProperties: false,
      },
    },
  ],
});
const NULL_ZIP = '[[ ## place ## ]]\n{"city": "Paris", "zip": null}\n\n[[ ## completed ## ]]';

async function probe(mode: string): Promise<unknown> {
  switch (mode) {
    case 'null-optional-forward': {
      // `null` for an optional property fails the schema: forward loads the retry without it.
      const lm = scripted(NULL_ZIP);
      const prediction = await new Predict(PLACE, { lm }).forward({ question: 'Where?' });
      return { place: prediction.toJSON().place, calls: lm.calls.length };
    }
    case 'null-optional-parse-before-load': {
      await loadSchemaCompiler();
      try {
        return { threw: false, outputs: new ChatAdapter().parse(PLACE, NULL_ZIP) };
      } catch (err) {
        return thrown(err);
      }
    }
    case 'method-spec-before-load': {
      // specOf on a method in the same turn as the class declaration: the specs are still loading.
      const Service = methodService();
      try {
        return { threw: false, name: specOf(Service, 'classify').name };
      } catch (err) {
        return thrown(err);
      }
    }
    case 'method-spec-after-load': {
      const Service = methodService();
      await loadMethodSignatures();
      const spec = specOf(Service, 'classify');
      return {
        name: spec.name,
        inputs: spec.inputs.map((f) => f.name),
        outputs: spec.outputs.map((f) => f.name),
      };
    }
    case 'method-call': {
      // Calling the method loads the specs by itself and runs a prediction.
      const Service = methodService();
      const lm = scripted('[[ ## label ## ]]\nbug\n\n[[ ## completed ## ]]');
      configure({ lm });
      return { result: await new Service().classify('It crashes.'), calls: lm.calls.length };
    }
    case 'not-a-method': {
      // A plain function is not a method signature: the same error as before, without loading.
      try {
        specOf((async () => 1) as never);
        return { threw: false };
      } catch (err) {
        return thrown(err);
      }
    }
    case 'parse-before-load': {
      // A synchronous parse of malformed JSON before jsonrepair is loaded: a clear error.
      try {
        new ChatAdapter().parse(specOf(SIGNATURE), MALFORMED_CHAT);
        return { threw: false };
      } catch (err) {
        return thrown(err);
      }
    }
    case 'format-before-load': {
      // JSONAdapter's format is loaded on demand too: a synchronous format before it fails clearly.
      try {
        new JSONAdapter().format(specOf('question -> answer'), {
          inputs: { question: 'Capital of France?' },
        });
        return { threw: false };
      } catch (err) {
        return thrown(err);
      }
    }
    case 'stream-json': {
      // Streaming formats synchronously: it loads the adapter's format first.
      const lm = scripted(MALFORMED_JSON);
      const events: unknown[] = [];
      const predict = new Predict('question -> answer, cities: string[]', { lm, adapter: new JSONAdapter() });
      for await (const ev of predict.stream({ question: 'Capital and cities of France?' })) {
        events.push(ev.type === 'delta' ? ev : { type: ev.type, outputs: ev.prediction.toJSON() });
      }
      return { events, calls: lm.calls.length };
    }
    case 'media-format-before-load': {
      try {
        new ChatAdapter().format(specOf('photo: Image -> caption'), {
          inputs: { photo: Image.fromUrl('https://example.com/cat.png') },
        });
        return { threw: false };
      } catch (err) {
        return {
          threw: true,
          code: isDspyError(err) ? err.code : undefined,
          fix: isDspyError(err) ? err.details.fix : undefined,
        };
      }
    }
    case 'media-forward': {
      // A call whose inputs hold media loads the content parts before formatting.
      const lm = scripted('[[ ## caption ## ]]\nA cat.\n\n[[ ## completed ## ]]');
      const prediction = await new Predict('photo: Image -> caption', { lm }).forward({
        photo: Image.fromUrl('https://example.com/cat.png'),
      });
      const user = lm.calls[0]?.messages.find((m) => m.role === 'user');
      const parts = user && 'parts' in user ? user.parts?.map((p) => p.type) : undefined;
      return { caption: prediction.caption, parts };
    }
    case 'parse-after-load': {
      await Promise.all([loadAdapterSupport(), loadSchemaCompiler()]);
      return new JSONAdapter().parse(specOf('question -> answer, cities: string[]'), MALFORMED_JSON);
    }
    case 'forward': {
      // The async path loads jsonrepair by itself and reads the malformed list.
      const lm = scripted(MALFORMED_CHAT);
      const prediction = await new Predict(SIGNATURE, { lm }).forward({ question: 'Cities of France?' });
      return { cities: prediction.cities, calls: lm.calls.length };
    }
    case 'stream': {
      const lm = scripted(MALFORMED_CHAT);
      const events: unknown[] = [];
      for await (const ev of new Predict(SIGNATURE, { lm }).stream({ question: 'Cities of France?' })) {
        events.push(ev.type === 'delta' ? ev : { type: ev.type, cities: ev.prediction.cities });
      }
      return { events, calls: lm.calls.length };
    }
    case 'json-adapter': {
      const lm = scripted(MALFORMED_JSON);
      const adapter = new JSONAdapter();
      const result = await adapter.call(specOf('question -> answer, cities: string[]'), {
        lm,
        inputs: { question: 'Capital and cities of France?' },
      });
      return { outputs: result.outputs, calls: lm.calls.length };
    }
    case 'server-parse': {
      // The server entry loads jsonrepair (and ajv) at start-up: a synchronous parse repairs at once.
      const server = await import('../../../packages/core/src/node.js');
      return new server.JSONAdapter().parse(
        server.specOf('question -> answer, cities: string[]'),
        MALFORMED_JSON,
      );
    }
    default:
      throw new Error(`web-probe: unknown mode ${mode}`);
  }
}

console.log(JSON.stringify(await probe(process.argv[2] ?? '')));
