/** Routes over source definitions: admins create, edit and delete; viewers read. */
import { Body, Controller, Delete, Get, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ApiKey } from '@opsloop/domain';
import { Actor } from '../auth/actor.decorator';
import { MinRole } from '../auth/roles.decorator';
import { Responds } from '../common/api-responses';
import { UuidParam } from '../common/params';
import { CreateSourceDto, SourceResponseDto, UpdateSourceDto } from './sources.dto';
import { SourcesService } from './sources.service';

@ApiTags('sources')
@ApiBearerAuth()
@Controller('api/v1/sources')
export class SourcesController {
  constructor(private readonly sources: SourcesService) {}

  @Post() @MinRole('admin') @Responds(201, SourceResponseDto, 400, 409, 413)
  create(@Body() dto: CreateSourceDto, @Actor() actor: ApiKey): Promise<SourceResponseDto> {
    return this.sources.create(dto, actor);
  }

  @Get() @MinRole('viewer') @Responds(200, [SourceResponseDto])
  list(): Promise<SourceResponseDto[]> {
    return this.sources.list();
  }

  @Get(':id') @MinRole('viewer') @Responds(200, SourceResponseDto, 400, 404)
  get(@UuidParam() id: string): Promise<SourceResponseDto> {
    return this.sources.get(id);
  }

  @Patch(':id') @MinRole('admin') @Responds(200, SourceResponseDto, 400, 404, 409, 413)
  update(@UuidParam() id: string, @Body() dto: UpdateSourceDto, @Actor() actor: ApiKey): Promise<SourceResponseDto> {
    return this.sources.update(id, dto, actor);
  }

  @Delete(':id') @MinRole('admin') @Responds(204, null, 400, 404)
  remove(@UuidParam() id: string, @Actor() actor: ApiKey): Promise<void> {
    return this.sources.remove(id, actor);
  }
}
