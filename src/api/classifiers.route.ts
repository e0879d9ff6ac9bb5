/**
 * Saved classifiers: create, read, change (every change is a new immutable version), delete,
 * list versions, and labelled examples that train the classifier's learned layer.
 */
import { Type } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { FileReference } from '../core/api-requests.js';
import {
  ClassDefinition,
  ClassifierConfig,
  ClassifierPage,
  ClassifierSettings,
  ClassifierVersionList,
  ClassifierView,
  type ClassifierVersionView,
  Deleted,
  ExampleList,
  ExampleView,
} from '../core/api-types.js';
import type { ClassifierDefinition } from '../core/classifier.js';
import { AppError } from '../core/errors.js';
import { validateClassifierDefinition } from '../core/validate-classifier.js';
import { checkClassRoutes } from '../notify/send-webhook.js';
import type { Deps } from '../deps.js';
import { readFilePages } from '../runs/read-file-pages.js';
import { toRfc3339 } from '../runs/run-view.js';
import {
  deleteClassifier,
  deleteExample,
  insertClassifier,
  insertClassifierVersion,
  listClassifiers,
  listClassifierVersions,
  listExamples,
  saveExample,
  type ClassifierRecord,
} from '../store/classifiers.queries.js';
import type { ClassifierExampleRow, FileRow } from '../store/schema.js';
import type { ApiInstance } from './api-instance.js';
import { assertMatches, readMultipart } from './multipart-body.js';
import { cutPage, decodeCursor, PageQuery, pageLimit } from './pagination.js';
import { ERROR_RESPONSES, ExampleForm, IdParams } from './schemas.js';
import { requireClassifier, resolveFileReference } from './lookups.js';

const ClassifierPatch = Type.Object(
  {
    name: Type.Optional(Type.String({ maxLength: 200 })),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
    classes: Type.Optional(Type.Array(ClassDefinition, { minItems: 1, maxItems: 500 })),
    settings: Type.Optional(ClassifierSettings),
  },
  { additionalProperties: false },
);

const ExampleBody = Type.Object({ class: Type.String({ minLength: 1 }), file: FileReference }, { additionalProperties: false });
const exampleBody = TypeCompiler.Compile(ExampleBody);

/** The definition fields a classifier and each of its versions show alike. */
function toDefinitionView(definition: ClassifierDefinition) {
  return {
    name: definition.name ?? '',
    description: definition.description ?? null,
    classes: definition.classes,
    settings: definition.settings ?? {},
  };
}

export function toClassifierView(record: ClassifierRecord): ClassifierView {
  return {
    object: 'classifier' as const,
    id: record.id,
    version: record.version,
    ...toDefinitionView(record.definition),
    created_at: toRfc3339(record.createdAt),
    updated_at: toRfc3339(record.updatedAt),
  };
}

function toExampleView(row: ClassifierExampleRow) {
  return {
    object: 'example' as const,
    id: row.id,
    classifier_id: row.classifier_id,
    class: row.class,
    source: row.source,
    file_id: row.file_id,
    run_id: row.run_id,
    num_pages: (JSON.parse(row.pages) as string[]).length,
    created_at: toRfc3339(row.created_at),
  };
}

