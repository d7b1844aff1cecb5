import { describeExampleContract } from './contract.js';
import { describeDemoCommand } from './demo.js';
import { expressExample } from './targets.js';

describeExampleContract(expressExample);
describeDemoCommand(expressExample);
