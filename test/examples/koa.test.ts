import { describeExampleContract } from './contract.js';
import { describeDemoCommand } from './demo.js';
import { koaExample } from './targets.js';

describeExampleContract(koaExample);
describeDemoCommand(koaExample);
