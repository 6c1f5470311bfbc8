import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsArray,
  IsNotEmpty,
  IsObject,
  IsString,
  Matches,
  MaxLength,
  ValidateIf,
  ValidateNested,
  registerDecorator,
  type ValidationArguments,
  type ValidationOptions,
} from 'class-validator';
import { isCurrency } from '../../workflows/currencies';

// NUL and lone surrogates are refused in every field, by the walk in validation.ts, not here.

/** Marks what Optional and Nullable allow, for the API's documentation (src/common/validation-schema.ts). */
export const PRESENCE = 'grants:presence';
export type Presence = 'optional' | 'nullable';
/** Marks the class of a nested object, for the API's documentation. */
export const NESTED_CLASS = 'grants:nested-class';

const mark =
  (key: string, value: unknown): PropertyDecorator =>
  (target, property) =>
    Reflect.defineMetadata(key, value, target, property);

/**
 * A field that may be left out. Null is not leaving it out: it is refused like any other wrong value,
 * so that no optional field ever holds null unless it says what null means (see Nullable).
 */
export function Optional() {
  return applyDecorators(
    ValidateIf((_: object, value: unknown) => value !== undefined),
    mark(PRESENCE, 'optional' satisfies Presence),
  );
}

/** A field that may be left out, or be null where null has a meaning its documentation gives ("no limit"). */
export function Nullable() {
  return applyDecorators(
    ValidateIf((_: object, value: unknown) => value !== undefined && value !== null),
    mark(PRESENCE, 'nullable' satisfies Presence),
  );
}

/** One nested object of class `cls`: an array, text or number in its place is refused. */
export function NestedObject(cls: () => new () => object) {
  return applyDecorators(IsObject(), ValidateNested(), Type(cls), mark(NESTED_CLASS, { cls, each: false }));
}

/** An array of objects of class `cls`: an array, text or number in place of one of them is refused. */
export function NestedObjects(cls: () => new () => object) {
  return applyDecorators(
    IsArray(),
    IsObject({ each: true }),
    ValidateNested({ each: true }),
    Type(cls),
    mark(NESTED_CLASS, { cls, each: true }),
  );
}

/** A decimal amount on the wire: "2500.00". Whether its decimals fit the currency is checked on conversion. */
export function IsAmount() {
  return applyDecorators(
    ApiProperty({ type: 'string', example: '2500.00' }),
    IsString(),
    Matches(/^\d{1,16}(\.\d{1,4})?$/, { message: '$property must be a decimal amount like "2500.00"' }),
  );
}

export function IsCurrencyCode() {
  return applyDecorators(
    ApiProperty({ example: 'EUR', description: 'ISO 4217 code' }),
    IsString(),
    (target: object, property: string | symbol) =>
      registerDecorator({
        name: 'isCurrencyCode',
        target: target.constructor,
        propertyName: String(property),
        validator: {
          validate: (value: unknown) => typeof value === 'string' && isCurrency(value),
          defaultMessage: (args?: ValidationArguments) =>
            `${args?.property} must be an ISO 4217 currency code such as EUR or KGS`,
        },
      }),
  );
}

/** Non-empty text of bounded length. */
export function IsText(max: number, options: ValidationOptions = {}) {
  return applyDecorators(IsString(options), IsNotEmpty(options), MaxLength(max, options));
}

/** Every event body names its type; each event's DTO adds its own fields. */
export class EventDto {
  @ApiProperty()
  @IsString()
  type!: string;
}

/**
 * Named examples of a request body for @ApiBody, each typed as its DTO so that a renamed field fails to
 * compile; test/openapi.e2e-spec.ts checks that each passes the route's validation.
 */
export type BodyExamples<T> = Record<string, { summary: string; value: T }>;

/** An event that carries nothing but its type. */
export class NoPayloadEventDto extends EventDto {}

/** An event that must say why (cancel, reject, terminate...). */
export class ReasonEventDto extends EventDto {
  @IsText(2000)
  reason!: string;
}
