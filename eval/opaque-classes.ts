/**
 * A classifier's classes under names that say nothing ("class 01", "class 02", …) and without
 * descriptions or keywords, with the gold-label renaming that goes with them: nothing but the
 * examples can then tell the classes apart.
 */
import type { ClassifierDefinition } from '../src/core/classifier.js';

export function makeOpaque(classifier: ClassifierDefinition): { classifier: ClassifierDefinition; labelMap: Record<string, string> } {
  const labelMap: Record<string, string> = {};
  const classes = classifier.classes.map((definition, index) => {
    const name = `class ${String(index + 1).padStart(2, '0')}`;
    labelMap[definition.name] = name;
    return { name };
  });
  return {
    classifier: { ...classifier, name: `${classifier.name ?? 'classifier'} (opaque names)`, description: undefined, classes },
    labelMap,
  };
}
