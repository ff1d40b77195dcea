export { parseCsvRows, readCsv } from './csv.ts';
export { DataError } from './errors.ts';
export { readJsonl } from './jsonl.ts';
export { readParquet } from './parquet.ts';
export {
  type DataFormat,
  dataFormats,
  formatOf,
  localLocation,
  resolveSources,
  type Source,
} from './source.ts';
export { type ReadOptions, readTable } from './table.ts';
export { type TimeWindow, withinWindow } from './window.ts';
