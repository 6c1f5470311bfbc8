import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { RANK_BY, type RankBy } from '../../../workflows/call.machine';
import { RECOMMENDATIONS, type Recommendation } from '../../../workflows/review.machine';
import { EventDto, IsText, Optional, Nullable, NestedObjects, type BodyExamples } from '../../common/dto';

export class SaveReviewEventDto extends EventDto {
  @ApiPropertyOptional({
    type: [Number],
    description: 'one per criterion, in the call’s order: a whole number on the call’s scale, or null',
  })
  @Optional()
  @IsArray()
  @ArrayMaxSize(50)
  scores?: (number | null)[];

  @ApiPropertyOptional({ type: [String], description: 'one per criterion, in the call’s order' })
  @Optional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(4000, { each: true })
  comments?: string[];

  @Optional()
  @IsString()
  @MaxLength(8000)
  overallComment?: string;

  @ApiPropertyOptional({ enum: RECOMMENDATIONS, nullable: true })
  @Nullable()
  @IsIn([...RECOMMENDATIONS, null])
  recommendation?: Recommendation | null;
}

export class ReopenDto {
  @IsText(2000) reason!: string;
}

export const REOPEN_EXAMPLES: BodyExamples<ReopenDto> = {
  scoreAndComment: {
    summary: 'The chair asks the reviewer to look again at a score its comment contradicts',
    value: {
      reason:
        'Балл по критерию «Реалистичность» (1 из 5) не сходится с комментарием «план выполним»: пересмотрите, пожалуйста.',
    },
  },
};

export class ConflictBodyDto {
  @IsBoolean() conflicted!: boolean;
  @Optional() @IsText(2000) reason?: string;
}

export const CONFLICT_EXAMPLES: BodyExamples<ConflictBodyDto> = {
  conflicted: {
    summary: 'A conflict of interest, with its reason: the member will neither see nor score the proposal',
    value: { conflicted: true, reason: 'Я состою в этой инициативной группе.' },
  },
  none: { summary: 'No conflict with this proposal', value: { conflicted: false } },
};

class DeclarationDto extends ConflictBodyDto {
  @IsUUID() applicationId!: string;
}

export class DeclarationsDto {
  @ApiProperty({ type: [DeclarationDto] })
  @NestedObjects(() => DeclarationDto)
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  items!: DeclarationDto[];
}

export const DECLARATIONS_EXAMPLES: BodyExamples<DeclarationsDto> = {
  oneConflict: {
    summary: 'A member’s declarations on three proposals: a conflict on one, none on the others',
    value: {
      items: [
        {
          applicationId: 'bc087f30-f3e8-4e5e-a81c-a53e0324cacb',
          conflicted: true,
          reason: 'Топтун жетекчиси менин карындашым.',
        },
        { applicationId: '781ee691-0905-43aa-b75e-7ab68286b196', conflicted: false },
        { applicationId: '4aeb5e35-47e4-469e-a4f0-15489230a1a8', conflicted: false },
      ],
    },
  },
};

export class VisibilityDto {
  @IsBoolean() scoresHiddenUntilComplete!: boolean;
}

export const VISIBILITY_EXAMPLES: BodyExamples<VisibilityDto> = {
  hidden: {
    summary: 'Members see one another’s scores only once every review of an application is in',
    value: { scoresHiddenUntilComplete: true },
  },
};

const optionalNumber = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : Number(value);

export class RankingQueryDto {
  @ApiPropertyOptional({ enum: RANK_BY, description: 'default: the call’s choice' })
  @Optional()
  @IsIn(RANK_BY)
  rankBy?: RankBy;

  @ApiPropertyOptional({ description: 'no funding proposed below this score (of 100); default: the call’s' })
  @Optional()
  @Transform(optionalNumber)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(100)
  minimumScore?: number;

  @ApiPropertyOptional({
    description: 'at most this many awards per municipality in the proposals; 0: no limit; default: the call’s',
  })
  @Optional()
  @Transform(optionalNumber)
  @IsInt()
  @Min(0)
  @Max(1000)
  maxAwardsPerMunicipality?: number;
}

export class ReassignDto {
  @ApiPropertyOptional({
    description: 'the committee member’s user id: the member whose draft review is taken away',
  })
  @Optional()
  @IsUUID()
  from?: string;

  @ApiProperty({ description: 'the committee member’s user id: the member who gets the review' })
  @IsUUID()
  to!: string;

  @Optional() @IsText(2000) reason?: string;
}

export const REASSIGN_EXAMPLES: BodyExamples<ReassignDto> = {
  replace: {
    summary: 'Give the review to another member, taking the draft away from one who cannot finish it',
    value: {
      from: '9d47eccd-e2ac-432c-8fa1-3fbd6de3f4cb',
      to: '1dd1ef98-8ed9-4597-9c35-1e4e387f23ea',
      reason: 'Член комитета в командировке до конца срока оценки.',
    },
  },
  addReviewer: {
    summary: 'One more reviewer, taking nothing away: the scores disagree',
    value: { to: '6600f4dd-09f2-4e86-b684-20b658d1fee1' },
  },
};
