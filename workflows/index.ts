// Every workflow the worker registers. Deterministic code only: see eslint.config.js.
export { roundTripWorkflow } from './round-trip/round-trip.workflow';
export { loopRunWorkflow } from './loop-run/loop-run.workflow';
export { loopFeedbackWorkflow } from './loop-feedback/feedback.workflow';
