import { Body, Controller, Delete, Get, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ApiKey } from '@opsloop/domain';
import { Actor } from '../auth/actor.decorator';
import { MinRole } from '../auth/roles.decorator';
import { Responds } from '../common/api-responses';
import { UuidParam } from '../common/params';
import { RunStarter } from '../runs/run-starter';
import { CreateLoopDto, ListLoopsQuery, LoopResponseDto, UpdateLoopDto } from './loops.dto';
import { LoopEventDto, RunNowDto, StartedRunDto } from './loop-runs.dto';
import { ApiLooseningRefusal } from './loop-control';
import { LoopsService } from './loops.service';

@ApiTags('loops')
@ApiBearerAuth()
@Controller('api/v1/loops')
export class LoopsController {
  constructor(
    private readonly loops: LoopsService,
    private readonly starter: RunStarter,
  ) {}

  @Post() @ApiLooseningRefusal() @MinRole('operator') @Responds(201, LoopResponseDto, 400, 413, 503)
  create(@Body() dto: CreateLoopDto, @Actor() actor: ApiKey): Promise<LoopResponseDto> {
    return this.loops.create(dto, actor);
  }

  @Get() @MinRole('viewer') @Responds(200, [LoopResponseDto], 400)
  list(@Query() q: ListLoopsQuery, @Actor() reader: ApiKey): Promise<LoopResponseDto[]> {
    return this.loops.list(q, reader);
  }

  @Get(':id') @MinRole('viewer') @Responds(200, LoopResponseDto, 400, 404)
  get(@UuidParam() id: string, @Actor() reader: ApiKey): Promise<LoopResponseDto> {
    return this.loops.get(id, reader);
  }

  @Patch(':id') @ApiLooseningRefusal() @MinRole('operator') @Responds(200, LoopResponseDto, 400, 404, 413, 503)
  update(@UuidParam() id: string, @Body() dto: UpdateLoopDto, @Actor() actor: ApiKey): Promise<LoopResponseDto> {
    return this.loops.update(id, dto, actor);
  }

  @Post(':id/disable') @MinRole('operator') @Responds(200, LoopResponseDto, 400, 404, 503)
  disable(@UuidParam() id: string, @Actor() actor: ApiKey): Promise<LoopResponseDto> {
    return this.loops.setEnabled(id, false, actor);
  }

  @Post(':id/enable') @MinRole('operator') @Responds(200, LoopResponseDto, 400, 404, 503)
  enable(@UuidParam() id: string, @Actor() actor: ApiKey): Promise<LoopResponseDto> {
    return this.loops.setEnabled(id, true, actor);
  }

  @Delete(':id') @MinRole('admin') @Responds(204, null, 400, 404, 503)
  remove(@UuidParam() id: string, @Actor() actor: ApiKey): Promise<void> {
    return this.loops.remove(id, actor);
  }

  @Post(':id/runs') @MinRole('operator') @Responds(202, StartedRunDto, 400, 404, 409, 413, 503)
  async runNow(@UuidParam() id: string, @Body() dto: RunNowDto): Promise<StartedRunDto> {
    return this.starter.runNow(await this.loops.existing(id), dto.requestId, dto.payload);
  }

  @Post(':id/events') @MinRole('operator') @Responds(202, StartedRunDto, 400, 404, 409, 413, 503)
  async event(@UuidParam() id: string, @Body() dto: LoopEventDto): Promise<StartedRunDto> {
    return this.starter.event(await this.loops.existing(id), dto.eventId, dto.payload);
  }
}
