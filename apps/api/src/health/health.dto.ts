/** Shapes of the health routes: liveness, and readiness with one check per dependency. */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class LivenessDto {
  @ApiProperty({ enum: ['ok'] }) status!: 'ok';
}

export class DependencyStatusDto {
  @ApiProperty({ enum: ['up', 'down'] }) status!: 'up' | 'down';
  @ApiProperty({ type: 'integer', minimum: 0 }) latencyMs!: number;
  @ApiPropertyOptional({ description: 'why the dependency is down' }) error?: string;
}

export class ReadinessChecksDto {
  @ApiProperty({ type: DependencyStatusDto }) postgres!: DependencyStatusDto;
  @ApiProperty({ type: DependencyStatusDto }) temporal!: DependencyStatusDto;
}

export class ReadinessDto {
  @ApiProperty({ enum: ['ok', 'error'] }) status!: 'ok' | 'error';
  @ApiProperty({ type: ReadinessChecksDto }) checks!: ReadinessChecksDto;
}
