/** Which loop kinds this deployment knows, with their policy versions: what `kind` and `policyVersion` accept. */
import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiTags } from '@nestjs/swagger';
import { LoopKindRegistry } from '@opsloop/loops';
import { MinRole } from '../auth/roles.decorator';
import { Responds } from '../common/api-responses';

export class LoopKindDto {
  @ApiProperty() name!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ type: [String] }) policyVersions!: string[];
  @ApiProperty({ description: 'whether runs can be started per event with a payload the kind validates' }) acceptsEvents!: boolean;
}

@ApiTags('loops')
@ApiBearerAuth()
@Controller('api/v1/loop-kinds')
export class LoopKindsController {
  constructor(private readonly registry: LoopKindRegistry) {}

  @Get() @MinRole('viewer') @Responds(200, [LoopKindDto])
  list(): LoopKindDto[] {
    return this.registry.names().map((name) => {
      const kind = this.registry.get(name);
      return { name, description: kind.description, policyVersions: [...kind.policyVersions], acceptsEvents: Boolean(kind.eventType) };
    });
  }
}
