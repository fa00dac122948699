/** Binds the injectable activity services into the plain object `Worker.create` expects. */
import { Provider } from '@nestjs/common';
import { RoundTripActivitiesService } from './round-trip.activities';

export const ACTIVITIES = Symbol('ACTIVITIES');

export const activitiesProvider: Provider = {
  provide: ACTIVITIES,
  inject: [RoundTripActivitiesService],
  useFactory: (roundTrip: RoundTripActivitiesService) => ({
    recordRoundTrip: roundTrip.recordRoundTrip.bind(roundTrip),
  }),
};

export const ACTIVITY_SERVICES = [RoundTripActivitiesService];
