import { Body, Controller, Get, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { MinRole } from '../auth/roles.decorator';
import { RoundTripResponseDto, StartRoundTripDto } from './round-trips.dto';
import { RoundTripsService } from './round-trips.service';

@ApiTags('round-trips')
@ApiBearerAuth()
@Controller('api/v1/round-trips')
export class RoundTripsController {
  constructor(private readonly roundTrips: RoundTripsService) {}

  @Post() @MinRole('operator')
  start(@Body() dto: StartRoundTripDto): Promise<RoundTripResponseDto> {
    return this.roundTrips.start(dto);
  }

  @Get(':id') @MinRole('viewer')
  get(@Param('id', new ParseUUIDPipe()) id: string): Promise<RoundTripResponseDto> {
    return this.roundTrips.get(id);
  }
}
