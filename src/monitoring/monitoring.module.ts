import { Module, type OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ActiveTasks } from '../execution/active-tasks.js';
import { ExecutionModule } from '../execution/execution.module.js';
import { QueueService } from '../execution/queue.service.js';
import { TaskEvents } from '../execution/task-events.js';
import { AlertEntity } from './alerts/alert.entity.js';
import { AlertService } from './alerts/alert.service.js';
import { AlertWebhook } from './alerts/alert-webhook.js';
import { ExportService } from './export.service.js';
import { CrewMetrics } from './metrics/crew-metrics.service.js';
import { MetricsController } from './metrics/metrics.controller.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { MonitoringController } from './monitoring.controller.js';
import { MonitoringStateService } from './monitoring-state.service.js';
import { OptimizerService } from './optimizer/optimizer.service.js';
import { PerformanceController } from './performance.controller.js';
import { PerformanceService } from './performance.service.js';
import { RetentionService } from './retention.service.js';
import { StatusService } from './status.service.js';

/**
 * Self-monitoring: status and statistics, performance reports, alerts, the optimizer, retention, and the
 * Prometheus endpoint. Every report is computed from the database, so all instances answer alike.
 */
@Module({
  imports: [TypeOrmModule.forFeature([AlertEntity]), ExecutionModule, MetricsModule],
  controllers: [MonitoringController, PerformanceController, MetricsController],
  providers: [
    MonitoringStateService,
    AlertWebhook,
    AlertService,
    OptimizerService,
    PerformanceService,
    ExportService,
    StatusService,
    RetentionService,
  ],
  exports: [AlertService, OptimizerService],
})
export class MonitoringModule implements OnModuleInit {
  constructor(
    private readonly metrics: CrewMetrics,
    private readonly events: TaskEvents,
    private readonly queue: QueueService,
    private readonly active: ActiveTasks,
  ) {}

  onModuleInit(): void {
    this.metrics.setSources({ queueDepth: () => this.queue.depth(), activeWorkflows: () => this.active.size });
    this.events.onFinished((task) => this.metrics.recordTask(task));
  }
}
