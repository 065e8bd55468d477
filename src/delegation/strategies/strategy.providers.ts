import type { Provider } from '@nestjs/common';
import { CrewWorkflowRunner } from './crew-workflow.runner.js';
import { DeterministicRunner, DirectRunner } from './direct.runner.js';
import { FallbackChain } from './fallback-chain.js';
import { MultiAgentRunner } from './multi-agent.runner.js';
import { Narrator } from './narrator.js';
import { PlanRunner } from './plan-runner.js';
import { SingleAgentRunner } from './single-agent.runner.js';
import { STRATEGY_RUNNERS, type StrategyRunner } from './strategy-runner.js';
import { StrategyExecutor } from './strategy-executor.service.js';

const RUNNERS = [DirectRunner, SingleAgentRunner, MultiAgentRunner, CrewWorkflowRunner, DeterministicRunner];

/** The strategy executor and what it is made of: one runner per strategy, their shared parts and the fallback chain. */
export const STRATEGY_PROVIDERS: Provider[] = [
  Narrator,
  PlanRunner,
  ...RUNNERS,
  { provide: STRATEGY_RUNNERS, useFactory: (...runners: StrategyRunner[]) => runners, inject: RUNNERS },
  FallbackChain,
  StrategyExecutor,
];
