/**
 * What the review queue and evaluations need: each run's review status and file name as columns
 * (so the queue filters, counts and searches without reading outputs or joining files), and the
 * evaluation jobs that re-run a classifier's reviewed runs against one of its versions.
 */
import { sql } from 'kysely';
import type { SchemaMigration } from './migrations.js';

export const reviewConsoleMigration: SchemaMigration = {
  name: '0013_review_console',
  async up(db) {
    await db.schema.alterTable('classify_runs').addColumn('review_status', 'text').execute();
    await db.schema.alterTable('classify_runs').addColumn('file_name', 'text').execute();
    await db.schema.alterTable('classify_runs').addColumn('reviewed_from', 'text').execute();
    await db.schema.createIndex('classify_runs_review').on('classify_runs').columns(['review_status', 'created_at']).execute();
    // Runs from before: no classifier had review_below yet, so only failed and unknown runs need a person.
    await sql`update classify_runs set
      file_name = (select files.name from files where files.id = classify_runs.file_id),
      review_status = case
        when status = 'PROCESSED' and reviewed = 1 then 'reviewed'
        when status = 'FAILED' then 'needs_review'
        when status = 'PROCESSED' and output_class = 'unknown' then 'needs_review'
        when status = 'PROCESSED' then 'auto_accepted'
        else null end`.execute(db);

    await db.schema
      .createTable('evaluations')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull())
      .addColumn('classifier_id', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('total', 'integer', (c) => c.notNull())
      .addColumn('done', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('run_ids', 'text', (c) => c.notNull())
      .addColumn('predictions', 'text', (c) => c.notNull())
      .addColumn('error', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('evaluations_classifier').on('evaluations').columns(['classifier_id', 'created_at']).execute();
  },
};
