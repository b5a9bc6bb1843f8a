#!/usr/bin/python3
"""Fits the per-operator cost model of `emlkit sim --target` for boards with no emulator.

For every golden model emlkit runs, `emlkit sim --emulate rv32 --records 1 --json` gives the
instructions of each operator (the hooked Invoke) and `emlkit inspect --json` its MACs. Per
operator kind ("NAME/input dtype") the fit is instructions = a * MACs + b, least squares on
relative errors (a or b forced to 0 when the fit would make one negative or the kind has one
MAC count only), plus a per
Invoke constant (the interpreter, the median of Invoke minus the sum of its operators).

Leave-one-model-out: each model's Invoke is predicted from a fit on the other models; the
errors are printed, and their median absolute value is written as `holdout_error` with the
coefficients fitted on all models.

Usage: calibrate.py EMLKIT GOLDEN_DIR OUT_TOML [CACHE_JSON]
"""
import json
import os
import statistics
import subprocess
import sys

emlkit, golden, out_toml = sys.argv[1], sys.argv[2], sys.argv[3]
cache = sys.argv[4] if len(sys.argv) > 4 else None


def run_json(cmd):
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError(" ".join(cmd) + ": " + p.stderr.strip()[:400])
    return json.loads(p.stdout)


samples = {}
if cache and os.path.exists(cache):
    samples = json.load(open(cache))
for name in sorted(os.listdir(golden)):
    model = os.path.join(golden, name, "model.tflite")
    if name in samples or not os.path.exists(model):
        continue
    info = run_json([emlkit, "inspect", model, "--json"])
    if info["unsupported_ops"]:
        print(f"  skip {name}: unsupported {info['unsupported_ops']}", file=sys.stderr)
        continue
    try:
        sim = run_json([emlkit, "sim", model, "--emulate", "rv32", "--data",
                        os.path.join(golden, name), "--records", "1", "--json"])
    except (RuntimeError, json.JSONDecodeError) as e:
        print(f"  skip {name}: {e}", file=sys.stderr)
        continue
    samples[name] = {
        "invoke": sim["instructions_per_inference"]["mean"],
        "ops": [{"name": o["name"], "macs": d["macs"], "instructions": o["instructions"]}
                for o, d in zip(sim["ops"], info["op_details"])],
    }
    print(f"  {name}: {samples[name]['invoke']:.0f} instructions on rv32", file=sys.stderr)
    if cache:
        json.dump(samples, open(cache, "w"), indent=1)


def kind(info, k, name):
    """An operator kind: its name and the dtype of its first input ("FULLY_CONNECTED/int8")."""
    first = info["op_details"][k]["inputs"][0]
    return name + "/" + info["tensors"][first]["dtype"]


infos = {}
for n in list(samples):
    infos[n] = run_json([emlkit, "inspect", os.path.join(golden, n, "model.tflite"), "--json"])
    for k, o in enumerate(samples[n]["ops"]):
        o["kind"] = kind(infos[n], k, o["name"])


def fit(names):
    by_kind = {}
    overhead = []
    for n in names:
        s = samples[n]
        for o in s["ops"]:
            by_kind.setdefault(o["kind"], []).append((o["macs"], o["instructions"]))
        overhead.append(s["invoke"] - sum(o["instructions"] for o in s["ops"]))
    coef = {}
    for kind, pts in by_kind.items():
        # Weighted least squares on relative errors (weights 1/y^2): a 5 M-instruction CONV_2D
        # must not swamp a 3 k-instruction one.
        w = [1.0 / max(y, 1.0) ** 2 for _, y in pts]
        sw = sum(w)
        sx = sum(wi * x for wi, (x, _) in zip(w, pts))
        sy = sum(wi * y for wi, (_, y) in zip(w, pts))
        sxx = sum(wi * x * x for wi, (x, _) in zip(w, pts))
        sxy = sum(wi * x * y for wi, (x, y) in zip(w, pts))
        det = sw * sxx - sx * sx
        if det > 1e-12 * max(sw * sxx, 1e-300):
            a = (sw * sxy - sx * sy) / det
            b = (sy - a * sx) / sw
            if b < 0 or a < 0:  # keep it physical: through the origin
                a, b = sxy / sxx, 0.0
        elif sx > 0:
            a, b = sxy / sxx, 0.0
        else:
            a, b = 0.0, sy / sw
        coef[kind] = (a, b, len(pts))
    return coef, max(0.0, statistics.median(overhead)) if overhead else 0.0


def predict(coef, overhead, s, generic):
    total = overhead
    for o in s["ops"]:
        a, b, _ = coef.get(o["kind"], generic)
        total += a * o["macs"] + b
    return total


names = sorted(samples)
rows = []
for held in names:
    coef, ovh = fit([n for n in names if n != held])
    # A kind the other models never use falls back to the median per-MAC cost of all kinds.
    per_mac = statistics.median([c[0] for c in coef.values() if c[0] > 0] or [10.0])
    pred = predict(coef, ovh, samples[held], (per_mac, 200.0, 0))
    actual = samples[held]["invoke"]
    rows.append((held, actual, pred, (pred - actual) / actual))
print("leave-one-model-out on rv32 (fit on the other models, predict this one's Invoke):")
print(f"  {'model':28} {'counted':>12} {'predicted':>12} {'error':>8}")
for n, a, p, e in rows:
    print(f"  {n:28} {a:12.0f} {p:12.0f} {100 * e:+7.1f}%")
errs = [abs(r[3]) for r in rows]
holdout = statistics.median(errs)
print(f"  median |error| {100 * holdout:.1f}%, mean {100 * statistics.mean(errs):.1f}%, "
      f"max {100 * max(errs):.1f}% over {len(rows)} models")

coef, ovh = fit(names)
with open(out_toml, "w") as f:
    f.write("# Per-operator cost model of `emlkit sim --target` for cores with no emulator: "
            "instructions\n# per operator = a * MACs + b, fitted by bench/boards/run on the "
            "per-operator counts of the\n# golden models on the emulated rv32 core (reference "
            "kernels); per Invoke add `invoke_overhead`.\n# Generated: do not edit by hand, "
            "rerun bench/boards/run.\n")
    f.write(f"reference_core = \"rv32\"\nmodels = {len(names)}\n")
    f.write(f"invoke_overhead = {ovh:.0f}\n")
    f.write(f"# median |relative error| of the Invoke predicted for a held-out model\n")
    f.write(f"holdout_error = {holdout:.3f}\n")
    f.write(f"holdout_error_mean = {statistics.mean(errs):.3f}\n\n[ops]\n")
    for k in sorted(coef):
        a, b, n = coef[k]
        f.write(f"\"{k}\" = {{ a = {a:.4f}, b = {b:.0f} }}  # {n} operators\n")
print(f"wrote {out_toml}")
