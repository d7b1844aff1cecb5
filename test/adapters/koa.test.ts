import { memoryBackend } from './backend.js';
import { koaTarget } from './koa-target.js';
import { redisBackend } from './redis-backend.js';
import { describeAdapterConformance } from './suite/index.js';

describeAdapterConformance(koaTarget, memoryBackend);
describeAdapterConformance(koaTarget, redisBackend);
