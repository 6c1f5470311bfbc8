import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ErrorCode } from './domain-error';

export class ErrorDetail {
  @ApiProperty({ enum: Object.values(ErrorCode), enumName: 'ErrorCode', example: ErrorCode.GuardFailed })
  code!: ErrorCode;

  @ApiProperty({
    description: 'the refusal as sentences in the reader’s language (the user’s own, else Accept-Language)',
    example: 'The weights of the criteria add up to 90, not 100.',
  })
  message!: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description:
      'left out when empty; for clients: `reasons` lists each sentence’s catalogue key and parameters; `fields` lists each refused field with its `problems`',
    example: {
      reasons: [
        {
          key: 'call.weightsSumTo100',
          params: { sum: 90 },
          message: 'The weights of the criteria add up to 90, not 100.',
        },
      ],
    },
  })
  details?: Record<string, unknown>;
}

/** The body of every refusal (4xx) and failure (5xx). */
export class ErrorView {
  @ApiProperty({ type: () => ErrorDetail })
  error!: ErrorDetail;

  @ApiProperty({
    description: 'names this request in the service’s log',
    example: 'b1e0c6de-8c1a-4f0e-9d3b-6f2a1c0e7d55',
  })
  correlationId!: string;
}
