import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { ManifestRoute } from './route-manifest.js';

export type RegistrationStatus = 'registered' | 'failed';
export type RegistrationTrigger = 'api' | 'startup';

/** One attempt to register the route manifest with the Brain API, successful or not. */
@Entity('brain_registrations')
export class BrainRegistrationEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('text')
  brainUrl: string;

  @Column('text')
  crewSystemUrl: string;

  @Column('jsonb')
  routes: ManifestRoute[];

  @Column('integer')
  routeCount: number;

  @Column('varchar')
  manifestHash: string;

  @Column('varchar')
  status: RegistrationStatus;

  @Column('integer', { nullable: true })
  httpStatus: number | null;

  @Column('jsonb', { nullable: true })
  response: unknown;

  @Column('text', { nullable: true })
  error: string | null;

  @Column('integer', { default: 1 })
  attempts: number;

  @Column('varchar')
  trigger: RegistrationTrigger;

  @Column({ type: 'timestamptz', precision: 3, default: () => 'now()' })
  createdAt: Date;
}
