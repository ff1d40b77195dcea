/**
 * The fraud-scoring model server: loads `model.json` from the artefact URI the ModelDeployment gives it
 * (MODEL_URI) and answers POST /predict with predictions in the shape of the `fraud-score` OutputContract.
 * GET /readyz is 200 once the model is loaded (the Deployment's rollout waits on it), GET /healthz while
 * the process serves.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type Model, type Prediction, predict, type Row } from '@steward/example-fraud-trainer';

// A request body above this is refused: a batch of transactions, not a data set.
const MAX_BODY_BYTES = 1024 * 1024;

export interface PredictRequest {
  /** One transaction per instance: feature name to value, as in the training data. */
  instances: Row[];
}

class BadRequest extends Error {}

/** The server for `model`; `undefined` while it is still loading (not ready). */
export function modelServer(model: () => Model | undefined): Server {
  return createServer((request, response) => {
    handle(request, response, model()).catch((error: unknown) => {
      const status = error instanceof BadRequest ? 400 : 500;
      send(response, status, { error: (error as Error).message });
    });
  });
}

async function handle(request: IncomingMessage, response: ServerResponse, model: Model | undefined) {
  const path = new URL(request.url ?? '/', 'http://server').pathname;
  if (request.method === 'GET' && path === '/healthz') return send(response, 200, { status: 'ok' });
  if (request.method === 'GET' && path === '/readyz') {
    return model === undefined
      ? send(response, 503, { status: 'loading model' })
      : send(response, 200, { status: 'ready', model: model.name, version: model.version });
  }
  if (path !== '/predict') return send(response, 404, { error: `no route ${request.method} ${path}` });
  if (request.method !== 'POST') return send(response, 405, { error: 'POST a JSON body to /predict' });
  if (model === undefined) return send(response, 503, { error: 'the model is still loading' });
  const body = parseRequest(await readBody(request));
  const predictions: Prediction[] = body.instances.map((row) => predict(model, row));
  return send(response, 200, { predictions });
}

function parseRequest(text: string): PredictRequest {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new BadRequest('the body is not JSON: expected {"instances": [{...}, ...]}');
  }
  const instances = (body as { instances?: unknown }).instances;
  if (
    !Array.isArray(instances) ||
    instances.some((i) => typeof i !== 'object' || i === null || Array.isArray(i))
  ) {
    throw new BadRequest(
      'expected {"instances": [{...}, ...]}: one object of feature values per transaction',
    );
  }
  return { instances: instances as Row[] };
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of request) {
    bytes += (chunk as Buffer).length;
    if (bytes > MAX_BODY_BYTES) throw new BadRequest(`the body exceeds ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(`${JSON.stringify(body)}\n`);
}
