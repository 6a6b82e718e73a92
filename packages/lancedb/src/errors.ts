import { DspyError } from '@dspy-ts/core';

/** The table does not exist (nothing was added yet, or the name is wrong). */
export function missingTable(
  where: string,
  table: string,
  uri: string,
  existing: readonly string[],
): DspyError {
  const there = existing.length === 0 ? 'it has no tables' : `its tables: ${existing.join(', ')}`;
  return new DspyError('OPTION_INVALID', `${where}: table '${table}' does not exist in ${uri} (${there}).`, {
    details: {
      where,
      table,
      tables: [...existing],
      fix: `Call add(texts) first to create '${table}', or name one of the existing tables in the table option.`,
    },
  });
}

/** The table exists but was not written by a retriever (other columns or vector type). */
export function foreignTable(where: string, table: string, columns: readonly string[]): DspyError {
  return new DspyError(
    'OPTION_INVALID',
    `${where}: table '${table}' has columns ${columns.join(', ')}; a retriever's table has id, text, hash and a float32 vector column.`,
    {
      details: {
        where,
        table,
        columns: [...columns],
        fix: 'Name a table that LanceRetriever created, or a new name to create one.',
      },
    },
  );
}

/** The uri is not a local directory LanceDB can open. */
export function badUri(uri: unknown, reason: string, cause?: unknown): DspyError {
  const where = `LanceRetriever(${String(uri)})`;
  return new DspyError('OPTION_INVALID', `${where}: uri ${reason}.`, {
    cause,
    details: {
      where,
      uri,
      fix: 'Set uri to a directory path (or a file:// URL of one); LanceRetriever creates it on the first add().',
    },
  });
}

/** Any other LanceDB failure, with what was being done. */
export function lanceFailure(where: string, doing: string, cause: unknown): DspyError {
  if (cause instanceof DspyError) return cause;
  const message = cause instanceof Error ? cause.message.split('\n')[0] : String(cause);
  return new DspyError('INTERNAL', `${where}: LanceDB failed while ${doing}: ${message}`, {
    cause,
    details: {
      where,
      fix: 'Check that the directory is readable and writable and not being changed by another program.',
    },
  });
}
