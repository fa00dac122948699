/** Routes over source definitions: admins create, edit and delete; viewers read. */
import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { MinRole } from '../auth/roles.decorator';
import { CreateSourceDto, SourceResponseDto, UpdateSourceDto } from './sources.dto';
import { SourcesService } from './sources.service';

const uuid = new ParseUUIDPipe();

@ApiTags('sources')
@ApiBearerAuth()
@Controller('api/v1/sources')
export class SourcesController {
  constructor(private readonly sources: SourcesService) {}

  @Post() @MinRole('admin')
  create(@Body() dto: CreateSourceDto): Promise<SourceResponseDto> {
    return this.sources.create(dto);
  }

  @Get() @MinRole('viewer')
  list(): Promise<SourceResponseDto[]> {
    return this.sources.list();
  }

  @Get(':id') @MinRole('viewer')
  get(@Param('id', uuid) id: string): Promise<SourceResponseDto> {
    return this.sources.get(id);
  }

  @Patch(':id') @MinRole('admin')
  update(@Param('id', uuid) id: string, @Body() dto: UpdateSourceDto): Promise<SourceResponseDto> {
    return this.sources.update(id, dto);
  }

  @Delete(':id') @HttpCode(204) @MinRole('admin')
  remove(@Param('id', uuid) id: string): Promise<void> {
    return this.sources.remove(id);
  }
}
