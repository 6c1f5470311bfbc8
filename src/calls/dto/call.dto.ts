import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsNumber,
  IsUUID,
  Matches,
  Max,
  Min,
  registerDecorator,
  type ValidationArguments,
} from 'class-validator';
import { RANK_BY, STAKEHOLDER_GROUPS, type RankBy, type StakeholderGroup } from '../../../workflows/call.machine';
import { anyLocale } from '../../../workflows/localised';
import {
  EventDto,
  IsAmount,
  IsCurrencyCode,
  IsText,
  Optional,
  Nullable,
  NestedObject,
  NestedObjects,
} from '../../common/dto';

/** A nested object with text in at least one locale. */
function HasSomeLocale() {
  return (target: object, property: string) =>
    registerDecorator({
      name: 'hasSomeLocale',
      target: target.constructor,
      propertyName: property,
      validator: {
        validate: (value: unknown) => typeof value === 'object' && value !== null && anyLocale(value),
        defaultMessage: (args?: ValidationArguments) => `${args?.property} needs text in at least one of ky, ru, en`,
      },
    });
}

export class LocalisedTitleDto {
  @Optional() @IsText(300) ky?: string;
  @Optional() @IsText(300) ru?: string;
  @Optional() @IsText(300) en?: string;
}

export class LocalisedTextDto {
  @Optional() @IsText(20000) ky?: string;
  @Optional() @IsText(20000) ru?: string;
  @Optional() @IsText(20000) en?: string;
}

export class CriterionDto {
  @IsText(200)
  name!: string;

  @Optional()
  @IsText(2000)
  description?: string;

  @ApiProperty({ description: 'percent of the total score; the weights of a call sum to 100' })
  @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 2 })
  @Min(0)
  @Max(100)
  weight!: number;
}

export class EligibilityQuestionDto {
  @ApiProperty({ example: 'registered', description: 'key the answers refer to' })
  @Matches(/^[a-z][a-z0-9_]{0,39}$/, {
    message: '$property must be a key of lower-case letters, digits and _ (at most 40)',
  })
  id!: string;

  @NestedObject(() => LocalisedTitleDto)
  @HasSomeLocale()
  text!: LocalisedTitleDto;

  @ApiProperty({ description: 'a required question must be answered yes to be eligible' })
  @IsBoolean()
  required!: boolean;
}

export class CompositionRuleDto {
  @IsInt()
  @Min(1)
  @Max(STAKEHOLDER_GROUPS.length)
  minimumGroups!: number;

  @ApiProperty({ enum: STAKEHOLDER_GROUPS, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(STAKEHOLDER_GROUPS, { each: true })
  groups!: StakeholderGroup[];
}

export class ScaleDto {
  @IsInt() @Min(0) @Max(100) min!: number;
  @IsInt() @Min(1) @Max(100) max!: number;
}

export class ReportDueDto {
  @IsIn(['interim', 'final']) kind!: 'interim' | 'final';
  @ApiProperty({ example: '2027-06-30' }) @IsISO8601({ strict: true }) dueAt!: string;
}

/** Every term of a call; the same fields, all optional, change a draft. */
class CallTermsDto {
  @ApiPropertyOptional({ description: 'the manager’s own programme; the default' })
  @Optional()
  @IsUUID()
  programmeId?: string;

  @ApiPropertyOptional({ type: LocalisedTextDto })
  @Optional()
  @NestedObject(() => LocalisedTextDto)
  description?: LocalisedTextDto;

  @ApiPropertyOptional({ type: [String], description: 'where applicants must work; none: anywhere' })
  @Optional()
  @IsArray()
  @ArrayMaxSize(200)
  @ArrayUnique()
  @IsText(100, { each: true })
  municipalities?: string[];

  @ApiPropertyOptional({ type: [EligibilityQuestionDto] })
  @Optional()
  @NestedObjects(() => EligibilityQuestionDto)
  @ArrayMaxSize(50)
  questions?: EligibilityQuestionDto[];

  @ApiPropertyOptional({ type: CompositionRuleDto, nullable: true })
  @Nullable()
  @NestedObject(() => CompositionRuleDto)
  composition?: CompositionRuleDto | null;

  @ApiPropertyOptional({ type: ScaleDto, description: 'default 0 to 5' })
  @Optional()
  @NestedObject(() => ScaleDto)
  scale?: ScaleDto;

  @ApiPropertyOptional({ default: 3 })
  @Optional()
  @IsInt()
  @Min(1)
  @Max(20)
  reviewersPerApplication?: number;

  @ApiPropertyOptional({
    description:
      'a tranche at or above this amount needs two different finance officers; at most the maximum award, which is the default',
  })
  @Optional()
  @IsAmount()
  financeThreshold?: string;

  @ApiPropertyOptional({ type: [ReportDueDto] })
  @Optional()
  @NestedObjects(() => ReportDueDto)
  @ArrayMaxSize(24)
  reportSchedule?: ReportDueDto[];

  @ApiPropertyOptional({ default: 1, description: 'applications one group may have under the call' })
  @Optional()
  @IsInt()
  @Min(1)
  @Max(100)
  applicationsPerGroup?: number;

  @ApiPropertyOptional({
    default: 3,
    description:
      'reviewers with reviews outstanding are reminded this many days before the review deadline; 0: no reminder',
  })
  @Optional()
  @IsInt()
  @Min(0)
  @Max(60)
  reviewReminderDays?: number;

  @ApiPropertyOptional({
    enum: RANK_BY,
    default: 'raw',
    description: 'rank by the scores as given, or normalised per reviewer',
  })
  @Optional()
  @IsIn(RANK_BY)
  rankBy?: RankBy;

  @ApiPropertyOptional({
    default: 15,
    description: 'flag an application whose review scores spread more than this (standard deviation, points of 100)',
  })
  @Optional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0.1)
  @Max(100)
  disagreementThreshold?: number;

  @ApiPropertyOptional({ default: 0, description: 'no funding is proposed below this score (of 100)' })
  @Optional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(100)
  minimumScore?: number;

  @ApiPropertyOptional({
    nullable: true,
    description: 'at most this many awards per municipality in the funding proposals; null: no limit',
  })
  @Nullable()
  @IsInt()
  @Min(1)
  @Max(1000)
  maxAwardsPerMunicipality?: number | null;
}

const TIME_EXAMPLE = '2027-01-15T18:00 (the programme’s time zone) or 2027-01-15T12:00:00Z';

export class CreateCallDto extends CallTermsDto {
  @ApiProperty({ type: LocalisedTitleDto })
  @NestedObject(() => LocalisedTitleDto)
  @HasSomeLocale()
  title!: LocalisedTitleDto;