export function registerClassifierRoutes(app: ApiInstance, deps: Deps): void {
  app.post(
    '/v1/classifiers',
    {
      schema: {
        operationId: 'createClassifier',
        summary: 'Create a classifier (version 1)',
        tags: ['classifiers'],
        body: ClassifierConfig,
        response: { 201: ClassifierView, ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const definition: ClassifierDefinition = request.body;
      validateClassifierDefinition(definition, deps.classifier.availableEngines);
      await checkClassRoutes(definition.classes, deps.config.allowPrivateUrls);
      const record = await insertClassifier(deps.store.db, request.workspaceId, definition);
      return reply.code(201).send(toClassifierView(record));
    },
  );

  app.get(
    '/v1/classifiers',
    {
      schema: {
        operationId: 'listClassifiers',
        summary: 'List classifiers, newest first',
        tags: ['classifiers'],
        querystring: PageQuery,
        response: { 200: ClassifierPage, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const { query } = request;
      const limit = pageLimit(query.limit);
      const rows = await listClassifiers(deps.store.db, request.workspaceId, { limit: limit + 1, after: decodeCursor(query.cursor) });
      const { page, has_more, next_cursor } = cutPage(rows, limit, (row) => ({ createdAt: row.createdAt, id: row.id }));
      return { object: 'list' as const, data: page.map(toClassifierView), has_more, next_cursor };
    },
  );

  app.get(
    '/v1/classifiers/:id',
    {
      schema: {
        operationId: 'getClassifier',
        summary: 'A classifier at its current version',
        tags: ['classifiers'],
        params: IdParams,
        response: { 200: ClassifierView, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const { id } = request.params;
      return toClassifierView(await requireClassifier(deps, request.workspaceId, id));
    },
  );

  app.patch(
    '/v1/classifiers/:id',
    {
      schema: {
        operationId: 'updateClassifier',
        summary: 'Change a classifier: writes a new version',
        tags: ['classifiers'],
        params: IdParams,
        body: ClassifierPatch,
        response: { 200: ClassifierView, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const { id } = request.params;
      const patch = request.body;
      const current = await requireClassifier(deps, request.workspaceId, id);
      const definition: ClassifierDefinition = {
        ...current.definition,
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.description !== undefined ? { description: patch.description } : {}),
        ...(patch.classes !== undefined ? { classes: patch.classes } : {}),
        settings: { ...current.definition.settings, ...patch.settings },
      };
      validateClassifierDefinition(definition, deps.classifier.availableEngines);
      await checkClassRoutes(definition.classes, deps.config.allowPrivateUrls);
      const record = await insertClassifierVersion(deps.store.db, request.workspaceId, id, definition);
      if (!record) throw new AppError('not_found', `No classifier "${id}".`);
      return toClassifierView(record);
    },
  );

  app.delete(
    '/v1/classifiers/:id',
    {
      schema: {
        operationId: 'deleteClassifier',
        summary: 'Delete a classifier (its runs keep their version)',
        tags: ['classifiers'],
        params: IdParams,
        response: { 200: Deleted, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const { id } = request.params;
      if (!(await deleteClassifier(deps.store.db, request.workspaceId, id))) throw new AppError('not_found', `No classifier "${id}".`);
      return { object: 'classifier', id, deleted: true as const };
    },
  );

  app.get(
    '/v1/classifiers/:id/versions',
    {
      schema: {
        operationId: 'listClassifierVersions',
        summary: 'Every version of a classifier, newest first',
        tags: ['classifiers'],
        params: IdParams,
        response: { 200: ClassifierVersionList, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const { id } = request.params;
      await requireClassifier(deps, request.workspaceId, id);
      const versions = await listClassifierVersions(deps.store.db, id);
      return {
        object: 'list' as const,
        data: versions.map(
          (version): ClassifierVersionView => ({
            object: 'classifier_version',
            classifier_id: version.classifierId,
            version: version.version,
            ...toDefinitionView(version.definition),
            created_at: toRfc3339(version.createdAt),
          }),
        ),
      };
    },
  );

  app.post(
    '/v1/classifiers/:id/examples',
    {
      schema: {
        operationId: 'createClassifierExample',
        summary: 'Add a labelled example (multipart `file` + `class`, or JSON { class, file: { id } | { url } })',
        tags: ['classifiers'],
        params: IdParams,
        consumes: ['multipart/form-data', 'application/json'],
        body: { content: { 'application/json': { schema: ExampleBody } } },
        multipartBody: ExampleForm,
        response: { 201: ExampleView, ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const classifier = await requireClassifier(deps, request.workspaceId, id);
      let className: string;
      let fileRow: FileRow;
      if (request.isMultipart()) {
        const { files, fields } = await readMultipart(request, deps, 1, { fields: ['class'] });
        if (files.length === 0) throw new AppError('invalid_request', 'No file in the request; send it in the multipart part "file".');
        if (!fields.class) throw new AppError('invalid_request', 'Say which class the example is in the multipart field "class".');
        className = fields.class;
        fileRow = files[0];
      } else {
        // Fastify has checked a JSON body against ExampleBody already; this gives it its type.
        const body = request.body === undefined ? undefined : assertMatches(exampleBody, request.body);
        if (!body) throw new AppError('invalid_request', 'Send { "class", "file": { "id" } } or multipart with "file" and "class".');
        className = body.class;
        fileRow = await resolveFileReference(deps, request.workspaceId, body.file);
      }
      const names = classifier.definition.classes.map((item) => item.name);
      if (!names.includes(className))
        throw new AppError('invalid_request', `"${className}" is not a class of this classifier; use one of: ${names.join(', ')}.`);
      const settings = classifier.definition.settings ?? {};
      const document = await readFilePages(deps, fileRow, { pageRange: settings.page_range, maxPages: settings.max_pages });
      const example = await saveExample(deps.store.db, {
        workspaceId: request.workspaceId,
        classifierId: classifier.id,
        class: className,
        source: 'example',
        fileId: fileRow.id,
        runId: null,
        ...deps.classifier.describeExample(document.pages),
      });
      return reply.code(201).send(toExampleView(example));
    },
  );

  app.get(
    '/v1/classifiers/:id/examples',
    {
      schema: {
        operationId: 'listClassifierExamples',
        summary: 'The examples a classifier learns from (uploaded and reviewed)',
        tags: ['classifiers'],
        params: IdParams,
        response: { 200: ExampleList, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const { id } = request.params;
      await requireClassifier(deps, request.workspaceId, id);
      return { object: 'list' as const, data: (await listExamples(deps.store.db, id)).map(toExampleView) };
    },
  );

  app.delete(
    '/v1/classifiers/:id/examples/:exampleId',
    {
      schema: {
        operationId: 'deleteClassifierExample',
        summary: 'Remove an example',
        tags: ['classifiers'],
        params: Type.Object({ id: Type.String(), exampleId: Type.String() }),
        response: { 200: Deleted, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const { id, exampleId } = request.params;
      if (!(await deleteExample(deps.store.db, request.workspaceId, id, exampleId)))
        throw new AppError('not_found', `Classifier "${id}" has no example "${exampleId}".`);
      return { object: 'example', id: exampleId, deleted: true as const };
    },
  );
}
