// The bench worker's workflow bundle: every engine workflow plus the bare reference workflow.
export * from '../../workflows';
export { bareWorkflow } from './bare.workflow';
