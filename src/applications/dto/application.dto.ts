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
import { EventDto, IsAmount, IsText, Optional, NestedObject, NestedObjects, type BodyExamples } from '../../common/dto';

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

/** A whole proposal at once, or a draft with its title alone that UPDATE fills in later. */
export const CREATE_APPLICATION_EXAMPLES: BodyExamples<CreateApplicationDto> = {
  wholeProposal: {
    summary: 'The whole proposal at once: EUR 2,500 of budget lines, the aiyl okmotu’s work as co-funding',
    value: {
      title: 'Жазы айылындагы мектепке таза суу',
      summary: 'Мектептин короосуна суу чыпкасы жана крант орнотулат; ишти ата-энелер өздөрү аткарышат.',
      problem: 'Балдар сууну үйдөн алып келишет: мектептин кудугундагы суу ичүүгө жараксыз.',
      activities: [
        { description: 'Суу чыпкасын сатып алуу жана орнотуу', start: '2027-04-01', end: '2027-04-30' },
        {
          description: 'Ата-энелер жана мугалимдер үчүн таза суу боюнча семинар',
          start: '2027-05-03',
          end: '2027-05-14',
        },
      ],
      participants: {
        women: 30,
        men: 20,
        youth: 150,
        byStakeholder: { local_government: 2, civil_society: 8, religious_organisation: 1 },
      },
      composition: { local_government: 1, civil_society: 3, religious_organisation: 1 },
      municipality: 'Zhazy',
      budget: [
        { category: 'Жабдуу', description: 'Суу чыпкасы жана крант', quantity: 1, unitCost: '1800.00' },
        { category: 'Материалдар', description: 'Суу түтүгү, метр менен', quantity: 40, unitCost: '12.50' },
        { category: 'Окутуу', description: 'Семинардын материалдары жана чай', quantity: 1, unitCost: '200.00' },
      ],
      coFunding: [{ source: 'Жазы айыл өкмөтү: түтүктү орнотуу иши', amount: '200.00', inKind: true }],
      eligibilityAnswers: { registered: true, co_funding: true },
    },
  },
  titleOnly: {
    summary: 'A draft with its title alone, for one of the caller’s groups; UPDATE fills in the rest',
    value: {
      title: 'Детская площадка в селе Юрьевка',
      groupId: 'f0c33baa-8667-4228-a0a5-8054297af7e0',
    },
  },
};

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

export const SCREENING_BATCH_EXAMPLES: BodyExamples<ScreeningBatchDto> = {
  screen: {
    summary: 'Two applications screened: one eligible, one not, with the reason the group is told',
    value: {
      items: [
        { applicationId: 'bc087f30-f3e8-4e5e-a81c-a53e0324cacb', type: 'SCREEN', decision: 'eligible' },
        {
          applicationId: 'c4a86908-0776-4193-9281-19c1cc08348c',
          type: 'SCREEN',
          decision: 'ineligible',
          reason: 'Проект выполняется в городе Ош, а не в одном из четырёх айыл аймаков программы.',
        },
      ],
    },
  },
  requestInfo: {
    summary: 'A group asked for more before its application is screened',
    value: {
      items: [
        {
          applicationId: '781ee691-0905-43aa-b75e-7ab68286b196',
          type: 'REQUEST_INFO',
          questions: ['Айыл өкмөтүнүн колдоо катын тиркеп коюңузчу.', 'Жабдууну сатып алууга топтун ким жооптуу?'],
        },
      ],
    },
  },
};

/** The pilot's round decided: five awards that spend the EUR 12,500, one on the waiting list, one refused. */
export const DECISION_BATCH_EXAMPLES: BodyExamples<DecisionBatchDto> = {
  round: {
    summary: 'The committee’s decisions on the seven proposals it reviewed: five funded, one waiting, one refused',
    value: {
      items: [
        { applicationId: 'bc087f30-f3e8-4e5e-a81c-a53e0324cacb', type: 'AWARD', amount: '2500.00' },
        { applicationId: '781ee691-0905-43aa-b75e-7ab68286b196', type: 'AWARD', amount: '2500.00' },
        { applicationId: '4aeb5e35-47e4-469e-a4f0-15489230a1a8', type: 'AWARD', amount: '2500.00' },
        { applicationId: 'bcdea33b-fa91-4b1c-b131-04b086d0b466', type: 'AWARD', amount: '2500.00' },
        { applicationId: 'cec0b2f6-726e-4d20-bd93-6bf65faa66a1', type: 'AWARD', amount: '2500.00' },
        { applicationId: '00a41231-345c-46ae-971e-25665ebf0ec9', type: 'WAITLIST' },
        {
          applicationId: '85cd3641-6e78-4cf2-be62-0b04d86cd04e',
          type: 'REJECT',
          reason:
            'Бюджетте «башка чыгымдар» деп жазылган 1 800 евро эмнеге жумшала турганы көрсөтүлгөн эмес, ошондуктан комитет долбоорду баалай алган жок.',
        },
      ],
    },
  },
};
