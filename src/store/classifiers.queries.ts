/**
 * Classifiers and their immutable versions: every change writes a new version row and moves
 * `current_version`; runs keep pointing at the version they used.
 */
import type { Kysely } from 'kysely';
import type { ClassifierDefinition, TrainingExample } from '../core/classifier.js';
import type { ClassifierExampleRow, Database } from './schema.js';
import { createId } from './ids.js';
import { fromJsonColumn, toJsonColumn } from './json-column.js';

export interface ClassifierRecord {
  id: string;
  version: number;
  definition: ClassifierDefinition;
  examplesRevision: number;
  createdAt: number;
  updatedAt: number;
}

export interface ClassifierVersionRecord {
  classifierId: string;
  version: number;
  definition: ClassifierDefinition;
  createdAt: number;
}

export async function insertClassifier(
  db: Kysely<Database>,
  workspaceId: string,
  definition: ClassifierDefinition,
): Promise<ClassifierRecord> {
  const id = createId('classifier');
  const now = Date.now();
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('classifiers')
      .values({
        id,
        workspace_id: workspaceId,
        name: definition.name ?? '',
        current_version: 1,
        examples_revision: 0,
        created_at: now,
        updated_at: now,
        deleted_at: null,
      })
      .execute();
    await trx
      .insertInto('classifier_versions')
      .values({ classifier_id: id, version: 1, definition: toJsonColumn(definition), created_at: now })
      .execute();
  });
  return { id, version: 1, definition, examplesRevision: 0, createdAt: now, updatedAt: now };
}

