/**
 * Trained learned-layer models by cache key, so a saved classifier is not retrained on every
 * call. One cache belongs to one classifier instance (or one pool thread): two instances never
 * share models, and a test or a closed classifier leaves nothing behind.
 */
import type { ClassifierDefinition, TrainingExample } from '../core/classifier.js';
import type { LearnedModel } from './learned/learned-model.js';

/** Models kept by default; the least recently used goes first. */
export const DEFAULT_MODELS_KEPT = 32;
/** Keys of saved classifiers that have no examples; they are not asked for them again. */
const KEYS_WITHOUT_EXAMPLES_KEPT = 4096;

export type TrainModel = (examples: TrainingExample[], classifier: ClassifierDefinition) => LearnedModel | null;

export interface ModelLookup {
  classifier: ClassifierDefinition;
  examples?: TrainingExample[];
  cacheKey?: string;
  /** The caller can read the examples on demand: a key found to have none is remembered as such. */
  rememberEmpty?: boolean;
}

export class LearnedModelCache {
  private readonly models = new Map<string, LearnedModel>();
  private readonly keysWithoutExamples = new Set<string>();

  constructor(
    private readonly train: TrainModel,
    private readonly modelsKept = DEFAULT_MODELS_KEPT,
  ) {}

  /** True when a model (or the fact that there are no examples) is kept for `cacheKey`. */
  knows(cacheKey: string | undefined): boolean {
    return cacheKey !== undefined && (this.models.has(cacheKey) || this.keysWithoutExamples.has(cacheKey));
  }

  /** The kept model for the key, or one trained from `examples` (and kept); null without examples. */
  modelFor(lookup: ModelLookup): LearnedModel | null {
    const key = lookup.cacheKey;
    if (key !== undefined && this.keysWithoutExamples.has(key)) return null;
    const kept = key === undefined ? undefined : this.models.get(key);
    if (key !== undefined && kept) {
      // Move it to the back: the busiest classifiers keep their models.
      this.models.delete(key);
      this.models.set(key, kept);
      return kept;
    }
    const examples = lookup.examples ?? [];
    const model = examples.length > 0 ? this.train(examples, lookup.classifier) : null;
    if (key === undefined) return model;
    if (model) {
      if (this.models.size >= this.modelsKept) this.models.delete(this.models.keys().next().value!);
      this.models.set(key, model);
    } else if (lookup.rememberEmpty) {
      // Remembered only for callers that load examples on demand, so one-off configurations take no places.
      if (this.keysWithoutExamples.size >= KEYS_WITHOUT_EXAMPLES_KEPT)
        this.keysWithoutExamples.delete(this.keysWithoutExamples.values().next().value!);
      this.keysWithoutExamples.add(key);
    }
    return model;
  }

  clear(): void {
    this.models.clear();
    this.keysWithoutExamples.clear();
  }
}
