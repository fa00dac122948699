/** Binds the injectable activity services into the plain object `Worker.create` expects. */
import { Provider } from '@nestjs/common';
import type { LoopRunActivities } from '../../../../workflows/loop-run/contract';
import type { RoundTripActivities } from '../../../../workflows/round-trip/contract';
import { ActionActivities } from '../engine/action.activities';
import { ApprovalActivities } from '../engine/approval.activities';
import { ApprovalProofActivitiesService } from '../engine/approval-proof.activities';
import { OutcomeActivities } from '../engine/outcome.activities';
import { OutcomeHandoffActivities } from '../engine/outcome-handoff.activities';
import { RunStagesActivities } from '../engine/run-stages.activities';
import { RunStartFailureActivities } from '../engine/run-start-failure.activities';
import { RoundTripActivitiesService } from './round-trip.activities';

export const ACTIVITIES = Symbol('ACTIVITIES');

export const ACTIVITY_SERVICES = [
  RoundTripActivitiesService, RunStagesActivities, ApprovalActivities, ActionActivities, OutcomeActivities, OutcomeHandoffActivities, RunStartFailureActivities,
  ApprovalProofActivitiesService,
];

type AllActivities = RoundTripActivities & LoopRunActivities;

export const activitiesProvider: Provider = {
  provide: ACTIVITIES,
  inject: ACTIVITY_SERVICES,
  useFactory: (
    roundTrip: RoundTripActivitiesService,
    stages: RunStagesActivities,
    approvals: ApprovalActivities,
    actions: ActionActivities,
    outcomes: OutcomeActivities,
    handoff: OutcomeHandoffActivities,
    startFailures: RunStartFailureActivities,
    proofs: ApprovalProofActivitiesService,
  ): AllActivities => ({
    recordRoundTrip: (i) => roundTrip.recordRoundTrip(i),
    openRun: (i) => stages.openRun(i),
    recordStartFailure: (i, e) => startFailures.recordStartFailure(i, e),
    runKindStage: (r, s) => stages.runKindStage(r, s),
    recordStep: (r, s, st, d, e) => stages.recordStep(r, s, st, d, e),
    setRunStatus: (r, s, e) => stages.setRunStatus(r, s, e),
    recordApproval: (r) => approvals.recordApproval(r),
    loadApprovals: (p) => proofs.loadApprovals(p),
    recordApprovals: (i) => proofs.recordApprovals(i),
    performAction: (d) => actions.performAction(d),
    recordActionSkipped: (d, r) => actions.recordActionSkipped(d, r),
    recordActionsSkipped: (run, ds, r) => actions.recordActionsSkipped(run, ds, r),
    recordActionFailed: (d, r) => actions.recordActionFailed(d, r),
    measureOutcomes: (r) => outcomes.measureOutcomes(r),
    tuneLoop: (r) => outcomes.tuneLoop(r),
    scheduleOutcome: (l, d) => handoff.scheduleOutcome(l, d),
  }),
};
