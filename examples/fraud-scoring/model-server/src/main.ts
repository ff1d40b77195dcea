#!/usr/bin/env node
// The model server process: MODEL_URI (set by the ModelDeployment's Deployment) names the artefact,
// PORT the port (default 8080, the ModelDeployment's default serving port).
import { type Model, readModel } from '@steward/example-fraud-trainer';
import { modelServer } from './server.ts';

const DEFAULT_PORT = 8080;
const uri = process.env.MODEL_URI;
if (!uri) {
  console.error('fraud-model-server: MODEL_URI is not set: it names the directory holding model.json');
  process.exit(2);
}
let model: Model | undefined;
const server = modelServer(() => model);
server.listen(Number(process.env.PORT ?? DEFAULT_PORT), () => {
  console.log(`fraud-model-server: listening on ${JSON.stringify(server.address())}, loading ${uri}`);
});
try {
  model = await readModel(uri);
  console.log(`fraud-model-server: serving ${model.name} ${model.version}`);
} catch (error) {
  // Not ready and never will be: exit, so the pod's restarts and its last message say why.
  console.error(`fraud-model-server: cannot load the model: ${(error as Error).message}`);
  process.exit(1);
}
process.on('SIGTERM', () => server.close(() => process.exit(0)));
