/** The names of what a ModelDeployment owns besides its Deployment and Service (which take its name). */
import { childName } from '../child-name.ts';

export const modelCardName = (name: string) => childName(name, '-model-card');
export const auditRecordName = (name: string) => childName(name, '-audit');
