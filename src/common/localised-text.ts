import { ApiPropertyOptional } from '@nestjs/swagger';
import type { Localised } from '../../workflows/localised';

/** A text as a programme wrote it, in some of its applicants' languages: a reader is shown theirs, else another. */
export class LocalisedText implements Localised {
  @ApiPropertyOptional({ description: 'Kyrgyz', example: 'Гүлстан айыл аймагындагы жамааттык демилгелер' })
  ky?: string;

  @ApiPropertyOptional({ description: 'Russian', example: 'Общественные инициативы в Гулистанском айыльном аймаке' })
  ru?: string;

  @ApiPropertyOptional({ description: 'English', example: 'Community initiatives in Gulistan aiyl aimak' })
  en?: string;
}
