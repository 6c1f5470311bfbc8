import { RELEASE_CONDITIONS, type ReleaseCondition } from '../../../workflows/payment-plan';
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
  type BodyExamples,
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

export class PlannedTrancheDto {
  @ApiProperty({
    description: 'the tranche’s share of the award, in whole percent; the shares sum to 100',
    example: 70,
  })
  @IsInt()
  @Min(1)
  @Max(100)
  sharePercent!: number;

  @ApiProperty({
    enum: RELEASE_CONDITIONS,
    description:
      'when the tranche may be requested: on acceptance, or once the interim or the final report is accepted',
  })
  @IsIn(RELEASE_CONDITIONS)
  release!: ReleaseCondition;
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

  @ApiPropertyOptional({
    type: [PlannedTrancheDto],
    description: 'how each grant is paid, in order; the default is one tranche of 100% on acceptance',
  })
  @Optional()
  @NestedObjects(() => PlannedTrancheDto)
  @ArrayMinSize(1)
  @ArrayMaxSize(12)
  paymentPlan?: PlannedTrancheDto[];

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

/** The pilot's round, every term given; and a municipality's own fund in som, the defaults taken. */
export const CREATE_CALL_EXAMPLES: BodyExamples<CreateCallDto> = {
  pilotRound: {
    summary: 'The pilot’s round: EUR 12,500 for projects of up to EUR 2,500 in four aiyl aimaks',
    value: {
      title: {
        ky: 'Александровка, Юрьевка, Гулистан жана Жазы айыл аймактарындагы социалдык демилгелер',
        ru: 'Социальные инициативы в айыл аймаках Александровка, Юрьевка, Гулистан и Жазы',
        en: 'Social initiatives in Alexandrovsky, Yuryevka, Gulistan and Zhazy',
      },
      description: {
        ky: 'Жергиликтүү өз алдынча башкаруу органдары менен жарандык коом бирге ишке ашыра турган долбоорлорго 2 500 еврого чейин грант берилет.',
        ru: 'Гранты до 2 500 евро на проекты, которые органы местного самоуправления и гражданское общество выполняют вместе.',
        en: 'Grants of up to EUR 2,500 for projects that local government and civil society carry out together.',
      },
      currency: 'EUR',
      budget: '12500.00',
      maxAward: '2500.00',
      opensAt: '2027-01-15T09:00:00+06:00',
      closesAt: '2027-02-28T18:00:00+06:00',
      municipalities: ['Alexandrovsky', 'Yuryevka', 'Gulistan', 'Zhazy'],
      questions: [
        {
          id: 'registered',
          text: {
            ky: 'Топтун курамында айыл өкмөтү же катталган уюм барбы?',
            ru: 'Входит ли в группу айыл окмоту или зарегистрированная организация?',
            en: 'Does the group include the aiyl okmotu or a registered organisation?',
          },
          required: true,
        },
        {
          id: 'co_funding',
          text: {
            ky: 'Айыл өкмөтү долбоорго салым кошобу: акча, эмгек же жай?',
            ru: 'Вносит ли айыл окмоту вклад в проект: деньги, труд или помещение?',
            en: 'Does the aiyl okmotu contribute to the project: money, work or premises?',
          },
          required: false,
        },
      ],
      composition: {
        minimumGroups: 2,
        groups: ['local_government', 'civil_society', 'religious_organisation', 'youth_women'],
      },
      criteria: [
        {
          name: 'Потребность сообщества',
          description: 'Сколько людей затрагивает проблема и насколько остро',
          weight: 40,
        },
        { name: 'Реалистичность', description: 'План и бюджет, которые группа выполнит за два месяца', weight: 35 },
        { name: 'Участие женщин и молодёжи', weight: 25 },
      ],
      scale: { min: 0, max: 5 },
      reviewersPerApplication: 3,
      financeThreshold: '2000.00',
      reportSchedule: [
        { kind: 'interim', dueAt: '2027-05-15' },
        { kind: 'final', dueAt: '2027-06-30' },
      ],
      applicationsPerGroup: 1,
      reviewReminderDays: 3,
      rankBy: 'normalised',
      disagreementThreshold: 15,
      minimumScore: 50,
      maxAwardsPerMunicipality: 2,
    },
  },
  municipalFund: {
    summary: 'A municipality’s own social-initiative fund: KGS 200,000 from the local budget, the defaults taken',
    value: {
      title: {
        ky: 'Гулистан айыл аймагынын социалдык демилгелер фонду, 2027',
        ru: 'Фонд социальных инициатив Гулистанского айыл аймака, 2027',
      },
      currency: 'KGS',
      budget: '200000.00',
      maxAward: '40000.00',
      opensAt: '2027-03-01T09:00:00+06:00',
      closesAt: '2027-03-31T18:00:00+06:00',
      municipalities: ['Gulistan'],
      criteria: [
        { name: 'Айылдын муктаждыгы', weight: 60 },
        { name: 'Ишке ашыруу мүмкүнчүлүгү', weight: 40 },
      ],
    },
  },
};

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
  @Optional()
  @NestedObjects(() => PlannedTrancheDto)
  @ArrayMinSize(1)
  @ArrayMaxSize(12)
  paymentPlan?: PlannedTrancheDto[];
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
