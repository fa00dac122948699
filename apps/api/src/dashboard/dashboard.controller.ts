import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { ApiEnv } from '@opsloop/config';
import { Public } from '../auth/roles.decorator';
import { API_ENV } from '../api-env';
import { dashboardHtml } from './dashboard.page';

@ApiExcludeController()
@Public()
@Controller()
export class DashboardController {
  constructor(@Inject(API_ENV) private readonly env: ApiEnv) {}

  @Get() @Header('Content-Type', 'text/html; charset=utf-8')
  page(): string {
    return dashboardHtml(this.env.TEMPORAL_UI_URL);
  }
}
