/** Classifier definitions for the CLI: a JSON file, or a quick comma-separated class list. */
import { readFile } from 'node:fs/promises';
import type { ClassifierDefinition } from '../core/classifier.js';
import { AppError } from '../core/errors.js';
import { validateClassifier } from '../classify/classify-pages.js';
import { validateClassifierDefinition } from '../core/validate-classifier.js';

/** `engines`: the engines the command can run (`eval` also runs llm and cascade, given a model server). */
export async function loadClassifierFile(file: string, engines?: readonly string[]): Promise<ClassifierDefinition> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new AppError(
      'not_found',
      `Classifier file ${file} cannot be read; give a JSON file like {"classes":[{"name":"invoice","description":"…"}]}.`,
    );
  }
  let definition: ClassifierDefinition;
  try {
    definition = JSON.parse(text) as ClassifierDefinition;
  } catch (error) {
    throw new AppError(
      'invalid_configuration',
      `Classifier file ${file} is not valid JSON (${error instanceof Error ? error.message : String(error)}).`,
    );
  }
  if (engines) validateClassifierDefinition(definition, engines);
  else validateClassifier(definition);
  return definition;
}

export function classifierFromList(list: string): ClassifierDefinition {
  const classes = list
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name.length > 0)
    .map((name) => ({ name }));
  const definition: ClassifierDefinition = { classes };
  validateClassifier(definition);
  return definition;
}
