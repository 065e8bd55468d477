import { Global, Module } from '@nestjs/common';
import { CatalogueController } from './catalogue.controller.js';
import { DelegationService } from './delegation.service.js';
import { TaskTypeRegistry } from './task-type.registry.js';

/** Global: every domain module registers its task types here; the execution layer asks it how to run a task. */
@Global()
@Module({
  controllers: [CatalogueController],
  providers: [TaskTypeRegistry, DelegationService],
  exports: [TaskTypeRegistry, DelegationService],
})
export class DelegationModule {}
