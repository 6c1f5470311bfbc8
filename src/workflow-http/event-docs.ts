import { ApiProperty, ApiSchema, getSchemaPath } from '@nestjs/swagger';
import { IsIn, IsString } from 'class-validator';
import type { ClassConstructor } from 'class-transformer';
import type { EventContract } from './event-contract';

/** One event type's body, as the API documents it: its DTO with `type` fixed to that event. */
export interface DocumentedEvent {
  type: string;
  schema: ClassConstructor<object>;
}

const pascal = (words: string) =>
  words
    .toLowerCase()
    .split(/[_\s-]+/)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');

/**
 * A class per event type, named for the machine and the event (`ApplicationAwardEvent`), whose `type`
 * allows that event alone. It is only read by the documentation, which derives it from validation
 * like any body; requests are still validated against the contract's own DTO.
 */
export function documentedEvents(contract: EventContract): DocumentedEvent[] {
  return Object.entries(contract.dtos).map(([type, dto]) => {
    const name = `${pascal(contract.machineId)}${pascal(type)}Event`;
    const schema = { [name]: class extends (dto as ClassConstructor<object>) {} }[name];
    ApiSchema({ name, description: contract.examples[type].summary })(schema);
    const property: PropertyDecorator[] = [
      IsString(),
      IsIn([type]),
      ApiProperty({ description: 'the event; it decides which fields the body has', example: type }),
    ];
    for (const decorate of property) decorate(schema.prototype, 'type');
    return { type, schema };
  });
}

/** The body of POST /{resource}/{id}/events: one of the event schemas, told apart by `type`, with an example of each. */
export function eventBody(events: DocumentedEvent[], contract: EventContract) {
  return {
    schema: {
      oneOf: events.map((e) => ({ $ref: getSchemaPath(e.schema) })),
      discriminator: {
        propertyName: 'type',
        mapping: Object.fromEntries(events.map((e) => [e.type, getSchemaPath(e.schema)])),
      },
    },
    examples: Object.fromEntries(
      events.map((e) => {
        const example = contract.examples[e.type];
        return [e.type, { summary: example.summary, value: { type: e.type, ...example.value } }];
      }),
    ),
  };
}
