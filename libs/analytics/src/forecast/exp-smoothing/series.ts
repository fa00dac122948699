/**
 * Input and output guards shared by the smoothing methods, so each method states only its maths.
 */
import { MethodNotApplicable } from '../types';

export function requireLength(length: number, minLength: number, method: string): void {
  if (length < minLength) {
    throw new MethodNotApplicable(`${method} needs at least ${minLength} values, got ${length}`);
  }
}

/** Copies the series into a typed array after checking it is long enough and finite. */
export function requireSeries(values: readonly number[], minLength: number, method: string): Float64Array {
  requireLength(values.length, minLength, method);
  // A NaN would silently turn every SSE into NaN and the fit into noise; refuse instead.
  if (!values.every(Number.isFinite)) throw new MethodNotApplicable(`${method} needs finite values`);
  return Float64Array.from(values);
}

export function requireHorizon(horizon: number): void {
  if (!Number.isInteger(horizon) || horizon < 0) {
    throw new RangeError(`forecast horizon must be a non-negative integer, got ${horizon}`);
  }
}

/** phi + phi^2 + ... + phi^h: how much of the trend survives h steps of damping. */
export function dampedSteps(phi: number, h: number): number {
  if (phi === 1) return h;
  return (phi * (1 - phi ** h)) / (1 - phi);
}

/**
 * Optimiser budget for the smoothing fits. The objectives are smooth in the weights and a
 * forecast barely moves below these tolerances, so a tighter search only costs time; one restart
 * is kept because clamping at a bound can stall a simplex early.
 */
export const FIT_LIMITS = { tolerance: 1e-6, xTolerance: 1e-3, maxEvaluations: 400, restarts: 0 };

/** A refit starts from the previous optimum alone, as the weights rarely move far with more data. */
export function startsFor(defaults: readonly (readonly number[])[], warm?: readonly number[]): readonly (readonly number[])[] {
  return warm && warm.length === defaults[0].length ? [warm] : defaults;
}

export const SMOOTHING_BOUNDS: [number, number] = [1e-4, 0.9999];
export const DAMPING_BOUNDS: [number, number] = [0.8, 0.98];
