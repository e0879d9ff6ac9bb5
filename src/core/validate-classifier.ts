/** Rules every classifier definition obeys, whether saved or given inline with a run. */
import { AppError } from './errors.js';
import { CLASSIFY_MODES, UNKNOWN, type ClassifierDefinition } from './classifier.js';

const PAGE_RANGE = /^\s*\d+(\s*-\s*\d+)?(\s*,\s*\d+(\s*-\s*\d+)?)*\s*$/;

/** Throws `invalid_configuration` naming the first problem and how to fix it. */
export function validateClassifierDefinition(definition: ClassifierDefinition): void {
  const classes = definition.classes ?? [];
  if (classes.length === 0) throw new AppError('invalid_configuration', 'A classifier needs at least one class in "classes".');
  const seen = new Set<string>();
  for (const [index, item] of classes.entries()) {
    const name = item.name?.trim();
    if (!name) throw new AppError('invalid_configuration', `classes[${index}].name is empty; give every class a name.`);
    if (name.toLowerCase() === UNKNOWN) throw new AppError('invalid_configuration', `"${UNKNOWN}" is reserved for documents that fit no class; remove it from "classes".`);
    if (seen.has(name.toLowerCase())) throw new AppError('invalid_configuration', `Class "${name}" appears twice; class names must be unique.`);
    seen.add(name.toLowerCase());
  }
  const settings = definition.settings ?? {};
  if (settings.page_range !== undefined && settings.page_range !== null && !PAGE_RANGE.test(settings.page_range)) {
    throw new AppError('invalid_page_range', `settings.page_range "${settings.page_range}" is not a list of 1-based pages or ranges like "1-3,5".`);
  }
  if (settings.max_pages !== undefined && (!Number.isInteger(settings.max_pages) || settings.max_pages < 1)) {
    throw new AppError('invalid_configuration', 'settings.max_pages must be a whole number of at least 1.');
  }
  if (settings.threshold !== undefined && !(settings.threshold >= 0 && settings.threshold <= 1)) {
    throw new AppError('invalid_configuration', 'settings.threshold must be between 0 and 1.');
  }
  if (settings.mode !== undefined && !(CLASSIFY_MODES as readonly string[]).includes(settings.mode)) {
    throw new AppError('invalid_configuration', `settings.mode must be one of ${CLASSIFY_MODES.join(', ')}.`);
  }
}

/** Checks a per-request 1-based page range like "1-3,5". */
export function validatePageRange(pageRange: string): void {
  if (!PAGE_RANGE.test(pageRange)) throw new AppError('invalid_page_range', `page_range "${pageRange}" is not a list of 1-based pages or ranges like "1-3,5".`);
}
