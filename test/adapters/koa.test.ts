import { koaTarget } from './koa-target.js';
import { describeAdapterConformance } from './suite/index.js';

describeAdapterConformance(koaTarget);
