"""Optuna's TPE on meshtune's own search space: the peer of `npm run bench search -- --peer optuna`.

The space mirrors sim/study/space-table.ts define-by-run, with the same conditional
knobs: a gate is a categorical on/off and its knobs are suggested only when it is on.
Each trial is one simulation of the scenario with the trial's configuration on a
fixed seed (the same common random numbers for every trial), so 100 trials cost what
a study of `--budget 100` may spend. The simulations run in one long-lived meshtune
process (bench/peers/simulate-server.ts, the metrics `meshtune simulate --json`
prints), so that the study's wall time is its search's, not Node's start-up. The objective is the mode's (sim/study/objective.ts):

  performance  p99 latency
  cost         cost per delivered message
  reliability  loss (1 - delivery ratio)

with the scenario's SLOs as constraints: a trial that misses one is infeasible and
scores 1e12 plus its relative violation, so that among infeasible trials the closest
ranks first, as meshtune ranks them. Prints one JSON line and writes the best
configuration to --out.

  python3 optuna_study.py --server dist/bench/peers/simulate-server.js --scenario S --mode performance \\
      --trials 100 --seed 1 --sim-seed 1 --p99 2000 --delivery 0.999 --out best.json
"""
import argparse, json, subprocess, time

import optuna

BAL = ['random', 'round-robin', 'least-request', 'p2c', 'peak-ewma', 'consistent-hash']


def suggest(t):
    c = {'routing': {'balancer': t.suggest_categorical('balancer', BAL)}}
    r = t.suggest_int('redundancy', 1, 3)
    c['routing']['redundancy'] = r
    if r > 1:
        c['routing']['redundantPriority'] = t.suggest_int('redundantPriority', 0, 7)
    if t.suggest_categorical('buffer', ['off', 'on']) == 'on':
        c['buffer'] = {'capacity': t.suggest_int('buffer.capacity', 4, 4096, log=True),
                       'policy': t.suggest_categorical('buffer.policy', ['drop-tail', 'drop-head', 'priority', 'backpressure'])}
        if t.suggest_categorical('shedding', ['off', 'on']) == 'on':
            c['shedding'] = {'queueFraction': t.suggest_float('shedding.queueFraction', 0.3, 0.99)}
    to = {}
    if t.suggest_categorical('timeout', ['off', 'on']) == 'on':
        to['perTry'] = t.suggest_float('timeout.perTry', 10, 30000, log=True)
    if t.suggest_categorical('deadline', ['off', 'on']) == 'on':
        to['overall'] = t.suggest_float('timeout.overall', 50, 60000, log=True)
    if to:
        c['timeout'] = to
    m = t.suggest_int('retry.maxAttempts', 1, 5)
    c['retry'] = {'maxAttempts': m}
    if m > 1:
        c['retry'].update(base=t.suggest_float('retry.base', 5, 1000, log=True),
                          cap=t.suggest_float('retry.cap', 50, 30000, log=True),
                          jitter=t.suggest_categorical('retry.jitter', ['none', 'full', 'equal', 'decorrelated']))
        c['retry']['cap'] = max(c['retry']['cap'], c['retry']['base'])  # meshtune's own repair: cap >= base
        if t.suggest_categorical('retryBudget', ['off', 'on']) == 'on':
            c['retry']['budget'] = t.suggest_float('retry.budget', 0.01, 1, log=True)
    if t.suggest_categorical('hedge', ['off', 'on']) == 'on':
        c['hedge'] = {'after': t.suggest_float('hedge.after', 1, 10000, log=True)}
    if t.suggest_categorical('breaker', ['off', 'on']) == 'on':
        c['breaker'] = {'failureRate': t.suggest_float('breaker.failureRate', 0.05, 1),
                        'minRequests': t.suggest_int('breaker.minRequests', 5, 200, log=True),
                        'window': t.suggest_float('breaker.window', 1000, 60000, log=True),
                        'openFor': t.suggest_float('breaker.openFor', 100, 60000, log=True),
                        'halfOpenProbes': t.suggest_int('breaker.halfOpenProbes', 1, 10)}
    if t.suggest_categorical('outlier', ['off', 'on']) == 'on':
        c['outlier'] = {'consecutiveErrors': t.suggest_int('outlier.consecutiveErrors', 1, 20, log=True),
                        'ejectFor': t.suggest_float('outlier.ejectFor', 1000, 120000, log=True),
                        'maxEjected': t.suggest_float('outlier.maxEjected', 0.02, 0.5, log=True)}
    if t.suggest_categorical('batching', ['off', 'on']) == 'on':
        c['batching'] = {'maxSize': t.suggest_int('batching.maxSize', 2, 256, log=True),
                         'maxBytes': t.suggest_int('batching.maxBytes', 1024, 1048576, log=True),
                         'linger': t.suggest_float('batching.linger', 0.1, 50, log=True)}
    codec = t.suggest_categorical('compression.codec', ['none', 'gzip', 'brotli'])
    c['compression'] = {'codec': codec}
    if codec != 'none':
        c['compression']['minBytes'] = t.suggest_int('compression.minBytes', 64, 65536, log=True)
    c['delivery'] = t.suggest_categorical('delivery', ['at-most-once', 'at-least-once', 'exactly-once'])
    cc = t.suggest_categorical('concurrency', ['off', 'fixed', 'aimd', 'gradient'])
    if cc == 'fixed':
        c['concurrency'] = {'limit': t.suggest_int('concurrency.limit', 1, 256, log=True)}
    elif cc != 'off':
        c['concurrency'] = {'limit': cc}
    return c


