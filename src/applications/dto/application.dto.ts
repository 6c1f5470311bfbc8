import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { EventDto, IsAmount, IsText } from '../../common/dto';

export class CreateApplicationDto {
  @IsText(300)
  title!: string;

  @IsAmount()
  requestedAmount!: string;

  /** The initiative group applying; may be left out by a member of exactly one group. */
  @IsOptional() @IsUUID()
  groupId?: string;
}

export class UpdateDraftEventDto extends EventDto {
  @IsOptional() @IsText(300) title?: string;
  @IsOptional() @IsAmount() requestedAmount?: string;
}

class TextListEventDto extends EventDto {}

function IsTextList() {
  return (target: object, property: string) => {
    ApiProperty({ type: [String] })(target, property);
    ArrayMinSize(1)(target, property);
    ArrayMaxSize(50)(target, property);
    IsString({ each: true })(target, property);
    MaxLength(4000, { each: true })(target, property);
    Matches(/^[^\u0000]*\S[^\u0000]*$/, { each: true, message: 'each of $property must be non-empty text without NUL characters' })(target, property);
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

  @IsOptional() @IsText(2000) reason?: string;
}

export class AwardEventDto extends EventDto {
  @IsAmount()
  amount!: string;

  @IsOptional() @IsText(2000) reason?: string;
}

export class OptionalReasonEventDto extends EventDto {
  @IsOptional() @IsText(2000) reason?: string;
}
