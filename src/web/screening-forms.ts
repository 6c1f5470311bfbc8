import { ArrayMaxSize, ArrayMinSize, IsIn, IsString, IsUUID, Matches, MaxLength, ValidateIf } from 'class-validator';
import type { ScreeningItemDto } from '../applications/dto/application.dto';

/** What a manager may decide of an application in screening, as the form's radios name it. */
export const OUTCOMES = ['eligible', 'ineligible', 'more_info'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** As many questions as one REQUEST_INFO may carry, each as long. */
const MAX_QUESTIONS = 50;
const MAX_QUESTION = 4000;

/**
 * The decision of the screening form: eligible; ineligible with the reason the group reads; or
 * questions for the group, one a line. The machine checks the same again when the event is sent.
 */
export class ScreeningForm {
  @IsIn(OUTCOMES, { message: 'web.screening.error.outcome' })
  outcome!: Outcome;

  @ValidateIf((form: ScreeningForm) => form.outcome === 'ineligible')
  @IsString({ message: 'web.screening.error.reason' })
  @Matches(/\S/, { message: 'web.screening.error.reason' })
  @MaxLength(2000, { message: 'web.screening.error.reasonTooLong' })
  reason!: string;

  @ValidateIf((form: ScreeningForm) => form.outcome === 'more_info')
  @ArrayMinSize(1, { message: 'web.screening.error.questions' })
  @ArrayMaxSize(MAX_QUESTIONS, { message: 'web.screening.error.tooManyQuestions' })
  @MaxLength(MAX_QUESTION, { each: true, message: 'web.screening.error.questionTooLong' })
  questions!: string[];
}

/** The applications a bulk decision is for: at least one. */
export class ChosenApplications {
  @ArrayMinSize(1, { message: 'web.screening.error.chooseOne' })
  @ArrayMaxSize(200, { message: 'web.screening.error.tooManyChosen' })
  @IsUUID('all', { each: true, message: 'web.screening.error.chooseOne' })
  applications!: string[];
}

/** The screening pages' forms: validated like the API's bodies, but not part of the API. */
export const SCREENING_FORMS = [ScreeningForm, ChosenApplications];

/** The questions of the textarea: one a line, blank lines left out. */
export function questionLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
}

/** A posted field that may come once or several times (checkboxes), as a list of strings. */
export function listField(body: unknown, name: string): string[] {
  const value = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[name] : undefined;
  const values = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return values.filter((v): v is string => typeof v === 'string');
}

/** The machine's event for a decision of the form, as the API's batch item carries it without its application. */
export function eventOf(form: ScreeningForm): Omit<ScreeningItemDto, 'applicationId'> {
  switch (form.outcome) {
    case 'eligible':
      return { type: 'SCREEN', decision: 'eligible' };
    case 'ineligible':
      return { type: 'SCREEN', decision: 'ineligible', reason: form.reason };
    case 'more_info':
      return { type: 'REQUEST_INFO', questions: form.questions };
  }
}