/** The classifier at its current version; undefined when missing, deleted or in another workspace. */
export async function getClassifier(db: Kysely<Database>, workspaceId: string, id: string): Promise<ClassifierRecord | undefined> {
  const row = await db
    .selectFrom('classifiers as c')
    .innerJoin('classifier_versions as v', (join) =>
      join.onRef('v.classifier_id', '=', 'c.id').onRef('v.version', '=', 'c.current_version'),
    )
    .select(['c.id', 'c.current_version', 'c.examples_revision', 'c.created_at', 'c.updated_at', 'v.definition'])
    .where('c.id', '=', id)
    .where('c.workspace_id', '=', workspaceId)
    .where('c.deleted_at', 'is', null)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    id: row.id,
    version: row.current_version,
    definition: fromJsonColumn<ClassifierDefinition>(row.definition),
    examplesRevision: row.examples_revision,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export async function getClassifierVersion(
  db: Kysely<Database>,
  id: string,
  version: number,
): Promise<ClassifierVersionRecord | undefined> {
  const row = await db
    .selectFrom('classifier_versions')
    .selectAll()
    .where('classifier_id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return (
    row && {
      classifierId: row.classifier_id,
      version: row.version,
      definition: fromJsonColumn<ClassifierDefinition>(row.definition),
      createdAt: row.created_at,
    }
  );
}

export async function listClassifierVersions(db: Kysely<Database>, id: string): Promise<ClassifierVersionRecord[]> {
  const rows = await db.selectFrom('classifier_versions').selectAll().where('classifier_id', '=', id).orderBy('version', 'desc').execute();
  return rows.map((row) => ({
    classifierId: row.classifier_id,
    version: row.version,
    definition: fromJsonColumn<ClassifierDefinition>(row.definition),
    createdAt: row.created_at,
  }));
}

export async function listClassifiers(
  db: Kysely<Database>,
  workspaceId: string,
  options: { limit: number; after?: { createdAt: number; id: string } },
): Promise<ClassifierRecord[]> {
  let query = db
    .selectFrom('classifiers as c')
    .innerJoin('classifier_versions as v', (join) =>
      join.onRef('v.classifier_id', '=', 'c.id').onRef('v.version', '=', 'c.current_version'),
    )
    .select(['c.id', 'c.current_version', 'c.examples_revision', 'c.created_at', 'c.updated_at', 'v.definition'])
    .where('c.workspace_id', '=', workspaceId)
    .where('c.deleted_at', 'is', null);
  const after = options.after;
  if (after) {
    query = query.where((eb) =>
      eb.or([eb('c.created_at', '<', after.createdAt), eb.and([eb('c.created_at', '=', after.createdAt), eb('c.id', '<', after.id)])]),
    );
  }
  const rows = await query.orderBy('c.created_at', 'desc').orderBy('c.id', 'desc').limit(options.limit).execute();
  return rows.map((row) => ({
    id: row.id,
    version: row.current_version,
    definition: fromJsonColumn<ClassifierDefinition>(row.definition),
    examplesRevision: row.examples_revision,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }));
}

/**
 * Writes `definition` as the next version. The version number comes from the row being updated
 * inside the transaction, so two concurrent edits get two different versions.
 */
export async function insertClassifierVersion(
  db: Kysely<Database>,
  workspaceId: string,
  id: string,
  definition: ClassifierDefinition,
): Promise<ClassifierRecord | undefined> {
  return db.transaction().execute(async (trx) => {
    const now = Date.now();
    const updated = await trx
      .updateTable('classifiers')
      .set((eb) => ({ current_version: eb('current_version', '+', 1), name: definition.name ?? '', updated_at: now }))
      .where('id', '=', id)
      .where('workspace_id', '=', workspaceId)
      .where('deleted_at', 'is', null)
      .returning(['current_version', 'examples_revision', 'created_at'])
      .executeTakeFirst();
    if (!updated) return undefined;
    await trx
      .insertInto('classifier_versions')
      .values({ classifier_id: id, version: updated.current_version, definition: toJsonColumn(definition), created_at: now })
      .execute();
    return {
      id,
      version: updated.current_version,
      definition,
      examplesRevision: updated.examples_revision,
      createdAt: updated.created_at,
      updatedAt: now,
    };
  });
}

/** Soft delete: runs made with the classifier still show which version they used. */
export async function deleteClassifier(db: Kysely<Database>, workspaceId: string, id: string): Promise<boolean> {
  const result = await db
    .updateTable('classifiers')
    .set({ deleted_at: Date.now() })
    .where('id', '=', id)
    .where('workspace_id', '=', workspaceId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export interface NewExample {
  /** The workspace of the classifier (and of the file). */
  workspaceId: string;
  classifierId: string;
  class: string;
  source: 'example' | 'review';
  fileId: string | null;
  runId: string | null;
  pages: string[];
  /** Layout signature of the pages (`signDocument`), when they were read with line boxes. */
  layout?: number[] | null;
}

/**
 * Adds an example and moves the example revision on. A review replaces the earlier example of the
 * same run and earlier reviews of the same file: the newest verdict on a document is the one taught.
 */
export async function saveExample(db: Kysely<Database>, example: NewExample): Promise<ClassifierExampleRow> {
  const row: ClassifierExampleRow = {
    id: createId('example'),
    workspace_id: example.workspaceId,
    classifier_id: example.classifierId,
    class: example.class,
    source: example.source,
    file_id: example.fileId,
    run_id: example.runId,
    pages: toJsonColumn(example.pages),
    layout: example.layout ? toJsonColumn(example.layout) : null,
    created_at: Date.now(),
  };
  await db.transaction().execute(async (trx) => {
    if (example.runId) await trx.deleteFrom('classifier_examples').where('run_id', '=', example.runId).execute();
    if (example.source === 'review' && example.fileId) {
      await trx
        .deleteFrom('classifier_examples')
        .where('classifier_id', '=', example.classifierId)
        .where('file_id', '=', example.fileId)
        .where('source', '=', 'review')
        .execute();
    }
    await trx.insertInto('classifier_examples').values(row).execute();
    await trx
      .updateTable('classifiers')
      .set((eb) => ({ examples_revision: eb('examples_revision', '+', 1) }))
      .where('id', '=', example.classifierId)
      .execute();
  });
  return row;
}

export async function listExamples(db: Kysely<Database>, classifierId: string): Promise<ClassifierExampleRow[]> {
  return db
    .selectFrom('classifier_examples')
    .selectAll()
    .where('classifier_id', '=', classifierId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** Deletes one example of a classifier, or the one a review of a run made, and moves the example revision on. */
async function deleteExamples(
  db: Kysely<Database>,
  workspaceId: string,
  classifierId: string,
  which: { id: string } | { runId: string },
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const query = trx.deleteFrom('classifier_examples').where('workspace_id', '=', workspaceId).where('classifier_id', '=', classifierId);
    const result = await ('id' in which ? query.where('id', '=', which.id) : query.where('run_id', '=', which.runId)).executeTakeFirst();
    if (Number(result.numDeletedRows) === 0) return false;
    await trx
      .updateTable('classifiers')
      .set((eb) => ({ examples_revision: eb('examples_revision', '+', 1) }))
      .where('id', '=', classifierId)
      .execute();
    return true;
  });
}

export async function deleteExample(db: Kysely<Database>, workspaceId: string, classifierId: string, exampleId: string): Promise<boolean> {
  return deleteExamples(db, workspaceId, classifierId, { id: exampleId });
}

/** Takes back the example a review of this run made, if there is one. */
export async function deleteExampleOfRun(db: Kysely<Database>, workspaceId: string, classifierId: string, runId: string): Promise<boolean> {
  return deleteExamples(db, workspaceId, classifierId, { runId });
}

/**
 * The classifier's examples in the shape the learned layer trains on. `exceptSha256` leaves out
 * examples of those bytes, so an evaluation never scores a document against its own example.
 */
export async function getTrainingExamples(
  db: Kysely<Database>,
  classifierId: string,
  options: { exceptSha256?: string } = {},
): Promise<TrainingExample[]> {
  let query = db
    .selectFrom('classifier_examples')
    .leftJoin('files', 'files.id', 'classifier_examples.file_id')
    .selectAll('classifier_examples')
    .select('files.name as file_name')
    .where('classifier_examples.classifier_id', '=', classifierId);
  const except = options.exceptSha256;
  if (except) query = query.where((eb) => eb.or([eb('files.sha256', 'is', null), eb('files.sha256', '!=', except)]));
  const rows = await query.orderBy('classifier_examples.created_at').orderBy('classifier_examples.id').execute();
  return rows.map((row) => {
    const example: TrainingExample = { class: row.class, pages: fromJsonColumn<string[]>(row.pages), source: row.source };
    if (row.layout) example.layout = fromJsonColumn<number[]>(row.layout);
    // Named in reasons by what a person can look up: the file's name and the reviewed run.
    if (row.file_name) example.name = row.file_name;
    if (row.run_id) example.runId = row.run_id;
    return example;
  });
}
