/** Request and response shapes of /api/v1/loops, with their validation and the mappers to domain types. */
import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { MAX_INT_PARAM, ToInt } from '../common/params';
import { IsAbsentOr } from '../common/validation';
import {
  IsBoolean, IsIn, IsInt, IsNotEmpty, IsNumber, IsObject, IsOptional, IsString, IsUrl, Length, Matches, Max, MaxLength, Min, ValidateIf,
  ValidateNested,
} from 'class-validator';
import {
  ActionTarget, ApprovalRule, APPROVER_ROLES, ApproverRole, DEFAULT_CATCHUP_WINDOW_SECONDS, DEFAULT_STAGE_DEADLINE_SECONDS, LOOP_MODES, LoopConfig,
  LoopInstance, LoopMode, loopScheduleId, LoopTrigger, MAX_CATCHUP_WINDOW_SECONDS, MAX_STAGE_DEADLINE_SECONDS, MIN_CATCHUP_WINDOW_SECONDS,
  MIN_STAGE_DEADLINE_SECONDS, OVERLAP_POLICIES, OverlapPolicy, TIMEOUT_OUTCOMES, TimeoutOutcome,
} from '@opsloop/domain';

const FINITE = { allowNaN: false, allowInfinity: false } as const;
const DAY = 24 * 3600;

export class TriggerDto {
  @ApiProperty({ enum: ['cron', 'interval', 'event'] }) @IsIn(['cron', 'interval', 'event'])
  type!: 'cron' | 'interval' | 'event';

  @ApiPropertyOptional({ example: '0 2 * * *', minLength: 1, maxLength: 100, description: 'type cron: five-field cron, or @hourly/@daily/...' })
  @ValidateIf((o: TriggerDto) => o.type === 'cron') @IsString() @IsNotEmpty() @MaxLength(100)
  cron?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 31 * DAY, example: 3600, description: 'type interval: seconds between runs' })
  @ValidateIf((o: TriggerDto) => o.type === 'interval') @IsInt() @Min(1) @Max(31 * DAY)
  everySeconds?: number;

  @ApiPropertyOptional({
    type: 'integer', minimum: MIN_CATCHUP_WINDOW_SECONDS, maximum: MAX_CATCHUP_WINDOW_SECONDS, default: DEFAULT_CATCHUP_WINDOW_SECONDS,
    description: 'type cron or interval: how late a fire that Temporal missed (it was down) may still run, once; never longer than the gap between two fires',
  })
  @IsAbsentOr() @IsInt() @Min(MIN_CATCHUP_WINDOW_SECONDS) @Max(MAX_CATCHUP_WINDOW_SECONDS)
  catchupWindowSeconds?: number;
}

export class ApprovalDto {
  @ApiProperty({ enum: ['never', 'always', 'above'] }) @IsIn(['never', 'always', 'above'])
  when!: 'never' | 'always' | 'above';

  @ApiPropertyOptional({ type: Number, description: 'when above: decisions with a larger magnitude need approval' })
  @ValidateIf((o: ApprovalDto) => o.when === 'above') @IsNumber(FINITE)
  threshold?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 30 * DAY, example: 3600, description: 'unless never: how long an approval may wait' })
  @ValidateIf((o: ApprovalDto) => o.when !== 'never') @IsInt() @Min(1) @Max(30 * DAY)
  timeoutSeconds?: number;

  @ApiPropertyOptional({ enum: TIMEOUT_OUTCOMES, description: 'unless never: what a timed-out approval becomes' })
  @ValidateIf((o: ApprovalDto) => o.when !== 'never') @IsIn(TIMEOUT_OUTCOMES)
  onTimeout?: TimeoutOutcome;

  @ApiPropertyOptional({ enum: APPROVER_ROLES, default: 'operator', description: 'unless never: the lowest role that may approve or reject (escalation raises it to admin); lowering it is an admin change' })
  @ValidateIf((o: ApprovalDto) => o.when !== 'never' && o.role !== undefined) @IsIn(APPROVER_ROLES)
  role?: ApproverRole;
}

export class ActionTargetDto {
  @ApiProperty({ enum: ['webhook', 'record'] }) @IsIn(['webhook', 'record'])
  type!: 'webhook' | 'record';

  @ApiPropertyOptional({ format: 'uri', description: 'type webhook: an http(s) URL whose host is on OUTBOUND_ALLOWED_HOSTS. Viewers are shown its origin and first path segment only (https://hooks.example.com/services/%E2%80%A6)' })
  @ValidateIf((o: ActionTargetDto) => o.type === 'webhook')
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  url?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 120, default: 10 }) @IsAbsentOr() @IsInt() @Min(1) @Max(120)
  timeoutSeconds?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 20, default: 5, description: 'attempts before the action is recorded as failed' })
  @IsAbsentOr() @IsInt() @Min(1) @Max(20)
  maxAttempts?: number;
}

export class CreateLoopDto {
  @ApiProperty({ minLength: 1, maxLength: 200 }) @IsString() @Length(1, 200)
  name!: string;

  @ApiProperty({ example: 'threshold-alert', pattern: '^[a-z][a-z0-9-]{1,62}$', description: 'a name from GET /api/v1/loop-kinds' }) @IsString() @Matches(/^[a-z][a-z0-9-]{1,62}$/, { message: 'kind must be a loop kind name' })
  kind!: string;

  @ApiPropertyOptional({ minLength: 1, description: "defaults to the kind's newest policy version" }) @IsAbsentOr() @IsString() @IsNotEmpty()
  policyVersion?: string;

  @ApiPropertyOptional({ description: "validated against the kind's params schema", type: Object }) @IsAbsentOr() @IsObject()
  params?: Record<string, unknown>;