def score(mode, d, p99_slo, delivery_slo):
    """The mode's objective (smaller is better), infeasible trials after every feasible one."""
    p99, dr = d['latencyMs']['p99'], d['deliveryRatio']
    value = {'performance': p99, 'cost': d['cost']['perDelivered'], 'reliability': 1 - dr}[mode]
    if value is None:
        value = 1e9
    violation = 0.0
    if p99_slo is not None and (p99 is None or p99 > p99_slo):
        violation += ((p99 if p99 is not None else 1e9) - p99_slo) / p99_slo
    if delivery_slo is not None and dr < delivery_slo:
        violation += (delivery_slo - dr) / max(1 - delivery_slo, 1e-3)
    return value if violation == 0 else 1e12 * (1 + violation) + value


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--server', required=True, help='path of the compiled simulate-server.js')
    ap.add_argument('--scenario', required=True)
    ap.add_argument('--mode', default='performance', choices=['performance', 'cost', 'reliability'])
    ap.add_argument('--trials', type=int, default=100)
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--sim-seed', type=int, default=1)
    ap.add_argument('--p99', type=float, default=None, help='p99 SLO, ms')
    ap.add_argument('--delivery', type=float, default=None, help='delivery-ratio SLO')
    ap.add_argument('--out', required=True)
    a = ap.parse_args()
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    study = optuna.create_study(sampler=optuna.samplers.TPESampler(seed=a.seed))

    server = subprocess.Popen(['node', a.server], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def objective(t):
        cfg = suggest(t)
        server.stdin.write(json.dumps({'scenario': a.scenario, 'config': cfg, 'seed': a.sim_seed}) + '\n')
        server.stdin.flush()
        d = json.loads(server.stdout.readline())
        if 'error' in d:
            raise RuntimeError(d['error'][-300:])
        t.set_user_attr('config', cfg)
        return score(a.mode, d, a.p99, a.delivery)

    t0 = time.perf_counter()
    try:
        study.optimize(objective, n_trials=a.trials, catch=(Exception,))
    finally:
        server.stdin.close()
        server.wait()
    best = study.best_trial
    with open(a.out, 'w') as f:
        json.dump(best.user_attrs['config'], f, indent=1)
    print(json.dumps({'trials': len(study.trials), 'best': best.value, 'wallSeconds': round(time.perf_counter() - t0, 1)}))


if __name__ == '__main__':
    main()
