import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const CONTENT_STATUSES = ['draft', 'published'] as const;
export type ContentStatus = (typeof CONTENT_STATUSES)[number];

export const BODY_FORMATS = ['markdown', 'html'] as const;
export type BodyFormat = (typeof BODY_FORMATS)[number];

/** One page, post or article of a tenant. */
@Entity('content_items')
export class ContentItemEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('varchar')
  tenantId: string;

  @Column('varchar', { nullable: true })
  externalId: string | null;

  @Column('varchar')
  title: string;

  @Column('varchar')
  slug: string;

  @Column('text', { default: '' })
  body: string;

  @Column('varchar', { default: 'markdown' })
  format: BodyFormat;

  @Column('varchar', { nullable: true })
  metaDescription: string | null;

  @Column('jsonb', { default: [] })
  keywords: string[];

  @Column('varchar', { default: 'draft' })
  status: ContentStatus;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  publishedAt: Date | null;

  @Column('varchar', { nullable: true })
  author: string | null;

  @Column({ type: 'timestamptz', precision: 3, default: () => 'now()' })
  createdAt: Date;

  @Column({ type: 'timestamptz', precision: 3, default: () => 'now()' })
  updatedAt: Date;
}
