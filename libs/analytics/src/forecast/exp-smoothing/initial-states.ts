/**
 * Solves for the initial states of a linear smoothing recursion by least squares.
 *
 * Why: for SES and Holt the one-step forecasts are linear in (series, initial states), so for
 * given smoothing weights the SSE-optimal initial states have a closed form. Solving them exactly
 * (instead of adding them to the Nelder–Mead search) is cheaper, more accurate, and makes exact
 * fits (constant, pure linear trend) come out exact.
 */

/** Writes one-step forecasts of `y` into `fitted`, starting from the states `init`. */
export type LinearRecursion = (y: ArrayLike<number>, init: readonly number[], fitted: Float64Array) => void;

export interface InitialStates {
  init: number[];
  sse: number;
}

function solveSymmetric(a: number[][], b: number[]): number[] {
  const k = b.length;
  const m = a.map((row, i) => [...row, b[i]]);
  for (let col = 0; col < k; col++) {
    let pivot = col;
    for (let r = col + 1; r < k; r++) if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) pivot = r;
    [m[col], m[pivot]] = [m[pivot], m[col]];
    // A (near-)singular system means the data cannot pin this state down; leave it at zero.
    if (Math.abs(m[col][col]) < 1e-300) continue;
    for (let r = 0; r < k; r++) {
      if (r === col) continue;
      const factor = m[r][col] / m[col][col];
      for (let c = col; c <= k; c++) m[r][c] -= factor * m[col][c];
    }
  }
  return m.map((row, i) => (Math.abs(row[i]) < 1e-300 ? 0 : row[k] / row[i]));
}

export function solveInitialStates(run: LinearRecursion, y: Float64Array, k: number): InitialStates {
  const n = y.length;
  const base = new Float64Array(n);
  run(y, new Array<number>(k).fill(0), base);
  const zeros = new Float64Array(n);
  const responses = Array.from({ length: k }, (_, j) => {
    const r = new Float64Array(n);
    run(zeros, Array.from({ length: k }, (__, i) => (i === j ? 1 : 0)), r);
    return r;
  });
  const gram = responses.map((ri) => responses.map((rj) => dot(ri, rj)));
  const rhs = responses.map((r) => {
    let s = 0;
    for (let t = 0; t < n; t++) s += r[t] * (y[t] - base[t]);
    return s;
  });
  const init = solveSymmetric(gram, rhs);
  let sse = 0;
  for (let t = 0; t < n; t++) {
    let e = y[t] - base[t];
    for (let j = 0; j < k; j++) e -= init[j] * responses[j][t];
    sse += e * e;
  }
  return { init, sse };
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let t = 0; t < a.length; t++) s += a[t] * b[t];
  return s;
}
