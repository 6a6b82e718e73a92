import { logger } from '@dspy-ts/core';
import { Index, type Table } from '@lancedb/lancedb';
import { lanceFailure } from './errors.js';

/** The name of the vector column's index. */
export const VECTOR_INDEX = 'vector_idx';

/**
 * Rows per IVF partition: k-means over √rows partitions (LanceDB's default) costs minutes at a
 * million rows on two cores; this many rows a partition trains in seconds, and `nprobes`
 * partitions still cover a fair share of the table.
 */
const ROWS_PER_PARTITION = 4096;

/**
 * PQ sub-vectors of 8 dimensions each where they divide (twice LanceDB's default of 16: the
 * codes keep enough of the vector for a refined search to reach exact top-k), else 4 or 2.
 */
function subVectors(dimension: number): number {
  const width = [8, 4, 2].find((w) => dimension % w === 0) ?? dimension;
  return dimension / width;
}

/** What {@link maintainIndex} needs to know of the table. */
export interface IndexPlan {
  /** Rows from which the index is built (`Infinity`: never). */
  readonly threshold: number;
  /** The vector dimension. */
  readonly dimension: number;
  /** `LanceRetriever(<dir>#<table>)`, for log lines and errors. */
  readonly where: string;
}

/**
 * Builds the IVF-PQ index (and a B-tree on `id` for the stored-id lookups) once the table
 * reaches the threshold; afterwards folds rows added since into it once they are a tenth of the
 * indexed ones (until then they are searched exactly, beside the index).
 */
export async function maintainIndex(table: Table, plan: IndexPlan): Promise<void> {
  if (plan.threshold === Number.POSITIVE_INFINITY) return;
  try {
    const stats = await table.indexStats(VECTOR_INDEX);
    if (!stats) {
      const rows = await table.countRows();
      if (rows < plan.threshold) return;
      logger().info(`${plan.where}: building an IVF-PQ index over ${rows} vectors`);
      await table.createIndex('vector', {
        name: VECTOR_INDEX,
        config: Index.ivfPq({
          distanceType: 'cosine',
          numPartitions: Math.max(1, Math.round(rows / ROWS_PER_PARTITION)),
          numSubVectors: subVectors(plan.dimension),
        }),
      });
      await table.createIndex('id', { config: Index.btree() });
    } else if (stats.numUnindexedRows > stats.numIndexedRows / 10) {
      logger().info(`${plan.where}: adding ${stats.numUnindexedRows} new vectors to the index`);
      await table.optimize();
    }
  } catch (err) {
    throw lanceFailure(plan.where, 'building the vector index', err);
  }
}
