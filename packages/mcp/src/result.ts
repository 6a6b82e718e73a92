/**
 * What an MCP tool's result becomes for the agent: the observation value of a call, and the
 * server's text of an error result.
 */

/** A call's value: the server's `structuredContent` when it sent one, else its content as text. */
export type McpToolValue = string | { readonly [key: string]: unknown };

type Block = { readonly [key: string]: unknown };

function isRecord(value: unknown): value is Block {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The size of base64 `data` once decoded. */
function bytesOf(data: unknown): number {
  return typeof data === 'string' ? Buffer.byteLength(data, 'base64') : 0;
}

/** An embedded resource: its text, or a summary of its binary content. */
function resourceText(resource: unknown): string {
  if (!isRecord(resource)) return '<resource>';
  const uri = str(resource.uri) ?? '(no uri)';
  const mime = str(resource.mimeType);
  const text = str(resource.text);
  if (text !== undefined) return `<resource: ${uri}${mime ? `, ${mime}` : ''}>\n${text}`;
  return `<resource: ${uri}${mime ? `, ${mime}` : ''}, ${bytesOf(resource.blob)} bytes>`;
}

/** One content block as text: text as it is, media and resources summarised. */
function blockText(block: unknown): string {
  if (!isRecord(block)) return String(block);
  switch (block.type) {
    case 'text':
      return str(block.text) ?? '';
    case 'image':
    case 'audio':
      return `<${block.type}: ${str(block.mimeType) ?? 'unknown type'}, ${bytesOf(block.data)} bytes>`;
    case 'resource':
      return resourceText(block.resource);
    case 'resource_link': {
      const name = str(block.name);
      return `<resource link: ${str(block.uri) ?? '(no uri)'}${name ? ` (${name})` : ''}>`;
    }
    default:
      return `<${String(block.type)} content>`;
  }
}

/** A result's content blocks as text, one block per line. */
function contentText(result: Block): string {
  const content = Array.isArray(result.content) ? result.content : [];
  return content.map(blockText).join('\n');
}

/**
 * The observation value of a successful result: its `structuredContent` when present (the agent
 * reads it as JSON), else its content as text. A result of the protocol's old shape
 * (`{ toolResult }`) gives its `toolResult`.
 */
export function resultValue(result: Block): McpToolValue {
  if (isRecord(result.structuredContent)) return result.structuredContent;
  if (!Array.isArray(result.content) && 'toolResult' in result) {
    const value = result.toolResult;
    return typeof value === 'string' ? value : isRecord(value) ? value : JSON.stringify(value ?? null);
  }
  return contentText(result);
}

/** The server's message of an error result: its content as text, else its `structuredContent` as JSON. */
export function errorText(result: Block): string {
  const text = contentText(result).trim();
  if (text !== '' || !isRecord(result.structuredContent)) return text;
  return JSON.stringify(result.structuredContent);
}
