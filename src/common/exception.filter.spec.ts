import { BadRequestException, type ArgumentsHost } from '@nestjs/common';
import { NotFoundError, UniqueConstraintViolationException } from '@mikro-orm/core';
import { DomainError, ErrorCode } from './domain-error';
import { GlobalExceptionFilter } from './exception.filter';
import { fieldRefused } from './validation';
import { translate } from '../i18n/translate';

/** What the filter answers for an exception, through a response that records what it is given. */
function answer(exception: unknown, from: { headers?: Record<string, string>; user?: { locale: string } } = {}) {
  const sent: { status?: number; body?: unknown; headers: Record<string, string> } = { headers: {} };
  const response = {
    setHeader: (name: string, value: string) => void (sent.headers[name.toLowerCase()] = value),
    status(code: number) {
      sent.status = code;
      return this;
    },
    json: (body: unknown) => void (sent.body = body),
  };
  const request = { id: 'correlation-1', method: 'GET', path: '/x', headers: {}, ...from };
  const host = {
    switchToHttp: () => ({ getRequest: () => request, getResponse: () => response }),
  } as unknown as ArgumentsHost;
  new GlobalExceptionFilter().catch(exception, host);
  return sent;
}

describe('GlobalExceptionFilter', () => {
  const refusal = () =>
    DomainError.because(
      ErrorCode.GuardFailed,
      [
        { key: 'call.weightsSumTo100', params: { sum: 90 } },
        { key: 'call.described', params: {} },
      ],
      {
        failedConditions: ['weightsSumTo100', 'described'],
      },
    );

  it('words a refusal in English where the engine made it, keeping each key and its parameters', () => {
    expect(refusal().message).toBe(
      'The weights of the criteria add up to 90, not 100. The call has no description in any language.',
    );
  });

  it("answers a refusal in the reader's own language, then in the best of Accept-Language", () => {
    const ru = answer(refusal(), { user: { locale: 'ru' }, headers: { 'accept-language': 'ky' } });
    expect(ru.body).toMatchObject({
      error: {
        code: 'GUARD_FAILED',
        message: 'Сумма весов критериев — 90, а должна быть 100. У конкурса нет описания ни на одном языке.',
        details: {
          failedConditions: ['weightsSumTo100', 'described'],
          reasons: [
            {
              key: 'call.weightsSumTo100',
              params: { sum: 90 },
              message: 'Сумма весов критериев — 90, а должна быть 100.',
            },
            { key: 'call.described', params: {}, message: 'У конкурса нет описания ни на одном языке.' },
          ],
        },
      },
    });
    const ky = answer(refusal(), { headers: { 'accept-language': 'ky-KG, ru;q=0.8' } });
    expect(ky.body).toMatchObject({
      error: { message: expect.stringMatching(/^Критерийлердин салмактарынын суммасы 90/) },
    });
    expect(answer(refusal()).body).toMatchObject({ error: { message: refusal().message } });
  });

  it('answers the ORM failing to find a row with 404, not 500', () => {
    const sent = answer(NotFoundError.findOneFailed('Application', { id: '2b5aab59-cff5-4f59-916d-2f464d665bda' }));
    expect(sent.status).toBe(404);
    expect(sent.body).toMatchObject({
      error: { code: 'NOT_FOUND', details: { reasons: [{ key: 'record.gone' }] } },
      correlationId: 'correlation-1',
    });
  });

  it('answers two requests racing to make the same unique record with 409 for the loser, not 500', () => {
    const sent = answer(
      new UniqueConstraintViolationException(
        new Error('duplicate key value violates unique constraint "app_user_email_unique"'),
      ),
    );
    expect(sent.status).toBe(409);
    expect(sent.body).toMatchObject({
      error: {
        code: 'CONFLICT',
        message: expect.stringContaining('Try again'),
        details: { reasons: [{ key: 'request.raced' }] },
      },
    });
  });

  it('names the body when the parser could not read it', () => {
    const sent = answer(
      new BadRequestException('Unexpected end of JSON input', {
        cause: new SyntaxError('Unexpected end of JSON input'),
      }),
    );
    expect(sent.status).toBe(400);
    expect(sent.body).toMatchObject({
      error: { code: 'VALIDATION_FAILED', details: { fields: [{ field: '(body)' }] } },
    });
  });

  it("words a field refused from the catalogue in the reader's language, in the message and under the field", () => {
    const sent = answer(fieldRefused('(body)', 'validation.bodyObject'), { headers: { 'accept-language': 'ru' } });
    const ru = translate('ru', 'validation.bodyObject');
    expect(sent.body).toMatchObject({
      error: { code: 'VALIDATION_FAILED', message: ru, details: { fields: [{ field: '(body)', problems: [ru] }] } },
    });
  });

  it('always answers JSON, whatever type the route had set', () => {
    expect(answer(new Error('boom')).headers['content-type']).toMatch(/^application\/json/);
  });
});
