/** The store on both dialects: migrations, files, classifiers and versions, runs with filters and cursors. */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { Store } from '../src/store/database.js';
import {
  deleteClassifier,
  getClassifier,
  getClassifierVersion,
  getTrainingExamples,
  insertClassifier,
  insertClassifierVersion,
  listClassifierVersions,
  saveExample,
} from '../src/store/classifiers.queries.js';
import { getExtraction, saveExtraction } from '../src/store/extractions.queries.js';
import { deleteFileRow, getFile, insertFile } from '../src/store/files.queries.js';
import { migrateToLatest } from '../src/store/migrations.js';
import { closeRun, getRun, insertRun, listRuns, markRunProcessing } from '../src/store/runs.queries.js';
import type { NewRun } from '../src/store/schema.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from './helpers/test-database.js';

function newRun(id: string, createdAt: number, fields: Partial<NewRun> = {}): NewRun {
  return {
    id,
    workspace_id: 'default',
    status: 'PENDING',
    file_id: 'file_1',
    classifier_id: null,
    classifier_version: null,
    config: JSON.stringify({ classes: [{ name: 'invoice' }] }),
    page_range: null,
    query_model: null,
    batch_id: null,
    redo_of: null,
    initial_output: null,
    reviewed_output: null,
    reviewed: 0,
    output_class: null,
    failure_reason: null,
    failure_message: null,
    metadata: null,
    num_pages: null,
    duration_ms: null,
    credits: null,
    created_at: createdAt,
    updated_at: createdAt,
    finished_at: null,
    ...fields,
  };
}

