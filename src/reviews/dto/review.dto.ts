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
import { EventDto, IsText, Optional, Nullable, NestedObjects } from '../../common/dto';

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

export class ConflictBodyDto {
  @IsBoolean() conflicted!: boolean;
  @Optional() @IsText(2000) reason?: string;
}

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

export class VisibilityDto {
  @IsBoolean() scoresHiddenUntilComplete!: boolean;
}

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
