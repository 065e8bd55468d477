import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { describe, expect, it } from 'vitest';
import { toOpenAiTool, toolParametersSchema } from './tool-schema.js';

class ScoreWeightsDto {
  @IsInt()
  @Min(0)
  @Max(10)
  title: number;
}

class ScoreLeadDto {
  @IsString()
  @MaxLength(50)
  lead_id: string;

  @IsOptional()
  @IsIn(['fit', 'intent'])
  focus?: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => ScoreWeightsDto)
  weights?: ScoreWeightsDto;
}

class NoParamsDto {}

describe('toolParametersSchema', () => {
  it('generates the JSON schema from the validating DTO, nested DTOs as $defs, extra properties refused', () => {
    expect(toolParametersSchema(ScoreLeadDto)).toEqual({
      type: 'object',
      properties: {
        lead_id: { type: 'string', maxLength: 50 },
        focus: { type: 'string', enum: ['fit', 'intent'] },
        weights: { $ref: '#/$defs/ScoreWeightsDto' },
      },
      required: ['lead_id'],
      additionalProperties: false,
      $defs: {
        ScoreWeightsDto: {
          type: 'object',
          properties: { title: { type: 'integer', minimum: 0, maximum: 10 } },
          required: ['title'],
          additionalProperties: false,
        },
      },
    });
  });

  it('declares a tool without parameters as an empty closed object', () => {
    expect(toolParametersSchema(NoParamsDto)).toEqual({ type: 'object', properties: {}, additionalProperties: false });
  });

  it('builds the OpenAI function tool declaration', () => {
    const tool = toOpenAiTool({
      name: 'score_lead',
      description: 'Scores a lead',
      parameters: ScoreLeadDto,
      execute: () => Promise.resolve(null),
    });
    expect(tool).toEqual({
      type: 'function',
      function: { name: 'score_lead', description: 'Scores a lead', parameters: toolParametersSchema(ScoreLeadDto) },
    });
  });
});
