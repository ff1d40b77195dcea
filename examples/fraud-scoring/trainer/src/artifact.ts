/**
 * Where model artefacts live. The example writes to a file:// location (a volume the model server mounts
 * too) and reads from file:// or http(s)://; a URI names the version's directory, which holds model.json.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { MODEL_FILE, type Model, modelSchema } from './model.ts';

function localPath(uri: string): string {
  if (!uri.startsWith('file://')) {
    throw new Error(
      `${uri}: the example trainer writes artefacts to file:// locations only (a mounted volume)`,
    );
  }
  return fileURLToPath(uri);
}

/** Fails early (before hours of training) when `output` is not a location the trainer can write. */
export function checkOutput(output: string): void {
  localPath(output);
}

/** Writes `model.json` into `<output>/<directory>/` and returns that directory's URI. */
export async function writeModel(output: string, directory: string, model: Model): Promise<string> {
  const path = join(localPath(output), directory);
  await mkdir(path, { recursive: true });
  await writeFile(join(path, MODEL_FILE), `${JSON.stringify(model, null, 2)}\n`);
  return `${pathToFileURL(path).href}/`;
}

/**
 * Where a server that publishes the output location (a web server or gateway over the same volume) serves
 * `directory`: what a model server without the volume loads. `base` is the URI of the output's root.
 */
export function publishedUri(base: string, directory: string): string {
  if (!/^https?:\/\/[^/\s]+/.test(base)) {
    throw new Error(`--published-at ${base}: must be an http:// or https:// URI (where --output is served)`);
  }
  return `${base.replace(/\/*$/, '')}/${directory}/`;
}

function modelFileUri(uri: string): string {
  if (uri.endsWith('.json')) return uri;
  return `${uri.replace(/\/*$/, '')}/${MODEL_FILE}`;
}

export async function readModel(uri: string): Promise<Model> {
  const location = modelFileUri(uri);
  let text: string;
  if (location.startsWith('http://') || location.startsWith('https://')) {
    const response = await fetch(location);
    if (!response.ok) throw new Error(`${location}: HTTP ${response.status}`);
    text = await response.text();
  } else {
    text = await readFile(localPath(location), 'utf8').catch((error: NodeJS.ErrnoException) => {
      throw new Error(`${location}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`);
    });
  }
  const parsed = modelSchema.safeParse(JSON.parse(text));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `${location}: not a model artefact: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`,
    );
  }
  return parsed.data;
}
