import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { Nullable } from '../../../common/validation.js';
import { CONTENT_TYPES } from '../algorithms/content-outline.js';
import { BODY_FORMATS, CONTENT_STATUSES } from '../entities/content-item.entity.js';

export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const SLUG_MESSAGE = 'slug must be lower-case letters and digits separated by single hyphens (e.g. "spring-sale-2026")';
export const MAX_BODY_CHARS = 200_000;

export class CreateContentParams {
  @IsString()
  @Length(1, 300)
  title: string;

  /** Derived from the title when absent. Unique per tenant. */
  @IsOptional()
  @Matches(SLUG_PATTERN, { message: SLUG_MESSAGE })
  @MaxLength(200)
  slug?: string;

  @IsOptional()
  @IsString()
  @MaxLength(MAX_BODY_CHARS)
  body?: string;

  @IsOptional()
  @IsIn(BODY_FORMATS)
  format?: string;

  @IsOptional()
  @IsString()
  @MaxLength(500)
  meta_description?: string;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  keywords?: string[];

  @IsOptional()
  @IsString()
  @MaxLength(200)
  author?: string;

  @IsOptional()
  @IsIn(CONTENT_STATUSES)
  status?: string;
}

export class UpdateContentParams {
  @IsUUID()
  content_id: string;

  @IsOptional()
  @IsString()
  @Length(1, 300)
  title?: string;

  @IsOptional()
  @Matches(SLUG_PATTERN, { message: SLUG_MESSAGE })
  @MaxLength(200)
  slug?: string;

  @IsOptional()
  @IsString()
  @MaxLength(MAX_BODY_CHARS)
  body?: string;

  @IsOptional()
  @IsIn(BODY_FORMATS)
  format?: string;

  /** null clears it. */
  @IsOptional()
  @Nullable()
  @IsString()
  @MaxLength(500)
  meta_description?: string | null;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  keywords?: string[];

  /** null clears it. */
  @IsOptional()
  @Nullable()
  @IsString()
  @MaxLength(200)
  author?: string | null;
}

export class ContentIdParams {
  @IsUUID()
  content_id: string;
}

export class GetContentParams {
  @IsOptional()
  @IsUUID()
  content_id?: string;

  @IsOptional()
  @Matches(SLUG_PATTERN, { message: SLUG_MESSAGE })
  @MaxLength(200)
  slug?: string;
}

export class ListContentParams {
  @IsOptional()
  @IsIn(CONTENT_STATUSES)
  status?: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  author?: string;

  /** Case-insensitive match in the title. */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  search?: string;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;
}

export class SyncContentParams {
  /** Upstream returning content items as JSON; CMS_SYNC_URL when absent. Checked by the outbound guard. */
  @IsOptional()
  @IsUrl(
    { protocols: ['http', 'https'], require_protocol: true, require_tld: false },
    { message: 'source_url must be an absolute http(s) URL' },
  )
  @MaxLength(2000)
  source_url?: string;

  @IsOptional()
  @IsInt()
  @Min(100)
  @Max(120_000)
  timeout_ms?: number;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(5)
  max_retries?: number;
}

/** A content item given inline to the SEO audit. */
export class PostedContent {
  @IsString()
  @MaxLength(300)
  title: string;

  @IsString()
  @MaxLength(MAX_BODY_CHARS)
  body: string;

  @IsOptional()
  @IsIn(BODY_FORMATS)
  format?: string;

  @IsOptional()
  @IsString()
  @MaxLength(500)
  meta_description?: string;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  keywords?: string[];
}

export class ContentOptimizationParams {
  /** A stored item to audit… */
  @IsOptional()
  @IsUUID()
  content_id?: string;

  /** …or an item posted inline. */
  @IsOptional()
  @ValidateNested()
  @Type(() => PostedContent)
  content?: PostedContent;

  /** Target keywords; the item's keywords when absent. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  target_keywords?: string[];

  /** Host names whose absolute links count as internal (relative links always do). */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(253, { each: true })
  site_hosts?: string[];
}

export class ContentGenerationParams {
  @IsString()
  @Length(3, 200)
  topic: string;

  /** The first is the primary keyword. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  keywords?: string[];

  @IsOptional()
  @IsString()
  @MaxLength(100)
  audience?: string;

  @IsOptional()
  @IsIn(CONTENT_TYPES)
  content_type?: string;

  @IsOptional()
  @IsInt()
  @Min(100)
  @Max(10_000)
  target_words?: number;

  @IsOptional()
  @IsString()
  @MaxLength(100)
  tone?: string;
}
