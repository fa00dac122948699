/** Routes for alert feedback: label an alert decision, list its labels, and an alert rule's precision. */
import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AuthenticatedRequest } from '../auth/api-key.guard';
import { MinRole } from '../auth/roles.decorator';
import { AlertLabelDto, AlertPrecisionDto, CreatedAlertLabelDto, LabelBodyDto } from './alerts.dto';
import { AlertsService } from './alerts.service';

const uuid = new ParseUUIDPipe();

@ApiTags('alerts')
@ApiBearerAuth()
@Controller('api/v1')
export class AlertsController {
  constructor(private readonly alerts: AlertsService) {}

  @Post('decisions/:id/labels') @MinRole('operator')
  label(@Param('id', uuid) id: string, @Body() body: LabelBodyDto, @Req() req: AuthenticatedRequest): Promise<CreatedAlertLabelDto> {
    return this.alerts.label(id, body, req.apiKey!);
  }

  @Get('decisions/:id/labels') @MinRole('viewer')
  labels(@Param('id', uuid) id: string): Promise<AlertLabelDto[]> {
    return this.alerts.labelsOf(id);
  }

  @Get('loops/:id/alert-precision') @MinRole('viewer')
  precision(@Param('id', uuid) id: string): Promise<AlertPrecisionDto> {
    return this.alerts.precision(id);
  }
}
