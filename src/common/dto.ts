import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, Matches, MaxLength, registerDecorator, type ValidationArguments, type ValidationOptions } from 'class-validator';
import { isCurrency } from '../../workflows/currencies';

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
          defaultMessage: (args?: ValidationArguments) => `${args?.property} must be an ISO 4217 currency code such as EUR or KGS`,
        },
      }),
  );
}

/** Non-empty text of bounded length, without NUL characters (PostgreSQL refuses them). */
export function IsText(max: number, options: ValidationOptions = {}) {
  return applyDecorators(
    ApiProperty({ maxLength: max }),
    IsString(options),
    IsNotEmpty(options),
    MaxLength(max, options),
    Matches(/^[^\u0000]*$/, { ...options, message: '$property must not contain NUL characters' }),
  );
}

/** Every event body names its type; each event's DTO adds its own fields. */
export class EventDto {
  @ApiProperty()
  @IsString()
  type!: string;
}

/** An event that carries nothing but its type. */
export class NoPayloadEventDto extends EventDto {}

/** An event that must say why (cancel, reject, terminate...). */
export class ReasonEventDto extends EventDto {
  @IsText(2000)
  reason!: string;
}
