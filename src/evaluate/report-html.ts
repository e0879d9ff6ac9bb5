/** The evaluation as one self-contained HTML page: numbers, confusion matrix, reliability diagram, mistakes. */
import type { EvalResult } from './run-eval.js';

function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]!);
}

function renderConfusion(result: EvalResult): string {
  const labels = [
    ...new Set([...Object.keys(result.confusion), ...Object.values(result.confusion).flatMap((row) => Object.keys(row))]),
  ].sort();
  const max = Math.max(1, ...Object.values(result.confusion).flatMap((row) => Object.values(row)));
  const head = labels.map((label) => `<th class="rot"><div>${escapeHtml(label)}</div></th>`).join('');
  const body = labels
    .map((gold) => {
      const cells = labels
        .map((predicted) => {
          const count = result.confusion[gold]?.[predicted] ?? 0;
          const alpha = count / max;
          const color = gold === predicted ? `rgba(34,139,34,${alpha})` : `rgba(200,40,40,${alpha})`;
          return `<td style="background:${count ? color : 'transparent'}">${count || ''}</td>`;
        })
        .join('');
      return `<tr><th>${escapeHtml(gold)}</th>${cells}</tr>`;
    })
    .join('');
  return `<table class="confusion"><tr><th>gold \\ predicted</th>${head}</tr>${body}</table>`;
}

function renderReliability(result: EvalResult): string {
  const size = 260;
  const bars = result.reliability
    .map((bin) => {
      if (bin.count === 0) return '';
      const x = bin.lower * size;
      const width = (bin.upper - bin.lower) * size - 2;
      const height = bin.accuracy * size;
      return (
        `<rect x="${x + 1}" y="${size - height}" width="${width}" height="${height}" fill="#4a78c2"><title>${bin.count} documents, confidence ${bin.meanConfidence.toFixed(2)}, accuracy ${bin.accuracy.toFixed(2)}</title></rect>` +
        `<circle cx="${bin.meanConfidence * size}" cy="${size - bin.accuracy * size}" r="3" fill="#c24a4a"/>`
      );
    })
    .join('');
  return `<svg width="${size + 40}" height="${size + 30}" viewBox="-30 -5 ${size + 40} ${size + 30}">
<line x1="0" y1="${size}" x2="${size}" y2="0" stroke="#999" stroke-dasharray="4"/>${bars}
<line x1="0" y1="${size}" x2="${size}" y2="${size}" stroke="#333"/><line x1="0" y1="0" x2="0" y2="${size}" stroke="#333"/>
<text x="${size / 2}" y="${size + 20}" text-anchor="middle" font-size="11">confidence</text>
<text x="-20" y="${size / 2}" font-size="11" transform="rotate(-90 -20 ${size / 2})" text-anchor="middle">accuracy</text></svg>`;
}

export function renderReportHtml(result: EvalResult, title: string): string {
  const numbers: [string, unknown][] = [
    ['documents', result.documents],
    ['accuracy', result.accuracy],
    ['macro_f1', result.macro_f1],
    ['baseline_accuracy', result.baseline_accuracy],
    ['ece', result.ece],
    ['unknown_precision', result.unknown_precision],
    ['unknown_recall', result.unknown_recall],
    ['pages_per_second', result.pages_per_second],
    ['extract_seconds', result.extract_seconds],
    ['examples', result.examples],
  ];
  if (result.page_accuracy !== undefined)
    numbers.push(['page_accuracy', result.page_accuracy], ['boundary_f1', result.boundary_f1], ['segment_exact', result.segment_exact]);
  const perClass = Object.entries(result.per_class)
    .map(
      ([label, m]) =>
        `<tr><td>${escapeHtml(label)}</td><td>${m.precision.toFixed(2)}</td><td>${m.recall.toFixed(2)}</td><td>${m.f1.toFixed(2)}</td><td>${m.support}</td></tr>`,
    )
    .join('');
  const mistakes = result.misclassified
    .map(
      (m) =>
        `<tr><td>${escapeHtml(m.file)}</td><td>${escapeHtml(m.gold)}</td><td>${escapeHtml(m.predicted)}${m.suggested_class ? ` (≈ ${escapeHtml(m.suggested_class)})` : ''}</td><td>${m.confidence.toFixed(2)}</td><td>${escapeHtml(m.reason)}</td></tr>`,
    )
    .join('');
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>
body{font:14px system-ui,sans-serif;margin:2em;max-width:1200px}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ddd;padding:3px 6px;text-align:left}
.confusion td{text-align:center;min-width:1.6em}.rot{height:120px;vertical-align:bottom}.rot div{writing-mode:vertical-rl;transform:rotate(180deg)}
</style></head><body><h1>${escapeHtml(title)}</h1>
<table>${numbers.map(([name, value]) => `<tr><th>${name}</th><td>${escapeHtml(value)}</td></tr>`).join('')}</table>
<h2>Confusion matrix</h2>${renderConfusion(result)}
<h2>Reliability diagram</h2><p>Bars: accuracy per confidence bin; dots: mean confidence. A calibrated engine follows the diagonal (ECE ${result.ece}).</p>${renderReliability(result)}
<h2>Per class</h2><table><tr><th>class</th><th>precision</th><th>recall</th><th>f1</th><th>support</th></tr>${perClass}</table>
<h2>Misclassified files (${result.misclassified.length})</h2><table><tr><th>file</th><th>gold</th><th>predicted</th><th>confidence</th><th>reason</th></tr>${mistakes}</table>
</body></html>`;
}
