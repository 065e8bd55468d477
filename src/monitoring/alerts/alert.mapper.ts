import type { AlertDto } from '../dto/alert-response.dto.js';
import type { AlertEntity } from './alert.entity.js';

export function toAlertDto(alert: AlertEntity): AlertDto {
  return {
    id: alert.id,
    level: alert.level,
    message: alert.message,
    metric_type: alert.metricType,
    current_value: alert.currentValue,
    threshold: alert.threshold,
    affected_components: alert.affectedComponents,
    suggested_actions: alert.suggestedActions,
    timestamp: alert.createdAt.toISOString(),
    window_minutes: alert.windowMinutes,
    webhook_status: alert.webhookStatus,
  };
}

/** What ALERT_WEBHOOK_URL receives: DESIGN.md §10's alert shape and where it came from. */
export function toWebhookPayload(alert: AlertEntity): Record<string, unknown> {
  const { webhook_status: _status, ...shape } = toAlertDto(alert);
  return { ...shape, service: 'ai-crew-system' };
}
