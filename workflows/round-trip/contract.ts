/** What the round-trip workflow needs from activities. The worker implements this interface. */
import type { RoundTripInput, RoundTripRecord } from '@opsloop/domain';

export interface RoundTripActivities {
  recordRoundTrip(input: RoundTripInput & { workflowId: string }): Promise<RoundTripRecord>;
}
