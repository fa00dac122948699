import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AuthenticatedRequest } from '../auth/api-key.guard';
import { MinRole } from '../auth/roles.decorator';
import { RunProgress } from '../../../../workflows/loop-run/messages';
import { ApprovalsService } from './approvals.service';
import { ApprovalBodyDto, DecisionDto, ListRunsQuery, RunDetailDto, RunDto } from './runs.dto';
import { RunsService } from './runs.service';

const uuid = new ParseUUIDPipe();

@ApiTags('runs')
@ApiBearerAuth()
@Controller('api/v1')
export class RunsController {
  constructor(
    private readonly runs: RunsService,
    private readonly approvals: ApprovalsService,
  ) {}

  @Get('runs') @MinRole('viewer')
  list(@Query() q: ListRunsQuery): Promise<RunDto[]> {
    return this.runs.list(q);
  }

  @Get('runs/:id') @MinRole('viewer')
  get(@Param('id', uuid) id: string): Promise<RunDetailDto> {
    return this.runs.get(id);
  }

  @Get('runs/:id/progress') @MinRole('viewer')
  progress(@Param('id', uuid) id: string): Promise<RunProgress> {
    return this.runs.progress(id);
  }

  @Get('decisions/:id') @MinRole('viewer')
  decision(@Param('id', uuid) id: string): Promise<DecisionDto> {
    return this.approvals.get(id);
  }

  @Post('decisions/:id/approval') @HttpCode(200) @MinRole('operator')
  decide(@Param('id', uuid) id: string, @Body() body: ApprovalBodyDto, @Req() req: AuthenticatedRequest): Promise<DecisionDto> {
    return this.approvals.decide(id, body, req.apiKey!);
  }
}
