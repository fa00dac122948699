/**
 * Box-constrained Nelder–Mead minimiser. Hand-written because the smoothing methods only need a
 * tiny, deterministic, derivative-free search over two to four bounded parameters.
 */

export interface Box {
  lower: readonly number[];
  upper: readonly number[];
}

export interface MinimizeOptions {
  /** Budget of objective evaluations per Nelder–Mead run. */
  maxEvaluations?: number;
  /** Relative spread of simplex values (and absolute size in x) at which a run stops. */
  tolerance?: number;
  /** Absolute simplex size in x at which a run may stop; defaults to `tolerance`. */
  xTolerance?: number;
  /** Fresh-simplex restarts after the first run (each only while it still improves). */
  restarts?: number;
}

export interface MinimizeResult {
  x: number[];
  value: number;
  evaluations: number;
}

type Objective = (x: readonly number[]) => number;
interface Vertex {
  x: number[];
  v: number;
}

export function clampToBox(x: readonly number[], box: Box): number[] {
  return x.map((v, i) => Math.min(box.upper[i], Math.max(box.lower[i], v)));
}

// NaN would poison every comparison in the simplex ordering; treat it as "infinitely bad".
const byValue = (a: Vertex, b: Vertex): number => (a.v < b.v ? -1 : a.v > b.v ? 1 : 0);

function initialSimplex(start: number[], box: Box): number[][] {
  const points = [start];
  for (let i = 0; i < start.length; i++) {
    const step = 0.1 * (box.upper[i] - box.lower[i]);
    const p = start.slice();
    // Step inward when the start sits on the upper bound, so the simplex is not flat.
    p[i] = p[i] + step <= box.upper[i] ? p[i] + step : p[i] - step;
    points.push(p);
  }
  return points;
}

function centroid(points: Vertex[]): number[] {
  const c = new Array<number>(points[0].x.length).fill(0);
  for (const p of points) p.x.forEach((xi, i) => (c[i] += xi / points.length));
  return c;
}

function hasConverged(simplex: Vertex[], tolerance: number, xTolerance: number): boolean {
  const best = simplex[0];
  const worst = simplex[simplex.length - 1];
  const valueSpread = worst.v - best.v;
  if (!(valueSpread <= tolerance * Math.abs(best.v) + 1e-300)) return false;
  return simplex.every((p) => p.x.every((xi, i) => Math.abs(xi - best.x[i]) <= xTolerance));
}

function iterate(simplex: Vertex[], evaluate: (x: number[]) => Vertex, box: Box): void {
  const n = simplex.length - 1;
  const worst = simplex[n];
  const c = centroid(simplex.slice(0, n));
  // Points on the line from the centroid through the worst vertex; clamping keeps them feasible.
  const along = (t: number) => evaluate(clampToBox(c.map((ci, i) => ci + t * (worst.x[i] - ci)), box));
  const reflected = along(-1);
  if (reflected.v < simplex[0].v) {
    const expanded = along(-2);
    simplex[n] = expanded.v < reflected.v ? expanded : reflected;
  } else if (reflected.v < simplex[n - 1].v) {
    simplex[n] = reflected;
  } else {
    const contracted = along(reflected.v < worst.v ? -0.5 : 0.5);
    if (contracted.v < Math.min(reflected.v, worst.v)) simplex[n] = contracted;
    else for (let i = 1; i <= n; i++) simplex[i] = evaluate(simplex[i].x.map((xi, j) => (xi + simplex[0].x[j]) / 2));
  }
}

interface RunLimits {
  maxEvaluations: number;
  tolerance: number;
  xTolerance: number;
}

function singleRun(f: Objective, start: readonly number[], box: Box, limits: RunLimits): MinimizeResult {
  const { maxEvaluations, tolerance, xTolerance } = limits;
  let evaluations = 0;
  const evaluate = (x: number[]): Vertex => {
    evaluations++;
    const v = f(x);
    return { x, v: Number.isNaN(v) ? Infinity : v };
  };
  const simplex = initialSimplex(clampToBox(start, box), box).map(evaluate);
  simplex.sort(byValue);
  while (evaluations < maxEvaluations && !hasConverged(simplex, tolerance, xTolerance)) {
    iterate(simplex, evaluate, box);
    simplex.sort(byValue);
  }
  return { x: simplex[0].x, value: simplex[0].v, evaluations };
}

const MAX_RESTARTS = 5;

/**
 * Nelder–Mead from `start`, never leaving `box`. Clamping can squash the simplex flat against a
 * bound or into a corner, where it collapses short of the optimum; restarting with a fresh
 * full-size simplex from the best point until a restart stops improving undoes that.
 */
export function nelderMead(f: Objective, start: readonly number[], box: Box, options: MinimizeOptions = {}): MinimizeResult {
  const tolerance = options.tolerance ?? 1e-10;
  const limits: RunLimits = {
    maxEvaluations: options.maxEvaluations ?? 300 * (start.length + 1),
    tolerance,
    xTolerance: options.xTolerance ?? tolerance,
  };
  let best = singleRun(f, start, box, limits);
  let evaluations = best.evaluations;
  for (let restart = 0; restart < (options.restarts ?? MAX_RESTARTS); restart++) {
    const next = singleRun(f, best.x, box, limits);
    evaluations += next.evaluations;
    const improved = next.value < best.value - tolerance * Math.abs(best.value);
    if (next.value <= best.value) best = next;
    if (!improved) break;
  }
  return { ...best, evaluations };
}

/** Starts Nelder–Mead from the best of a few candidate points, so one bad guess cannot strand it. */
export function minimize(f: Objective, starts: readonly (readonly number[])[], box: Box, options: MinimizeOptions = {}): MinimizeResult {
  let best = { x: clampToBox(starts[0], box), value: Infinity };
  for (const s of starts) {
    const x = clampToBox(s, box);
    const value = f(x);
    if (value < best.value) best = { x, value };
  }
  const result = nelderMead(f, best.x, box, options);
  return { ...result, evaluations: starts.length + result.evaluations };
}
