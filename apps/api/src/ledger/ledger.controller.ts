/** Routes over the decision ledger: page through entries, and check the hash chain. */
import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { MinRole } from '../auth/roles.decorator';
import { Responds } from '../common/api-responses';
import { LedgerPageResponseDto, LedgerQueryDto, LedgerVerdictResponseDto } from './ledger.dto';
import { LedgerService } from './ledger.service';

@ApiTags('ledger')
@ApiBearerAuth()
@Controller('api/v1/ledger')
export class LedgerController {
  constructor(private readonly ledger: LedgerService) {}

  @Get() @MinRole('viewer') @Responds(200, LedgerPageResponseDto, 400)
  list(@Query() query: LedgerQueryDto): Promise<LedgerPageResponseDto> {
    return this.ledger.list(query);
  }

  @Get('verify') @MinRole('viewer') @Responds(200, LedgerVerdictResponseDto)
  verify(): Promise<LedgerVerdictResponseDto> {
    return this.ledger.verify();
  }
}
