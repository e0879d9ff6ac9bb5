/** The scoring engines this installation can run, by the name `settings.engine` gives. */
import { engineNotAvailableError } from '../core/validate-classifier.js';
import type { ScoringEngine } from './engine.js';
import { builtinEngine } from './engines/builtin-engine.js';

const ENGINES: Readonly<Record<string, ScoringEngine>> = { builtin: builtinEngine };

/** Asked by the one classifier validator, so a definition naming another engine is refused when it is saved. */
export const AVAILABLE_ENGINES: readonly string[] = Object.freeze(Object.keys(ENGINES));

export function engineNamed(name: string | undefined): ScoringEngine {
  const engineName = name ?? 'builtin';
  const engine = ENGINES[engineName];
  if (!engine) throw engineNotAvailableError(engineName, AVAILABLE_ENGINES);
  return engine;
}
