/**
 * Classifies the file of one run. Steps: read the pages (saved per file and page selection),
 * classify them (the output is saved as the step's result), then record the run. A retry after a
 * crash resumes after the last finished step, so a file is never read twice.
 */
import { AppError } from '../core/errors.js';
import type { ClassificationOutput, TrainingExample } from '../core/classifier.js';
import { getClassifier, getTrainingExamples } from '../store/classifiers.queries.js';
import { getFile } from '../store/files.queries.js';
import { markRunProcessing } from '../store/runs.queries.js';
import type { Deps } from '../deps.js';
import { Type, type Static } from '@sinclair/typebox';
import { defineJob } from '../jobs/job-registry.js';
import { filePdfPassword, readFilePages } from './read-file-pages.js';
import { assertRunWithinQuota } from '../usage/run-quota.js';
import { CLASSIFY_JOB, effectiveDefinition, failRun, finishRun, trainingCacheKey } from './runs.service.js';

const ClassifyFilePayload = Type.Object({ runId: Type.String({ minLength: 1 }) }, { additionalProperties: false });
export type ClassifyFilePayload = Static<typeof ClassifyFilePayload>;

/** Long side of a page image sent to a model: enough to read body text, small enough for a vision model's input. */
const PAGE_IMAGE_MAX_DIMENSION = 1600;

interface ExtractStepResult {
  numPages: number;
  pagesRead: number;
}

export const classifyFileJob = defineJob<ClassifyFilePayload, Deps>({
  name: CLASSIFY_JOB,
  version: 1,
  payload: ClassifyFilePayload,
  logFields: ({ runId }) => ({ runId }),

  async run({ runId }, { deps, step, addLogFields }) {
    // Cancelled or finished runs are left alone.
    const run = await markRunProcessing(deps.store.db, runId);
    if (!run) return;
    const startedAt = performance.now();

    const file = await getFile(deps.store.db, run.workspace_id, run.file_id);
    if (!file) throw new AppError('unreadable_document', 'The file of this run was deleted before it could be read.');
    const definition = effectiveDefinition(run);
    const selection = { pageRange: definition.settings?.page_range, maxPages: definition.settings?.max_pages };

    // Kept from the extract step when it ran in this attempt, to skip loading it back.
    let document = undefined as Awaited<ReturnType<typeof readFilePages>> | undefined;
    const extracted = await step<ExtractStepResult>('extract', async () => {
      document = await readFilePages(deps, file, selection);
      return { numPages: document.num_pages, pagesRead: document.pages.length };
    });

    addLogFields({ pages: extracted.pagesRead });

    await assertRunWithinQuota(deps.store.db, run.api_key_id, extracted.pagesRead, deps.config.creditsPerPage);

    const output = await step<ClassificationOutput>('classify', async () => {
      const pages = (document ?? (await readFilePages(deps, file, selection))).pages;
      let loadExamples: (() => Promise<TrainingExample[]>) | undefined;
      let examplesRevision: number | null = null;
      if (run.classifier_id) {
        const classifierId = run.classifier_id;
        examplesRevision = (await getClassifier(deps.store.db, run.workspace_id, classifierId))?.examplesRevision ?? null;
        // Read only when this process has no model for this revision of the examples yet.
        loadExamples = () => getTrainingExamples(deps.store.db, classifierId);
      }
      return deps.classifier.classifyPages(pages, {
        classifier: definition,
        loadExamples,
        cacheKey: trainingCacheKey(run, examplesRevision),
        // For LLM_VISION; rendered only when a model that reads images is asked about the page.
        pageImage: (page) =>
          deps.blobs.withLocalFile(file.sha256, (filePath) =>
            deps.extractor.renderPage(filePath, page, { maxDimension: PAGE_IMAGE_MAX_DIMENSION, password: filePdfPassword(deps, file) }),
          ),
      });
    });

    addLogFields({ engine: output.engine });

    await finishRun(deps, run, { output, numPages: extracted.pagesRead, durationMs: performance.now() - startedAt });
  },

  async onFailure({ runId }, error, { deps }) {
    await failRun(deps, runId, error);
  },
});
