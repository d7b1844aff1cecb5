import { memoryBackend } from './backend.js';
import { expressTarget } from './express-target.js';
import { redisBackend } from './redis-backend.js';
import { describeAdapterConformance } from './suite/index.js';

describeAdapterConformance(expressTarget, memoryBackend);
describeAdapterConformance(expressTarget, redisBackend);