  @IsCurrencyCode()
  currency!: string;

  @IsAmount()
  budget!: string;

  @IsAmount()
  maxAward!: string;

  @ApiProperty({ example: TIME_EXAMPLE })
  @IsISO8601({ strict: true })
  opensAt!: string;

  @ApiProperty({ example: TIME_EXAMPLE })
  @IsISO8601({ strict: true })
  closesAt!: string;

  @ApiProperty({ type: [CriterionDto] })
  @NestedObjects(() => CriterionDto)
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  criteria!: CriterionDto[];
}

/** Changes to a draft call: any subset of its fields. */
export class UpdateCallEventDto extends EventDto {
  @Optional() @NestedObject(() => LocalisedTitleDto) @HasSomeLocale() title?: LocalisedTitleDto;
  @Optional() @IsCurrencyCode() currency?: string;
  @Optional() @IsAmount() budget?: string;
  @Optional() @IsAmount() maxAward?: string;
  @Optional() @IsISO8601({ strict: true }) opensAt?: string;
  @Optional() @IsISO8601({ strict: true }) closesAt?: string;
  @Optional() @NestedObjects(() => CriterionDto) @ArrayMinSize(1) @ArrayMaxSize(50) criteria?: CriterionDto[];
  @Optional() @NestedObject(() => LocalisedTextDto) description?: LocalisedTextDto;
  @Optional() @IsArray() @ArrayMaxSize(200) @ArrayUnique() @IsText(100, { each: true }) municipalities?: string[];
  @Optional() @NestedObjects(() => EligibilityQuestionDto) @ArrayMaxSize(50) questions?: EligibilityQuestionDto[];
  @Nullable() @NestedObject(() => CompositionRuleDto) composition?: CompositionRuleDto | null;
  @Optional() @NestedObject(() => ScaleDto) scale?: ScaleDto;
  @Optional() @IsInt() @Min(1) @Max(20) reviewersPerApplication?: number;
  @Optional() @IsAmount() financeThreshold?: string;
  @Optional() @NestedObjects(() => ReportDueDto) @ArrayMaxSize(24) reportSchedule?: ReportDueDto[];
  @Optional() @IsInt() @Min(1) @Max(100) applicationsPerGroup?: number;
  @Optional() @IsInt() @Min(0) @Max(60) reviewReminderDays?: number;
  @Optional() @IsIn(RANK_BY) rankBy?: RankBy;
  @Optional() @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0.1) @Max(100) disagreementThreshold?: number;
  @Optional() @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0) @Max(100) minimumScore?: number;
  @Nullable() @IsInt() @Min(1) @Max(1000) maxAwardsPerMunicipality?: number | null;
}

export class StartReviewEventDto extends EventDto {
  @ApiPropertyOptional({
    example: TIME_EXAMPLE,
    description:
      'the committee’s deadline for reviews; reviewers are reminded before it and managers told at it what is missing',
  })
  @Optional()
  @IsISO8601({ strict: true })
  reviewDueAt?: string;
}

export class SetReviewDeadlineEventDto extends EventDto {
  @ApiProperty({ example: TIME_EXAMPLE })
  @IsISO8601({ strict: true })
  reviewDueAt!: string;
}

export class ExtendDeadlineEventDto extends EventDto {
  @ApiProperty({ example: TIME_EXAMPLE })
  @IsISO8601({ strict: true })
  closesAt!: string;
}
