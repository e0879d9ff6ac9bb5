/** The numbers of an evaluation, from reviewed classes and predictions: a pure function. */
import type { EvaluationItem, EvaluationReport } from '../core/api-types.js';
import { binReliability } from '../classify/calibrate.js';
import { measureDocuments } from '../evaluate/measure-accuracy.js';

const round = (value: number) => Math.round(value * 10000) / 10000;

export function buildEvaluationReport(items: EvaluationItem[]): EvaluationReport {
  const scored = items.filter((item): item is EvaluationItem & { predicted: string } => item.predicted !== null);
  const metrics = measureDocuments(
    scored.map((item) => ({
      file: item.run_id,
      gold: item.reviewed_class,
      predicted: item.predicted,
      confidence: item.confidence,
      reason: '',
      suggested_class: null,
    })),
  );
  const reliability = binReliability(
    scored.map((item) => ({ confidence: item.confidence, correct: item.predicted === item.reviewed_class })),
  );
  return {
    runs: scored.length,
    accuracy: metrics.accuracy,
    macro_f1: metrics.macro_f1,
    ece: metrics.ece,
    per_class: metrics.per_class,
    confusion: metrics.confusion,
    reliability: reliability.map((bin) => ({
      lower: round(bin.lower),
      upper: round(bin.upper),
      count: bin.count,
      mean_confidence: round(bin.meanConfidence),
      accuracy: round(bin.accuracy),
    })),
    items,
  };
}
