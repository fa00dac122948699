import { Body, Controller, Get, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { MinRole } from '../auth/roles.decorator';
import { Responds } from '../common/api-responses';
import { UuidParam } from '../common/params';
import { RoundTripResponseDto, StartRoundTripDto } from './round-trips.dto';
import { RoundTripsService } from './round-trips.service';

@ApiTags('round-trips')
@ApiBearerAuth()
@Controller('api/v1/round-trips')
export class RoundTripsController {
  constructor(private readonly roundTrips: RoundTripsService) {}

  @Post() @MinRole('operator')
  @Responds(201, RoundTripResponseDto, 400, { status: 409, description: 'The id was already used with another message' }, 413, 503, 504)
  start(@Body() dto: StartRoundTripDto): Promise<RoundTripResponseDto> {
    return this.roundTrips.start(dto);
  }

  @Get(':id') @MinRole('viewer') @Responds(200, RoundTripResponseDto, 400, 404)
  get(@UuidParam() id: string): Promise<RoundTripResponseDto> {
    return this.roundTrips.get(id);
  }
}
