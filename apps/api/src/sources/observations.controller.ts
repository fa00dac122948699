/** POST /api/v1/sources/:id/observations: operators push batches of observations (JSON, NDJSON or CSV). */
import { Controller, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BatchReport } from '@opsloop/persistence';
import { MinRole } from '../auth/roles.decorator';
import { Responds } from '../common/api-responses';
import { ApiBodyByMediaType } from '../common/openapi-document';
import { UuidParam } from '../common/params';
import { BatchReportDto } from './batch-report.dto';
import { ObservationsService } from './observations.service';

/** One input row: the fields of the source's schema (checked per source, so open here). */
const ROW = { type: 'object', additionalProperties: true, example: { sku: 'A-1', day: '2025-05-01', units: 3 } } as const;

const PushBody = () => ApiBodyByMediaType(
  "The rows, checked against the source's schema; rows that fail are quarantined with a reason. A csv source takes text/csv only.",
  {
    'application/json': { schema: { oneOf: [{ type: 'array', items: ROW }, { type: 'object', required: ['rows'], properties: { rows: { type: 'array', items: ROW } } }] } },
    'application/x-ndjson': { schema: { type: 'string', description: 'one JSON object per line' }, example: '{"sku":"A-1","day":"2025-05-01","units":3}\n' },
    'text/csv': { schema: { type: 'string', description: "a header line naming the fields (or the source's headerMap names), then one row per line" }, example: 'sku,day,units\nA-1,2025-05-01,3\n' },
  },
);

@ApiTags('sources')
@ApiBearerAuth()
@Controller('api/v1/sources')
export class ObservationsController {
  constructor(private readonly observations: ObservationsService) {}

  @Post(':id/observations') @MinRole('operator') @PushBody()
  @ApiOperation({ summary: 'Push a batch: a JSON array of rows (or {"rows": [...]}), NDJSON, or CSV. 201 accepted/partial, 422 rejected, both with the batch report.' })
  @Responds(201, BatchReportDto, 400, 404, { status: 409, description: 'The source pulls its own data (postgres, http): use POST …/collect' }, 413, 415,
    { status: 422, extends: BatchReportDto, description: 'Every row failed the schema; nothing was written (see problems)' })
  push(@UuidParam() id: string, @Req() req: IncomingMessage, @Res({ passthrough: true }) res: ServerResponse): Promise<BatchReport> {
    return this.observations.push(id, req, res);
  }
}
