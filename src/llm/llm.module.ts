import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { BudgetService } from './budget.service.js';
import { LlmCacheEntity } from './llm-cache.entity.js';
import { LlmCache } from './llm-cache.service.js';
import { LlmClient, llmClientOptions } from './llm-client.js';
import { LlmRateLimiter } from './rate-limiter.service.js';

/**
 * The LLM layer: the client (null in deterministic mode — neither OPENAI_API_KEY nor OPENAI_BASE_URL set),
 * the response cache, the shared MAX_RPM limiter and tenant budgets. Global, so agents and strategies
 * inject them without importing this module.
 */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([LlmCacheEntity])],
  providers: [
    {
      provide: LlmClient,
      useFactory: (config: AppConfig): LlmClient | null => (config.llm.enabled ? new LlmClient(llmClientOptions(config.llm)) : null),
      inject: [APP_CONFIG],
    },
    LlmCache,
    LlmRateLimiter,
    BudgetService,
  ],
  exports: [LlmClient, LlmCache, LlmRateLimiter, BudgetService],
})
export class LlmModule {}