  @ApiPropertyOptional({ enum: LOOP_MODES, default: 'dry-run' }) @IsAbsentOr() @IsIn(LOOP_MODES)
  mode?: LoopMode;

  @ApiProperty({ type: TriggerDto }) @IsObject() @ValidateNested() @Type(() => TriggerDto)
  trigger!: TriggerDto;

  @ApiPropertyOptional({
    enum: OVERLAP_POLICIES, default: 'allow-all',
    description: 'what a scheduled fire does while an earlier run is still open; with skip or buffer-one a run waiting for approval holds back later fires',
  })
  @IsAbsentOr() @IsIn(OVERLAP_POLICIES)
  overlap?: OverlapPolicy;

  @ApiPropertyOptional({
    type: 'integer', minimum: MIN_STAGE_DEADLINE_SECONDS, maximum: MAX_STAGE_DEADLINE_SECONDS, default: DEFAULT_STAGE_DEADLINE_SECONDS,
    description: 'how long one stage of a run keeps retrying through outages (Postgres, Temporal, a worker) before the run fails',
  })
  @IsAbsentOr() @IsInt() @Min(MIN_STAGE_DEADLINE_SECONDS) @Max(MAX_STAGE_DEADLINE_SECONDS)
  stageDeadlineSeconds?: number;

  @ApiPropertyOptional({ type: ApprovalDto }) @IsAbsentOr() @IsObject() @ValidateNested() @Type(() => ApprovalDto)
  approval?: ApprovalDto;

  @ApiPropertyOptional({ type: ActionTargetDto }) @IsAbsentOr() @IsObject() @ValidateNested() @Type(() => ActionTargetDto)
  actionTarget?: ActionTargetDto;

  @ApiPropertyOptional({ default: true }) @IsAbsentOr() @IsBoolean()
  enabled?: boolean;
}

/** Every field optional; the kind cannot change (make a new loop instead). */
export class UpdateLoopDto extends PartialType(CreateLoopDto, { skipNullProperties: false }) {}

export class ListLoopsQuery {
  @ApiPropertyOptional({ description: 'only loops of this kind' }) @IsOptional() @IsString() kind?: string;
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 500, default: 100 }) @IsOptional() @ToInt() @IsInt() @Min(1) @Max(500) limit = 100;
  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: MAX_INT_PARAM, default: 0 }) @IsOptional() @ToInt() @IsInt() @Min(0) @Max(MAX_INT_PARAM) offset = 0;
}

export class LoopResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() kind!: string;
  @ApiProperty() policyVersion!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) params!: Record<string, unknown>;
  @ApiProperty({ type: 'integer' }) paramsVersion!: number;
  @ApiProperty({ enum: LOOP_MODES }) mode!: LoopMode;
  @ApiProperty({ type: TriggerDto }) trigger!: LoopTrigger;
  @ApiProperty({ enum: OVERLAP_POLICIES }) overlap!: OverlapPolicy;
  @ApiProperty({ type: 'integer' }) stageDeadlineSeconds!: number;
  @ApiProperty({ type: ApprovalDto }) approval!: ApprovalRule;
  @ApiProperty({ type: ActionTargetDto }) actionTarget!: ActionTarget;
  @ApiProperty() enabled!: boolean;
  @ApiProperty({ type: String, nullable: true, description: 'Temporal Schedule id, for cron and interval triggers' }) scheduleId!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export function toTrigger(dto: TriggerDto): LoopTrigger {
  const catchup = dto.catchupWindowSeconds === undefined ? {} : { catchupWindowSeconds: dto.catchupWindowSeconds };
  if (dto.type === 'cron') return { type: 'cron', cron: dto.cron!.trim(), ...catchup };
  if (dto.type === 'interval') return { type: 'interval', everySeconds: dto.everySeconds!, ...catchup };
  return { type: 'event' };
}

export function toApproval(dto: ApprovalDto | undefined): ApprovalRule {
  if (!dto || dto.when === 'never') return { when: 'never' };
  const base = { timeoutSeconds: dto.timeoutSeconds!, onTimeout: dto.onTimeout!, role: dto.role ?? 'operator' };
  return dto.when === 'always' ? { when: 'always', ...base } : { when: 'above', threshold: dto.threshold!, ...base };
}

export function toActionTarget(dto: ActionTargetDto | undefined): ActionTarget {
  if (!dto || dto.type === 'record') return { type: 'record' };
  return { type: 'webhook', url: dto.url!, timeoutSeconds: dto.timeoutSeconds ?? 10, maxAttempts: dto.maxAttempts ?? 5 };
}

/** The parts of a config a request sets; absent fields stay undefined so an update keeps them. */
export function toConfigChanges(dto: UpdateLoopDto): Partial<LoopConfig> {
  return {
    kind: dto.kind, policyVersion: dto.policyVersion, params: dto.params, mode: dto.mode, overlap: dto.overlap,
    stageDeadlineSeconds: dto.stageDeadlineSeconds,
    trigger: dto.trigger && toTrigger(dto.trigger),
    approval: dto.approval && toApproval(dto.approval),
    actionTarget: dto.actionTarget && toActionTarget(dto.actionTarget),
  };
}

export function toLoopResponse(l: LoopInstance): LoopResponseDto {
  // The catch-up window in force, also for loops stored before it could be set.
  const trigger = l.trigger.type === 'event' ? l.trigger : { ...l.trigger, catchupWindowSeconds: l.trigger.catchupWindowSeconds ?? DEFAULT_CATCHUP_WINDOW_SECONDS };
  return { ...l, trigger, scheduleId: l.trigger.type === 'event' ? null : loopScheduleId(l.id) };
}
