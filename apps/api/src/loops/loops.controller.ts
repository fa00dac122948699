import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { MinRole } from '../auth/roles.decorator';
import { RunStarter } from '../runs/run-starter';
import { CreateLoopDto, ListLoopsQuery, LoopResponseDto, UpdateLoopDto } from './loops.dto';
import { LoopEventDto, RunNowDto, StartedRunDto } from './loop-runs.dto';
import { LoopsService } from './loops.service';

const uuid = new ParseUUIDPipe();

@ApiTags('loops')
@ApiBearerAuth()
@Controller('api/v1/loops')
export class LoopsController {
  constructor(
    private readonly loops: LoopsService,
    private readonly starter: RunStarter,
  ) {}

  @Post() @MinRole('operator')
  create(@Body() dto: CreateLoopDto): Promise<LoopResponseDto> {
    return this.loops.create(dto);
  }

  @Get() @MinRole('viewer')
  list(@Query() q: ListLoopsQuery): Promise<LoopResponseDto[]> {
    return this.loops.list(q);
  }

  @Get(':id') @MinRole('viewer')
  get(@Param('id', uuid) id: string): Promise<LoopResponseDto> {
    return this.loops.get(id);
  }

  @Patch(':id') @MinRole('operator')
  update(@Param('id', uuid) id: string, @Body() dto: UpdateLoopDto): Promise<LoopResponseDto> {
    return this.loops.update(id, dto);
  }

  @Post(':id/disable') @HttpCode(200) @MinRole('operator')
  disable(@Param('id', uuid) id: string): Promise<LoopResponseDto> {
    return this.loops.setEnabled(id, false);
  }

  @Post(':id/enable') @HttpCode(200) @MinRole('operator')
  enable(@Param('id', uuid) id: string): Promise<LoopResponseDto> {
    return this.loops.setEnabled(id, true);
  }

  @Delete(':id') @HttpCode(204) @MinRole('admin')
  remove(@Param('id', uuid) id: string): Promise<void> {
    return this.loops.remove(id);
  }

  @Post(':id/runs') @HttpCode(202) @MinRole('operator')
  async runNow(@Param('id', uuid) id: string, @Body() dto: RunNowDto): Promise<StartedRunDto> {
    return this.starter.runNow(await this.loops.existing(id), dto.requestId, dto.payload);
  }

  @Post(':id/events') @HttpCode(202) @MinRole('operator')
  async event(@Param('id', uuid) id: string, @Body() dto: LoopEventDto): Promise<StartedRunDto> {
    return this.starter.event(await this.loops.existing(id), dto.eventId, dto.payload);
  }
}
