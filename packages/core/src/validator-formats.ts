import * as formatsModule from 'ajv-formats/dist/formats.js';
import { cjsExport } from './runtime/cjs-export.js';

/** The checks of the `format` keyword (ajv-formats' full set), by format name. */
export const formats: Readonly<Record<string, unknown>> = /* @__PURE__ */ cjsExport(
  formatsModule,
  'fullFormats',
);
