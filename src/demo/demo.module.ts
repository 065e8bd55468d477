import { Module } from '@nestjs/common';
import { LoadDemoDataTask } from './load-demo-data.task.js';

/** The demo tenant: the `load_demo_data` task type (`npm run demo`) (it runs only for that tenant). */
@Module({ providers: [LoadDemoDataTask] })
export class DemoModule {}
