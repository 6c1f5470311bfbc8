import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  registerDecorator,
} from 'class-validator';
import { STAKEHOLDER_GROUPS } from '../../../workflows/call.machine';
import { EventDto, IsAmount, IsText, Optional, NestedObject, NestedObjects } from '../../common/dto';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const COUNT_LIMIT = 1_000_000;

/** A plain object of at most 50 entries, each key and value passing `entry`. */
function IsRecordOf(
  name: string,
  entry: (key: string, value: unknown) => boolean,
  message: string,
  example: object,
  valueType: 'integer' | 'boolean',
) {
  return (target: object, property: string) => {
    ApiProperty({ type: 'object', additionalProperties: { type: valueType }, example })(target, property);
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: property,
      validator: {
        validate: (value: unknown) =>
          typeof value === 'object' &&
          value !== null &&
          !Array.isArray(value) &&
          Object.keys(value).length <= 50 &&
          Object.entries(value).every(([k, v]) => entry(k, v)),
        defaultMessage: () => message,
      },
    });
  };
}

/** Counts per stakeholder group: only the groups the programme knows, each a whole number. */
const IsStakeholderCounts = () =>
  IsRecordOf(
    'isStakeholderCounts',
    (k, n) =>
      (STAKEHOLDER_GROUPS as readonly string[]).includes(k) &&
      Number.isInteger(n) &&
      (n as number) >= 0 &&
      (n as number) <= COUNT_LIMIT,
    `$property must map stakeholder groups (${STAKEHOLDER_GROUPS.join(', ')}) to whole numbers`,
    { local_government: 1, civil_society: 3 },
    'integer',
  );

/** Yes/no answers keyed by the call's question ids. */
const IsAnswers = () =>
  IsRecordOf(
    'isAnswers',
    (k, v) => /^[a-z][a-z0-9_]{0,39}$/.test(k) && typeof v === 'boolean',
    '$property must map question ids to true (yes) or false (no)',
    { registered: true },
    'boolean',
  );

export class ActivityDto {
  @IsText(2000) description!: string;
  @ApiProperty({ example: '2027-03-01' })
  @Matches(DAY, { message: '$property must be a day, YYYY-MM-DD' })
  start!: string;
  @ApiProperty({ example: '2027-04-30' })
  @Matches(DAY, { message: '$property must be a day, YYYY-MM-DD' })
  end!: string;
}

export class ParticipantsDto {
  @IsInt() @Min(0) @Max(COUNT_LIMIT) women!: number;
  @IsInt() @Min(0) @Max(COUNT_LIMIT) men!: number;
  @IsInt() @Min(0) @Max(COUNT_LIMIT) youth!: number;
  @Optional() @IsStakeholderCounts() byStakeholder?: Record<string, number>;
}

export class BudgetLineDto {
  @IsText(100) category!: string;
  @IsText(1000) description!: string;
  @ApiProperty({ description: 'whole units: days, pieces, trips' })
  @IsInt()
  @Min(1)
  @Max(COUNT_LIMIT)
  quantity!: number;
  @IsAmount() unitCost!: string;
}

export class CoFundingDto {
  @IsText(300) source!: string;
  @IsAmount() amount!: string;
  @ApiPropertyOptional({ description: 'work, materials or premises rather than money' })
  @Optional()
  @IsBoolean()
  inKind?: boolean;
}

/** The proposal's fields: each given replaces what the draft held. */
class ProposalFieldsDto {
  @Optional() @IsText(2000) summary?: string;
  @Optional() @IsText(10000) problem?: string;

  @ApiPropertyOptional({ type: [ActivityDto] })
  @Optional()
  @NestedObjects(() => ActivityDto)
  @ArrayMaxSize(50)
  activities?: ActivityDto[];

  @ApiPropertyOptional({ type: ParticipantsDto })
  @Optional()
  @NestedObject(() => ParticipantsDto)
  participants?: ParticipantsDto;

  @ApiPropertyOptional({ description: 'members of the initiative group from each stakeholder group' })
  @Optional()
  @IsStakeholderCounts()
  composition?: Record<string, number>;

  @Optional() @IsText(100) municipality?: string;

  @ApiPropertyOptional({
    type: [BudgetLineDto],
    description: 'the amount requested is their total, computed by the server',
  })
  @Optional()
  @NestedObjects(() => BudgetLineDto)
  @ArrayMaxSize(100)
  budget?: BudgetLineDto[];

