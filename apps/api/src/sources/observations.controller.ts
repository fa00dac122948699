/** POST /api/v1/sources/:id/observations: operators push batches of observations (JSON, NDJSON or CSV). */
import { Controller, HttpCode, Param, ParseUUIDPipe, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BatchReport } from '@opsloop/persistence';
import { MinRole } from '../auth/roles.decorator';
import { ObservationsService } from './observations.service';

const uuid = new ParseUUIDPipe();

@ApiTags('sources')
@ApiBearerAuth()
@Controller('api/v1/sources')
export class ObservationsController {
  constructor(private readonly observations: ObservationsService) {}

  @Post(':id/observations') @HttpCode(201) @MinRole('operator')
  @ApiConsumes('application/json', 'application/x-ndjson', 'text/csv')
  @ApiOperation({ summary: 'Push a batch: a JSON array of rows (or {"rows": [...]}), NDJSON, or CSV. 201 accepted/partial, 422 rejected, both with the batch report.' })
  push(@Param('id', uuid) id: string, @Req() req: IncomingMessage, @Res({ passthrough: true }) res: ServerResponse): Promise<BatchReport> {
    return this.observations.push(id, req, res);
  }
}