for (const dialect of DIALECTS) {
  describe(`store on ${dialect}`, () => {
    let database: TestDatabase;
    let store: Store;

    // Each test gets its own database file or PostgreSQL schema.
    beforeEach(async () => {
      database = await createTestDatabase(dialect);
      store = await database.openStore();
    });
    afterEach(async () => {
      await store.close();
      await database.drop();
    });

    it('applies migrations once even when started again', async () => {
      await migrateToLatest(store, dialect === 'postgres' ? database.config().databaseSchema : undefined);
      const again = await database.openStore();
      await again.close();
    });

    it('keeps files and deletes extractions with the last file using the bytes', async () => {
      const base = {
        sha256: 'a'.repeat(64),
        workspace_id: 'default',
        size: 10,
        type: 'pdf',
        mime_type: 'application/pdf',
        name: 'x.pdf',
        source_url: null,
        num_pages: null,
        created_at: Date.now(),
      };
      const first = await insertFile(store.db, { id: 'file_a', ...base });
      await insertFile(store.db, { id: 'file_b', ...base });
      await saveExtraction(store.db, base.sha256, 'all', { type: 'pdf', num_pages: 1, pages: [], duration_ms: 1 });
      await saveExtraction(store.db, base.sha256, 'all', { type: 'pdf', num_pages: 1, pages: [], duration_ms: 2 });
      assert.equal((await getExtraction(store.db, base.sha256, 'all'))?.duration_ms, 1);
      assert.deepEqual(await deleteFileRow(store.db, first), { blobStillUsed: true });
      const second = await getFile(store.db, 'default', 'file_b');
      assert.ok(second);
      assert.deepEqual(await deleteFileRow(store.db, second), { blobStillUsed: false });
      assert.equal(await getExtraction(store.db, base.sha256, 'all'), undefined);
    });

    it('writes a new immutable version on every change', async () => {
      const created = await insertClassifier(store.db, 'default', { name: 'mail', classes: [{ name: 'invoice' }] });
      assert.equal(created.version, 1);
      const changed = await insertClassifierVersion(store.db, 'default', created.id, {
        name: 'mail',
        classes: [{ name: 'invoice' }, { name: 'receipt' }],
      });
      assert.equal(changed?.version, 2);
      assert.equal((await getClassifier(store.db, 'default', created.id))?.definition.classes.length, 2);
      assert.equal((await getClassifierVersion(store.db, created.id, 1))?.definition.classes.length, 1);
      assert.deepEqual(
        (await listClassifierVersions(store.db, created.id)).map((v) => v.version),
        [2, 1],
      );
      await saveExample(store.db, {
        workspaceId: 'default',
        classifierId: created.id,
        class: 'invoice',
        source: 'review',
        fileId: null,
        runId: 'clr_1',
        pages: ['Invoice 1'],
      });
      await saveExample(store.db, {
        workspaceId: 'default',
        classifierId: created.id,
        class: 'receipt',
        source: 'review',
        fileId: null,
        runId: 'clr_1',
        pages: ['Receipt'],
      });
      assert.deepEqual(await getTrainingExamples(store.db, created.id), [
        { class: 'receipt', pages: ['Receipt'], source: 'review', runId: 'clr_1' },
      ]);
      assert.equal((await getClassifier(store.db, 'default', created.id))?.examplesRevision, 2);
      await saveExample(store.db, {
        workspaceId: 'default',
        classifierId: created.id,
        class: 'invoice',
        source: 'example',
        fileId: null,
        runId: null,
        pages: ['Invoice 2'],
        layout: [0.25, 0.5],
      });
      const withLayout = (await getTrainingExamples(store.db, created.id)).find((example) => example.class === 'invoice');
      assert.deepEqual(withLayout, { class: 'invoice', pages: ['Invoice 2'], source: 'example', layout: [0.25, 0.5] });
      // Examples carry the file's name and the reviewed run, for reasons that name them.
      const file = {
        id: 'file_named',
        sha256: 'b'.repeat(64),
        workspace_id: 'default',
        size: 10,
        type: 'pdf',
        mime_type: 'application/pdf',
        name: 'acme-0042.pdf',
        source_url: null,
        num_pages: null,
        created_at: Date.now(),
      };
      await insertFile(store.db, file);
      await saveExample(store.db, {
        workspaceId: 'default',
        classifierId: created.id,
        class: 'invoice',
        source: 'review',
        fileId: file.id,
        runId: 'clr_2',
        pages: ['Invoice 3'],
      });
      const named = (await getTrainingExamples(store.db, created.id)).find((example) => example.runId === 'clr_2');
      assert.deepEqual(named, { class: 'invoice', pages: ['Invoice 3'], source: 'review', name: 'acme-0042.pdf', runId: 'clr_2' });
      assert.equal(await deleteClassifier(store.db, 'default', created.id), true);
      assert.equal(await getClassifier(store.db, 'default', created.id), undefined);
      assert.ok(await getClassifierVersion(store.db, created.id, 2), 'old versions stay readable for runs');
    });

    it('filters runs and pages through them with a cursor, newest first', async () => {
      const t0 = Date.parse('2026-01-01T00:00:00Z');
      for (let i = 0; i < 5; i++) {
        await insertRun(
          store.db,
          newRun(`clr_list${i}`, t0 + i * 1000, { classifier_id: i % 2 === 0 ? 'cl_even' : 'cl_odd' }),
          i < 2 ? ['prod'] : [],
        );
      }
      const firstPage = await listRuns(store.db, 'default', {}, { limit: 2 });
      assert.deepEqual(
        firstPage.map((r) => r.id),
        ['clr_list4', 'clr_list3'],
      );
      const last = firstPage[1];
      const secondPage = await listRuns(store.db, 'default', {}, { limit: 2, after: { createdAt: last.created_at, id: last.id } });
      assert.deepEqual(
        secondPage.map((r) => r.id),
        ['clr_list2', 'clr_list1'],
      );
      assert.deepEqual(
        (await listRuns(store.db, 'default', { classifierId: 'cl_even' }, { limit: 10 })).map((r) => r.id),
        ['clr_list4', 'clr_list2', 'clr_list0'],
      );
      assert.deepEqual(
        (await listRuns(store.db, 'default', { tag: 'prod' }, { limit: 10 })).map((r) => r.id),
        ['clr_list1', 'clr_list0'],
      );
      assert.deepEqual(
        (await listRuns(store.db, 'default', { createdFrom: t0 + 3000 }, { limit: 10 })).map((r) => r.id),
        ['clr_list4', 'clr_list3'],
      );
    });

    it('never changes a run that is already final', async () => {
      await insertRun(store.db, newRun('clr_final', Date.now()), []);
      assert.equal((await markRunProcessing(store.db, 'clr_final'))?.status, 'PROCESSING');
      assert.ok(await closeRun(store.db, 'clr_final', { status: 'CANCELLED', failure_reason: 'ABORTED' }));
      assert.equal(await closeRun(store.db, 'clr_final', { status: 'PROCESSED', output_class: 'invoice' }), undefined);
      assert.equal(await markRunProcessing(store.db, 'clr_final'), undefined);
      assert.equal((await getRun(store.db, 'clr_final'))?.status, 'CANCELLED');
    });
  });
}
