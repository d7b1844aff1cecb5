import { expressTarget } from './express-target.js';
import { describeAdapterConformance } from './suite/index.js';

describeAdapterConformance(expressTarget);
