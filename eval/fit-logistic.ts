/**
 * A plain logistic regression for the evaluation's small fits: Newton's method on the mean log
 * loss plus `lambda` times half the squared distance from a prior vector (ridge towards what
 * ships by hand, so little data moves it little). Rows carry their own bias column.
 */
export interface LogisticOptions {
  lambda: number;
  /** Where the penalty pulls; zeros when left out. */
  prior?: number[];
  iterations?: number;
}

export function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

/** Solves A x = b for a small symmetric positive definite A (Gaussian elimination with pivoting). */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let row = col + 1; row < n; row++) if (Math.abs(m[row][col]) > Math.abs(m[pivot][col])) pivot = row;
    [m[col], m[pivot]] = [m[pivot], m[col]];
    for (let row = col + 1; row < n; row++) {
      const factor = m[row][col] / m[col][col];
      for (let k = col; k <= n; k++) m[row][k] -= factor * m[col][k];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let row = n - 1; row >= 0; row--) {
    let sum = m[row][n];
    for (let k = row + 1; k < n; k++) sum -= m[row][k] * x[k];
    x[row] = sum / m[row][row];
  }
  return x;
}

export function fitLogistic(rows: number[][], targets: number[], options: LogisticOptions): number[] {
  const width = rows[0]?.length ?? 0;
  const prior = options.prior ?? new Array<number>(width).fill(0);
  const lambda = options.lambda;
  let weights = [...prior];
  for (let iteration = 0; iteration < (options.iterations ?? 50); iteration++) {
    const gradient = weights.map((w, i) => lambda * (w - prior[i]));
    const hessian = Array.from({ length: width }, (_, i) => Array.from({ length: width }, (_, j) => (i === j ? lambda : 0)));
    rows.forEach((row, r) => {
      const p = sigmoid(row.reduce((sum, value, i) => sum + value * weights[i], 0));
      const curvature = p * (1 - p);
      for (let i = 0; i < width; i++) {
        gradient[i] += ((p - targets[r]) * row[i]) / rows.length;
        for (let j = 0; j < width; j++) hessian[i][j] += (curvature * row[i] * row[j]) / rows.length;
      }
    });
    const step = solve(hessian, gradient);
    weights = weights.map((w, i) => w - step[i]);
    if (step.every((value) => Math.abs(value) < 1e-9)) break;
  }
  return weights;
}
