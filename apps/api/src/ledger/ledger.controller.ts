/** Routes over the decision ledger: page through entries, and check the hash chain. */
import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { MinRole } from '../auth/roles.decorator';
import { LedgerPageResponseDto, LedgerQueryDto, LedgerVerdictResponseDto } from './ledger.dto';
import { LedgerService } from './ledger.service';

@ApiTags('ledger')
@ApiBearerAuth()
@Controller('api/v1/ledger')
export class LedgerController {
  constructor(private readonly ledger: LedgerService) {}

  @Get() @MinRole('viewer')
  list(@Query() query: LedgerQueryDto): Promise<LedgerPageResponseDto> {
    return this.ledger.list(query);
  }

  @Get('verify') @MinRole('viewer')
  verify(): Promise<LedgerVerdictResponseDto> {
    return this.ledger.verify();
  }
}
