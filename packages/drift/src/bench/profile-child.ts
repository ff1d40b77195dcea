// Profiles one file in a fresh process and reports time and peak RSS, so the memory figure
// belongs to the profile build alone. `isolated` uses the worker thread `steward drift` uses.
import { profileData } from '../dataset.ts';
import { profileDataIsolated } from '../isolated.ts';

const [path, mode] = process.argv.slice(2);
if (path === undefined) throw new Error('usage: profile-child.ts FILE [isolated]');
const start = performance.now();
const { profile } = mode === 'isolated' ? await profileDataIsolated(path) : await profileData(path);
const seconds = (performance.now() - start) / 1000;
process.stdout.write(
  `${JSON.stringify({ seconds, rows: profile.rows, features: profile.features.size, peakRssMB: process.resourceUsage().maxRSS / 1024 })}\n`,
);
