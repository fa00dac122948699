/** Routes reading runs and decisions, and deciding approvals one by one or per run (operator; escalated ones admin). */
import { Body, Controller, Get, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AuthenticatedRequest } from '../auth/api-key.guard';
import { MinRole } from '../auth/roles.decorator';
import { Responds } from '../common/api-responses';
import { UuidParam } from '../common/params';
import { ApprovalsService } from './approvals.service';
import { RunProgressDto, toRunProgressDto } from './run-progress.dto';
import { BulkApprovalBodyDto, BulkApprovalResultDto } from './approvals.dto';
import { ApprovalBodyDto, DecisionDto, ListRunsQuery, RunDetailDto, RunDto } from './runs.dto';
import { RunsService } from './runs.service';

@ApiTags('runs')
@ApiBearerAuth()
@Controller('api/v1')
export class RunsController {
  constructor(
    private readonly runs: RunsService,
    private readonly approvals: ApprovalsService,
  ) {}

  @Get('runs') @MinRole('viewer') @Responds(200, [RunDto], 400)
  list(@Query() q: ListRunsQuery): Promise<RunDto[]> {
    return this.runs.list(q);
  }

  @Get('runs/:id') @MinRole('viewer') @Responds(200, RunDetailDto, 400, 404)
  get(@UuidParam() id: string): Promise<RunDetailDto> {
    return this.runs.get(id);
  }

  @Get('runs/:id/progress') @MinRole('viewer') @Responds(200, RunProgressDto, 400, 404, { status: 503, description: "The run's workflow cannot be queried now" })
  progress(@UuidParam() id: string): Promise<RunProgressDto> {
    return this.runs.progress(id).then(toRunProgressDto);
  }

  @Post('runs/:id/approvals') @MinRole('operator')
  @Responds(200, BulkApprovalResultDto, 400, { status: 403, description: 'Every matching decision that waits needs a higher role (escalated ones need an admin)' }, 404, 413, 503)
  decideRun(@UuidParam() id: string, @Body() body: BulkApprovalBodyDto, @Req() req: AuthenticatedRequest): Promise<BulkApprovalResultDto> {
    return this.approvals.decideRun(id, body, req.apiKey!);
  }

  @Get('decisions/:id') @MinRole('viewer') @Responds(200, DecisionDto, 400, 404)
  decision(@UuidParam() id: string): Promise<DecisionDto> {
    return this.approvals.get(id);
  }

  @Post('decisions/:id/approval') @MinRole('operator')
  @Responds(200, DecisionDto, 400, { status: 403, description: 'An escalated approval needs an admin' }, 404, { status: 409, description: 'The decision is not waiting for approval' }, 413, 503)
  decide(@UuidParam() id: string, @Body() body: ApprovalBodyDto, @Req() req: AuthenticatedRequest): Promise<DecisionDto> {
    return this.approvals.decide(id, body, req.apiKey!);
  }
}
