import { HASHING_DIMENSIONS, hashingEmbedding } from '../hashing-embedding.js';
import { BadRequest } from './protocol.js';

/** Most texts one embeddings request may carry (OpenAI's limit). */
const MAX_INPUTS = 2048;

/** A parsed `POST /v1/embeddings` body. */
interface EmbeddingsRequest {
  readonly model: string;
  readonly inputs: readonly string[];
  readonly dimensions: number;
  readonly format: 'float' | 'base64';
}

function parse(body: Record<string, unknown>): EmbeddingsRequest {
  const { model, input, dimensions, encoding_format: format } = body;
  if (typeof model !== 'string' || model === '') throw new BadRequest('`model` must be a non-empty string');
  const inputs = typeof input === 'string' ? [input] : input;
  if (!Array.isArray(inputs) || inputs.length === 0)
    throw new BadRequest('`input` must be a string or a non-empty array of strings');
  if (inputs.length > MAX_INPUTS) throw new BadRequest(`\`input\` may hold at most ${MAX_INPUTS} texts`);
  inputs.forEach((t, i) => {
    if (typeof t !== 'string') throw new BadRequest(`input[${i}] must be a string`);
    if (t === '') throw new BadRequest(`input[${i}] is empty`);
  });
  if (dimensions !== undefined && !(Number.isInteger(dimensions) && (dimensions as number) >= 1))
    throw new BadRequest('`dimensions` must be a positive integer');
  if (format !== undefined && format !== 'float' && format !== 'base64')
    throw new BadRequest("`encoding_format` must be 'float' or 'base64'");
  return {
    model,
    inputs: inputs as string[],
    dimensions: (dimensions as number | undefined) ?? HASHING_DIMENSIONS,
    format: format ?? 'float',
  };
}

function encode(vec: Float32Array, format: 'float' | 'base64'): number[] | string {
  if (format === 'float') return Array.from(vec);
  return Buffer.from(vec.buffer, vec.byteOffset, vec.byteLength).toString('base64');
}

/**
 * The JSON answer to an embeddings request body, from {@link hashingEmbedding} (384 dimensions
 * unless the body asks for others). Usage counts a token per 4 characters. Throws
 * {@link BadRequest} for a body OpenAI would refuse.
 */
export function embeddingsJson(body: Record<string, unknown>): string {
  const req = parse(body);
  const vectors = hashingEmbedding(req.inputs, { dimensions: req.dimensions });
  const tokens = req.inputs.reduce((sum, t) => sum + Math.ceil(t.length / 4), 0);
  return JSON.stringify({
    object: 'list',
    data: vectors.map((v, index) => ({ object: 'embedding', index, embedding: encode(v, req.format) })),
    model: req.model,
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  });
}
