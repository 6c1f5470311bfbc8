import 'reflect-metadata';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsString, IsUUID, Max, Min } from 'class-validator';
import { IsAmount, IsText, NestedObject, NestedObjects, Nullable, Optional } from './dto';
import { propertySchema, validatedClasses } from './validation-schema';

class Place {
  @IsText(100) municipality!: string;
}

class Sample {
  @IsText(300) title!: string;
  @Optional() @IsInt() @Min(1) @Max(20) reviewers?: number;
  @Nullable() @IsInt() @Min(1) limit?: number | null;
  @Optional() @IsIn(['raw', 'normalised']) rankBy?: string;
  @Nullable() @IsIn(['fund', 'do_not_fund', null]) recommendation?: string | null;
  @IsArray() @ArrayMaxSize(5) @IsIn(['a', 'b'], { each: true }) groups!: string[];
  @IsUUID() callId!: string;
  @IsAmount() amount!: string;
  @IsBoolean() required!: boolean;
  @NestedObject(() => Place) place!: Place;
  @Optional() @NestedObjects(() => Place) @ArrayMaxSize(3) places?: Place[];
  @IsString() type!: string;
}

const schemaOf = (property: string) => {
  const metas = validatedClasses().get(Sample)!.get(property)!;
  return propertySchema(Sample, property, metas);
};

describe('a property documented from its validation', () => {
  it('says text, its length, and that it is required', () => {
    expect(schemaOf('title')).toEqual({ required: true, type: 'string', minLength: 1, maxLength: 300 });
  });

  it('says an Optional field is not required, and its bounds', () => {
    expect(schemaOf('reviewers')).toEqual({ required: false, type: 'integer', minimum: 1, maximum: 20 });
  });

  it('says a Nullable field may be null', () => {
    expect(schemaOf('limit')).toMatchObject({ required: false, nullable: true, type: 'integer' });
  });

  it('gives IsIn as an enum of its type, null as nullable', () => {
    expect(schemaOf('rankBy')).toEqual({ required: false, type: 'string', enum: ['raw', 'normalised'] });
    expect(schemaOf('recommendation')).toEqual({
      required: false,
      nullable: true,
      type: 'string',
      enum: ['fund', 'do_not_fund'],
    });
  });

  it('puts the rules of each item on the items and of the list on the array', () => {
    expect(schemaOf('groups')).toEqual({
      required: true,
      type: 'array',
      maxItems: 5,
      items: { type: 'string', enum: ['a', 'b'] },
    });
  });

  it('gives formats and patterns', () => {
    expect(schemaOf('callId')).toEqual({ required: true, type: 'string', format: 'uuid' });
    expect(schemaOf('amount')).toMatchObject({ type: 'string', pattern: '^\\d{1,16}(\\.\\d{1,4})?$' });
    expect(schemaOf('required')).toEqual({ required: true, type: 'boolean' });
  });

  it('refers a nested object, or a list of them, to its class', () => {
    expect(schemaOf('place')).toEqual({ required: true, type: Place, isArray: false });
    expect(schemaOf('places')).toEqual({ required: false, type: Place, isArray: true, maxItems: 3 });
  });

  it('lists every validated class with its properties, inherited ones included', () => {
    class Child extends Sample {
      @IsString() extra!: string;
    }
    const properties = validatedClasses().get(Child)!;
    expect([...properties.keys()]).toEqual(expect.arrayContaining(['extra', 'title', 'places']));
  });
});
