// The fraud-scoring example's model: the artefact format and scorer the model server shares.
export { readModel, writeModel } from './artifact.ts';
export {
  Decision,
  MODEL_FILE,
  MODEL_FORMAT,
  type Model,
  modelSchema,
  type Prediction,
  predict,
  type Row,
  score,
} from './model.ts';
