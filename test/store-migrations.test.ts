/** Migrations on both dialects, over databases an older docsort filled: what was there is kept and put where the new schema wants it. */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { sql } from 'kysely';
import { listApiKeys } from '../src/auth/api-keys.queries.js';
import { getTrainingExamples, saveExample } from '../src/store/classifiers.queries.js';
import { getFile } from '../src/store/files.queries.js';
import { findWebhookByName, insertWebhook } from '../src/notify/webhooks.queries.js';
import { listWorkspaces } from '../src/store/workspaces.queries.js';
import { getRunInWorkspace } from '../src/store/runs.queries.js';
import { getBatch } from '../src/store/batches.queries.js';
import { getClassifier } from '../src/store/classifiers.queries.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from './helpers/test-database.js';
import { openDatabaseMigratedThrough } from './helpers/old-schema.js';

const NOW = Date.parse('2026-11-20T10:00:00Z');

function webhookRow(id: string, workspace: string, name: string | null) {
  return {
    id,
    workspace_id: workspace,
    name,
    url: `https://receiver.example/${id}`,
    events: '[]',
    secret: `whsec_${id}`,
    description: null,
    source: 'api' as const,
    created_at: NOW,
  };
}

for (const dialect of DIALECTS) {
  describe(`migrations on ${dialect}`, () => {
    let database: TestDatabase;

    beforeEach(async () => {
      database = await createTestDatabase(dialect);
    });
    afterEach(() => database.drop());

    it('adds example layouts to a database made before them, keeping its examples', async () => {
      const old = await openDatabaseMigratedThrough(database, '0003_webhooks');
      await old
        .insertInto('classifiers')
        .values({ id: 'cl_old', name: 'mail', current_version: 1, created_at: NOW, updated_at: NOW })
        .execute();
      await old
        .insertInto('classifier_examples')
        .values({ id: 'ex_old', classifier_id: 'cl_old', class: 'invoice', source: 'example', pages: '["Invoice 1"]', created_at: NOW })
        .execute();
      await old.destroy();

      const store = await database.openStore();
      try {
        assert.deepEqual(await getTrainingExamples(store.db, 'cl_old'), [{ class: 'invoice', pages: ['Invoice 1'], source: 'example' }]);
        await saveExample(store.db, {
          workspaceId: 'default',
          classifierId: 'cl_old',
          class: 'invoice',
          source: 'example',
          fileId: null,
          runId: null,
          pages: ['Invoice 2'],
          layout: [0.5],
        });
        assert.ok((await getTrainingExamples(store.db, 'cl_old')).some((example) => example.layout?.[0] === 0.5));
      } finally {
        await store.close();
      }
    });

    it('gives runs made before the review queue their review status and file name', async () => {
      const old = await openDatabaseMigratedThrough(database, '0010_workspaces');
      await old
        .insertInto('files')
        .values({
          id: 'file_old',
          sha256: 'b'.repeat(64),
          size: 3,
          type: 'pdf',
          mime_type: 'application/pdf',
          name: 'Old-Scan.pdf',
          created_at: NOW,
        })
        .execute();
      const runs: Array<[string, Record<string, unknown>]> = [
        ['clr_old_reviewed', { status: 'PROCESSED', reviewed: 1, output_class: 'invoice' }],
        ['clr_old_failed', { status: 'FAILED' }],
        ['clr_old_unknown', { status: 'PROCESSED', output_class: 'unknown' }],
        ['clr_old_sure', { status: 'PROCESSED', output_class: 'invoice' }],
        ['clr_old_open', { status: 'PENDING' }],
      ];
      for (const [index, [id, fields]] of runs.entries()) {
        await old
          .insertInto('classify_runs')
          .values({
            id,
            file_id: 'file_old',
            config: '{"classes":[{"name":"invoice"}]}',
            created_at: NOW + index,
            updated_at: NOW + index,
            ...fields,
          })
          .execute();
      }
      await old.destroy();

      const store = await database.openStore();
      try {
        const statuses: Record<string, string | null | undefined> = {};
        for (const [id] of runs) statuses[id] = (await getRunInWorkspace(store.db, 'default', id))?.review_status;
        assert.deepEqual(statuses, {
          clr_old_reviewed: 'reviewed',
          clr_old_failed: 'needs_review',
          clr_old_unknown: 'needs_review',
          clr_old_sure: 'auto_accepted',
          clr_old_open: null,
        });
        assert.equal((await getRunInWorkspace(store.db, 'default', 'clr_old_sure'))?.file_name, 'Old-Scan.pdf');
      } finally {
        await store.close();
      }
    });

    it('puts existing data and keys in the default workspace, admins as role admin and the rest as write', async () => {
      const old = await openDatabaseMigratedThrough(database, '0005_job_versions');
      await old
        .insertInto('files')
        .values({ id: 'file_old', sha256: 'a'.repeat(64), size: 1, type: 'pdf', mime_type: 'application/pdf', created_at: NOW })
        .execute();
      await old
        .insertInto('classifiers')
        .values({ id: 'cl_old', name: 'mail', current_version: 1, created_at: NOW, updated_at: NOW })
        .execute();
      await old
        .insertInto('classifier_versions')
        .values({ classifier_id: 'cl_old', version: 1, definition: '{"classes":[{"name":"invoice"}]}', created_at: NOW })
        .execute();
      await old.insertInto('batches').values({ id: 'batch_old', classifier_id: 'cl_old', file_count: 1, created_at: NOW }).execute();
      await old
        .insertInto('classify_runs')
        .values({
          id: 'clr_old',
          status: 'PENDING',
          file_id: 'file_old',
          config: '{}',
          batch_id: 'batch_old',
          created_at: NOW,
          updated_at: NOW,
        })
        .execute();
      for (const [id, admin] of [
        ['key_admin', 1],
        ['key_plain', 0],
      ] as const) {
        await old
          .insertInto('api_keys')
          .values({ id, name: id, prefix: 'dsk_x', hash: `hash_${id}`, is_admin: admin, created_at: NOW })
          .execute();
      }
      await old
        .insertInto('webhooks')
        .values({
          id: 'wh_old',
          name: 'erp',
          url: 'https://erp.example/',
          events: '[]',
          secret: 'whsec_old',
          source: 'api',
          created_at: NOW,
        })
        .execute();
      // A column another migration might have given webhooks before this one: the SQLite copy must keep it.
      await old.schema.alterTable('webhooks').addColumn('paused_at', 'bigint').execute();
      await old.updateTable('webhooks').set({ paused_at: NOW }).execute();
      await old.destroy();

      const store = await database.openStore();
      try {
        assert.deepEqual(
          (await listWorkspaces(store.db)).map((workspace) => workspace.id),
          ['default'],
        );
        assert.equal((await getFile(store.db, 'default', 'file_old'))?.workspace_id, 'default');
        assert.equal((await getClassifier(store.db, 'default', 'cl_old'))?.id, 'cl_old');
        assert.equal((await getBatch(store.db, 'default', 'batch_old'))?.id, 'batch_old');
        assert.equal((await getRunInWorkspace(store.db, 'default', 'clr_old'))?.id, 'clr_old');
        assert.equal(await getRunInWorkspace(store.db, 'other', 'clr_old'), undefined, 'nothing is in another workspace');
        const keys = await listApiKeys(store.db);
        assert.deepEqual(keys.map((key) => [key.id, key.role, key.workspace_id]).sort(), [
          ['key_admin', 'admin', 'default'],
          ['key_plain', 'write', 'default'],
        ]);
        const webhook = await findWebhookByName(store.db, 'default', 'erp');
        assert.equal(webhook?.secret, 'whsec_old', 'webhooks keep their secrets through the copy');
        const kept = await sql<{ paused_at: number }>`select paused_at from webhooks where id = 'wh_old'`.execute(store.db);
        assert.equal(Number(kept.rows[0].paused_at), NOW, 'and every column they had');

        // Webhook names are unique per workspace now, not across them.
        await insertWebhook(store.db, webhookRow('wh_other', 'other', 'erp'));
        await assert.rejects(insertWebhook(store.db, webhookRow('wh_twin', 'default', 'erp')));
        await insertWebhook(store.db, webhookRow('wh_unnamed_1', 'default', null));
        await insertWebhook(store.db, webhookRow('wh_unnamed_2', 'default', null));
      } finally {
        await store.close();
      }
    });
  });
}
