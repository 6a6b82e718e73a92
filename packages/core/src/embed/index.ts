export { Embedder, type EmbedderStats } from './embedder.js';
export type {
  EmbedderCommonOptions,
  EmbedderOptions,
  EmbedFunction,
  FunctionEmbedderOptions,
} from './options.js';
