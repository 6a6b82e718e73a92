// Module-loader hooks for child-import.mjs: report the URL of every ESM module resolved.
let port;

/** Receives the port that resolved URLs are posted to. */
export async function initialize(data) {
  port = data.port;
}

/** Resolves as usual and reports the resolved URL. */
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  port?.postMessage(result.url);
  return result;
}
