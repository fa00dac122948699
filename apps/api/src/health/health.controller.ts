import { Controller, Get, Res } from '@nestjs/common';
import { ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/roles.decorator';
import { Responds } from '../common/api-responses';
import { LivenessDto, ReadinessDto } from './health.dto';
import { ReadinessService } from './readiness.service';

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(private readonly readiness: ReadinessService) {}

  /** Liveness: the process answers. Never touches a dependency. */
  @Get() @Responds(200, LivenessDto)
  live(): LivenessDto {
    return { status: 'ok' };
  }

  /** Readiness: 200 when Postgres and Temporal answer, 503 naming the one that does not. */
  @Get('ready') @Responds(200, ReadinessDto)
  @ApiResponse({ status: 503, type: ReadinessDto, description: 'Postgres or Temporal does not answer; its check says why' })
  async ready(@Res({ passthrough: true }) res: Response): Promise<ReadinessDto> {
    const result = await this.readiness.check();
    res.status(result.status === 'ok' ? 200 : 503);
    return result;
  }
}
