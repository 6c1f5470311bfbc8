import { BadRequestException, type ArgumentsHost } from '@nestjs/common';
import { NotFoundError, UniqueConstraintViolationException } from '@mikro-orm/core';
import { GlobalExceptionFilter } from './exception.filter';

/** What the filter answers for an exception, through a response that records what it is given. */
function answer(exception: unknown) {
  const sent: { status?: number; body?: unknown; headers: Record<string, string> } = { headers: {} };
  const response = {
    setHeader: (name: string, value: string) => void (sent.headers[name.toLowerCase()] = value),
    status(code: number) {
      sent.status = code;
      return this;
    },
    json: (body: unknown) => void (sent.body = body),
  };
  const request = { id: 'correlation-1', method: 'GET', path: '/x' };
  const host = { switchToHttp: () => ({ getRequest: () => request, getResponse: () => response }) } as unknown as ArgumentsHost;
  new GlobalExceptionFilter().catch(exception, host);
  return sent;
}

describe('GlobalExceptionFilter', () => {
  it('answers the ORM failing to find a row with 404, not 500', () => {
    const sent = answer(NotFoundError.findOneFailed('Application', { id: '2b5aab59-cff5-4f59-916d-2f464d665bda' }));
    expect(sent.status).toBe(404);
    expect(sent.body).toEqual({ error: { code: 'NOT_FOUND', message: 'not found' }, correlationId: 'correlation-1' });
  });

  it('answers two requests racing to make the same unique record with 409 for the loser, not 500', () => {
    const sent = answer(new UniqueConstraintViolationException(new Error('duplicate key value violates unique constraint "app_user_email_unique"')));
    expect(sent.status).toBe(409);
    expect(sent.body).toMatchObject({ error: { code: 'CONFLICT', message: expect.stringContaining('try again') } });
  });

  it('names the body when the parser could not read it', () => {
    const sent = answer(new BadRequestException('Unexpected end of JSON input', { cause: new SyntaxError('Unexpected end of JSON input') }));
    expect(sent.status).toBe(400);
    expect(sent.body).toMatchObject({ error: { code: 'VALIDATION_FAILED', details: { fields: [{ field: '(body)' }] } } });
  });

  it('always answers JSON, whatever type the route had set', () => {
    expect(answer(new Error('boom')).headers['content-type']).toMatch(/^application\/json/);
  });
});
