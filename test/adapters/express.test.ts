import { memoryBackend } from './backend.js';
import { express4Target, expressTarget } from './express-target.js';
import { redisBackend } from './redis-backend.js';
import { describeAdapterConformance } from './suite/index.js';

describeAdapterConformance(expressTarget, memoryBackend);
describeAdapterConformance(expressTarget, redisBackend);
describeAdapterConformance(express4Target, memoryBackend);
describeAdapterConformance(express4Target, redisBackend);
