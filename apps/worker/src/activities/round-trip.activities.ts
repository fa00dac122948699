import { Injectable } from '@nestjs/common';
import { RoundTripRepository } from '@opsloop/persistence';
import type { RoundTripActivities } from '../../../../workflows/round-trip/contract';

@Injectable()
export class RoundTripActivitiesService implements RoundTripActivities {
  constructor(private readonly roundTrips: RoundTripRepository) {}

  recordRoundTrip(input: Parameters<RoundTripActivities['recordRoundTrip']>[0]) {
    return this.roundTrips.record(input);
  }
}
