import { Header, applyDecorators } from '@nestjs/common';
import { ApiOkResponse, ApiProduces } from '@nestjs/swagger';

/** A route answering a CSV download: documented as text/csv with an example, sent as UTF-8. */
export function CsvResponse(description: string, example: string): MethodDecorator {
  return applyDecorators(
    ApiProduces('text/csv'),
    ApiOkResponse({ description, content: { 'text/csv': { schema: { type: 'string', example } } } }),
    Header('Content-Type', 'text/csv; charset=utf-8'),
  );
}
