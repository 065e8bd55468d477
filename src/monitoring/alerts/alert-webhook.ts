import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { OutboundUrlError, outboundRequest } from '../../common/outbound-http.js';
import { MONITORING_SETTINGS, type MonitoringSettings } from '../monitoring-settings.js';
import type { AlertEntity } from './alert.entity.js';
import { toWebhookPayload } from './alert.mapper.js';

export interface DeliveryResult {
  delivered: boolean;
  attempts: number;
}

const TIMEOUT_MS = 5000;
const FIRST_RETRY_DELAY_MS = 500;

function wait(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}

/** POSTs alerts to ALERT_WEBHOOK_URL through the outbound guard, retrying network errors, 429 and 5xx with backoff. */
@Injectable()
export class AlertWebhook {
  private readonly logger = new Logger(AlertWebhook.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(MONITORING_SETTINGS) private readonly settings: MonitoringSettings,
  ) {}

  get url(): string | undefined {
    return this.config.monitoring.alertWebhookUrl;
  }

  async deliver(alert: AlertEntity, signal: AbortSignal): Promise<DeliveryResult> {
    const url = this.url;
    if (!url) return { delivered: false, attempts: 0 };
    const body = JSON.stringify(toWebhookPayload(alert));
    const attempts = 1 + this.settings.webhookRetries;
    for (let attempt = 1; attempt <= attempts; attempt += 1) {
      let retry: boolean;
      let problem: string;
      try {
        const response = await outboundRequest(url, {
          method: 'POST',
          body,
          headers: { 'x-crew-alert-id': alert.id },
          timeoutMs: TIMEOUT_MS,
          allowPrivate: this.config.security.outboundAllowPrivate,
          maxBytes: 64 * 1024,
          signal,
        });
        if (response.status >= 200 && response.status < 300) return { delivered: true, attempts: attempt };
        retry = response.status === 429 || response.status >= 500;
        problem = `HTTP ${response.status}`;
      } catch (error) {
        retry = !(error instanceof OutboundUrlError);
        problem = error instanceof Error ? error.message : String(error);
      }
      if (!retry || attempt === attempts || signal.aborted) {
        this.logger.warn(`Alert ${alert.id} not delivered to the webhook after ${attempt} attempt(s): ${problem}`);
        return { delivered: false, attempts: attempt };
      }
      await wait(FIRST_RETRY_DELAY_MS * 2 ** (attempt - 1), signal);
    }
    return { delivered: false, attempts };
  }
}