  @ApiPropertyOptional({ type: [CoFundingDto] })
  @Optional()
  @NestedObjects(() => CoFundingDto)
  @ArrayMaxSize(20)
  coFunding?: CoFundingDto[];

  @Optional()
  @IsAnswers()
  eligibilityAnswers?: Record<string, boolean>;
}

export class CreateApplicationDto extends ProposalFieldsDto {
  @IsText(300)
  title!: string;

  /** The initiative group applying; may be left out by a member of exactly one group. */
  @Optional()
  @IsUUID()
  groupId?: string;
}

export class UpdateDraftEventDto extends EventDto {
  @Optional() @IsText(300) title?: string;
  @Optional() @IsText(2000) summary?: string;
  @Optional() @IsText(10000) problem?: string;
  @Optional() @NestedObjects(() => ActivityDto) @ArrayMaxSize(50) activities?: ActivityDto[];
  @Optional() @NestedObject(() => ParticipantsDto) participants?: ParticipantsDto;
  @Optional() @IsStakeholderCounts() composition?: Record<string, number>;
  @Optional() @IsText(100) municipality?: string;
  @Optional() @NestedObjects(() => BudgetLineDto) @ArrayMaxSize(100) budget?: BudgetLineDto[];
  @Optional() @NestedObjects(() => CoFundingDto) @ArrayMaxSize(20) coFunding?: CoFundingDto[];
  @Optional() @IsAnswers() eligibilityAnswers?: Record<string, boolean>;
}

class TextListEventDto extends EventDto {}

function IsTextList() {
  return (target: object, property: string) => {
    ApiProperty({ type: [String] })(target, property);
    ArrayMinSize(1)(target, property);
    ArrayMaxSize(50)(target, property);
    IsString({ each: true })(target, property);
    MaxLength(4000, { each: true })(target, property);
    Matches(/\S/, { each: true, message: 'each of $property must be non-empty text' })(target, property);
  };
}

export class RequestInfoEventDto extends TextListEventDto {
  @IsTextList()
  questions!: string[];
}

export class ResubmitEventDto extends TextListEventDto {
  @IsTextList()
  answers!: string[];
}

export class ScreenEventDto extends EventDto {
  @ApiProperty({ enum: ['eligible', 'ineligible'] })
  @IsIn(['eligible', 'ineligible'])
  decision!: 'eligible' | 'ineligible';

  @Optional() @IsText(2000) reason?: string;
}

export class AwardEventDto extends EventDto {
  @IsAmount()
  amount!: string;

  @Optional() @IsText(2000) reason?: string;
}

export class OptionalReasonEventDto extends EventDto {
  @Optional() @IsText(2000) reason?: string;
}

/** One decision of a batch: SCREEN or REQUEST_INFO on one application, as its own transition. */
export class ScreeningItemDto {
  @IsUUID() applicationId!: string;

  @ApiProperty({ enum: ['SCREEN', 'REQUEST_INFO'] })
  @IsIn(['SCREEN', 'REQUEST_INFO'])
  type!: 'SCREEN' | 'REQUEST_INFO';

  @ApiPropertyOptional({ enum: ['eligible', 'ineligible'] })
  @Optional()
  @IsIn(['eligible', 'ineligible'])
  decision?: 'eligible' | 'ineligible';

  @Optional() @IsText(2000) reason?: string;

  @ApiPropertyOptional({ type: [String] })
  @Optional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(4000, { each: true })
  questions?: string[];
}

export class DecisionItemDto {
  @IsUUID() applicationId!: string;

  @ApiProperty({ enum: ['AWARD', 'REJECT', 'WAITLIST'] })
  @IsIn(['AWARD', 'REJECT', 'WAITLIST'])
  type!: 'AWARD' | 'REJECT' | 'WAITLIST';

  @ApiPropertyOptional({ description: 'AWARD: the amount, the one requested or less with a reason' })
  @Optional()
  @IsAmount()
  amount?: string;

  @ApiPropertyOptional({
    description: 'AWARD below the amount requested: why; REJECT: the committee’s summary for the group',
  })
  @Optional()
  @IsText(2000)
  reason?: string;
}

export class DecisionBatchDto {
  @ApiProperty({ type: [DecisionItemDto] })
  @NestedObjects(() => DecisionItemDto)
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  items!: DecisionItemDto[];
}

export class ScreeningBatchDto {
  @ApiProperty({ type: [ScreeningItemDto] })
  @NestedObjects(() => ScreeningItemDto)
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  items!: ScreeningItemDto[];
}
