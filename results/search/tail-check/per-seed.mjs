import { loadScenario, loadConfigFile, mergeConfig } from '../../../dist/sim/scenario/index.js';
import { runScenario } from '../../../dist/sim/runner/index.js';
const sc = loadScenario(process.argv[2]);
const cfg = process.argv[3] ? mergeConfig(sc.config, loadConfigFile(process.argv[3])) : sc.config;
const from = Number(process.argv[4] ?? 7000000), n = Number(process.argv[5] ?? 20);
const out = [];
for (let s = from; s < from + n; s++) {
  const m = runScenario(sc, { config: cfg, seed: s });
  const lost = m.messages.lost;
  out.push([s, m.deliveryRatio, m.latencyMs.p99, JSON.stringify(Object.fromEntries(Object.entries(lost).filter(([, v]) => v > 0)))]);
}
for (const [s, d, p, l] of out) console.log(s, d.toFixed(5), p.toFixed(1), l);
