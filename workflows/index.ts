// Every workflow the worker registers. Deterministic code only: see eslint.config.js.
export { roundTripWorkflow } from './round-trip/round-trip.workflow';
