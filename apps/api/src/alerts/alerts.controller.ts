/** Routes for alert feedback: label an alert decision, list its labels, and an alert rule's precision. */
import { Body, Controller, Get, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AuthenticatedRequest } from '../auth/api-key.guard';
import { MinRole } from '../auth/roles.decorator';
import { Responds } from '../common/api-responses';
import { UuidParam } from '../common/params';
import { AlertLabelDto, AlertPrecisionDto, CreatedAlertLabelDto, LabelBodyDto } from './alerts.dto';
import { AlertsService } from './alerts.service';

@ApiTags('alerts')
@ApiBearerAuth()
@Controller('api/v1')
export class AlertsController {
  constructor(private readonly alerts: AlertsService) {}

  @Post('decisions/:id/labels') @MinRole('operator') @Responds(201, CreatedAlertLabelDto, 400, 404, 409, 413)
  label(@UuidParam() id: string, @Body() body: LabelBodyDto, @Req() req: AuthenticatedRequest): Promise<CreatedAlertLabelDto> {
    return this.alerts.label(id, body, req.apiKey!);
  }

  @Get('decisions/:id/labels') @MinRole('viewer') @Responds(200, [AlertLabelDto], 400, 404, 409)
  labels(@UuidParam() id: string): Promise<AlertLabelDto[]> {
    return this.alerts.labelsOf(id);
  }

  @Get('loops/:id/alert-precision') @MinRole('viewer') @Responds(200, AlertPrecisionDto, 400, 404, 409)
  precision(@UuidParam() id: string): Promise<AlertPrecisionDto> {
    return this.alerts.precision(id);
  }
}
