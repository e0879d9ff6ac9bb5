/**
 * The one set of rules every classifier definition obeys — saved over HTTP, given inline with a
 * run, or read from a file by the CLI — so whatever cannot run is refused when it is written.
 */
import { CLASSIFY_MODES, LLM_ENGINE_NAMES, UNKNOWN, type ClassifierDefinition } from './classifier.js';
import { AppError } from './errors.js';
import { validatePageRange } from './page-range.js';

/**
 * Throws `invalid_configuration` (or `invalid_page_range`) naming the first problem and how to fix
 * it. `availableEngines` comes from the classifier (the engine registry), so an engine this
 * installation cannot run is refused here and not by every run that uses it.
 */
export function validateClassifierDefinition(definition: ClassifierDefinition, availableEngines: readonly string[]): void {
  if (!definition || typeof definition !== 'object' || !Array.isArray(definition.classes) || definition.classes.length === 0) {
    throw new AppError('invalid_configuration', 'A classifier needs at least one class: { "classes": [{ "name": "invoice" }, …] }.');
  }
  const seen = new Set<string>();
  for (const [index, item] of definition.classes.entries()) {
    const name = typeof item?.name === 'string' ? item.name.trim() : '';
    const folded = classNameKey(name);
    if (!folded) throw new AppError('invalid_configuration', `classes[${index}].name is empty; give every class a name.`);
    if (folded === UNKNOWN)
      throw new AppError('invalid_configuration', `"${UNKNOWN}" is reserved for documents that fit no class; remove it from "classes".`);
    // "Invoice", "invoice", "inv\u200boice" and "ｉｎｖｏｉｃｅ" would be labels no reader can tell apart.
    if (seen.has(folded))
      throw new AppError(
        'invalid_configuration',
        `Class "${name}" appears twice (names are compared ignoring case, Unicode forms and invisible characters); class names must be unique.`,
      );
    seen.add(folded);
  }
  validateSettings(definition.settings ?? {}, availableEngines);
}

/** Characters that render as nothing: zero-width space, joiners, word joiner, byte-order mark, soft hyphen. */
const INVISIBLE = /[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]/g;

/**
 * The form two class names are compared in: Unicode compatibility-normalised (NFKC: "ｉ" is "i",
 * "e\u0301" is "é"), invisible characters removed, trimmed, lower-cased.
 */
export function classNameKey(name: string): string {
  return name.normalize('NFKC').replace(INVISIBLE, '').trim().toLowerCase();
}

function validateSettings(settings: NonNullable<ClassifierDefinition['settings']>, availableEngines: readonly string[]): void {
  if (settings.page_range !== undefined && settings.page_range !== null) validatePageRange(settings.page_range);
  if (
    settings.max_pages !== undefined &&
    settings.max_pages !== null &&
    (!Number.isInteger(settings.max_pages) || settings.max_pages < 1)
  ) {
    throw new AppError('invalid_configuration', `settings.max_pages must be a whole number of at least 1 (got ${settings.max_pages}).`);
  }
  if (settings.threshold !== undefined && settings.threshold !== null && !(settings.threshold >= 0 && settings.threshold <= 1)) {
    throw new AppError('invalid_configuration', `settings.threshold must be between 0 and 1 (got ${settings.threshold}).`);
  }
  if (
    settings.review_below !== undefined &&
    settings.review_below !== null &&
    !(settings.review_below >= 0 && settings.review_below <= 1)
  ) {
    throw new AppError('invalid_configuration', `settings.review_below must be between 0 and 1 (got ${settings.review_below}).`);
  }
  if (settings.mode !== undefined && !(CLASSIFY_MODES as readonly string[]).includes(settings.mode)) {
    throw new AppError('invalid_configuration', `settings.mode must be one of ${CLASSIFY_MODES.join(', ')} (got "${settings.mode}").`);
  }
  if (
    settings.cascade_below !== undefined &&
    settings.cascade_below !== null &&
    !(typeof settings.cascade_below === 'number' && settings.cascade_below >= 0 && settings.cascade_below <= 1)
  ) {
    throw new AppError('invalid_configuration', `settings.cascade_below must be between 0 and 1 (got ${settings.cascade_below}).`);
  }
  if (settings.model !== undefined && settings.model !== null && (typeof settings.model !== 'string' || settings.model.trim() === '')) {
    throw new AppError('invalid_configuration', 'settings.model must be a model name the model server knows, e.g. "llama3.1:8b".');
  }
  const engine = settings.engine ?? 'builtin';
  if (!availableEngines.includes(engine)) throw engineNotAvailableError(engine, availableEngines);
}

/**
 * The refusal of an engine this installation cannot run. The validator and the engine registry
 * both raise it, so a definition refused on save and a run refused later say the same thing.
 */
export function engineNotAvailableError(engine: string, availableEngines: readonly string[]): AppError {
  if (LLM_ENGINE_NAMES.includes(engine)) {
    return new AppError(
      'invalid_configuration',
      `settings.engine "${engine}" needs a model server, and this installation has none configured: the operator sets LLM_BASE_URL and LLM_MODEL (see docs/llm.md). Engines available now: ${availableEngines.join(', ')}.`,
    );
  }
  return new AppError(
    'invalid_configuration',
    `settings.engine "${engine}" is not available in this installation; use one of: ${availableEngines.join(', ')}.`,
  );
}
