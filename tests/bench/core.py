#!/usr/bin/env python3
"""Render + plan benchmark (issue 6): one installation's CPU time against the < 50 us target.

Runs tests/core/core_bench with many short repetitions and prints, per case, the median and the
spread of the repetitions' CPU time, so that one noisy second on a shared VM cannot decide the
verdict. Then, when valgrind is installed (scripts/bootstrap installs it), counts the target
case's instructions per render+plan with callgrind: a figure that does not move with the
machine's load, to compare builds with.

Usage: core.py PATH_TO_core_bench [--repetitions N] [--min-time S] [--filter REGEX] [--no-count]
"""
import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

TARGET_CASE = "RenderAndPlanUnchanged/1"
TARGET_US = 50.0


def run_repetitions(bench, repetitions, min_time, pattern):
    """Returns {case: [cpu us of each repetition]} for the cases matching `pattern`."""
    argv = [bench, f"--benchmark_filter={pattern}", f"--benchmark_min_time={min_time}",
            f"--benchmark_repetitions={repetitions}", "--benchmark_format=json"]
    proc = subprocess.run(argv, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"error: {bench} exited {proc.returncode}: {proc.stderr.strip()}")
    times = {}
    for run in json.loads(proc.stdout)["benchmarks"]:
        if run.get("run_type") != "iteration":
            continue
        if run.get("error_occurred"):
            sys.exit(f"error: {run['name']}: {run.get('error_message', 'failed')}")
        scale = {"ns": 1e-3, "us": 1.0, "ms": 1e3}[run["time_unit"]]
        times.setdefault(run["run_name"], []).append(run["cpu_time"] * scale)
    return times


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def count_instructions(bench):
    """Returns the target case's instructions per iteration (callgrind), or None without valgrind.

    Callgrind dumps its counters after each call of PlanIs (the check before each batch of
    iterations), so the last dump holds exactly the last batch: its inclusive count for the
    case's function divided by that batch's iterations."""
    if shutil.which("valgrind") is None or shutil.which("callgrind_annotate") is None:
        return None
    with tempfile.TemporaryDirectory() as work:
        proc = subprocess.run(
            ["valgrind", "--tool=callgrind", "--dump-instr=no",
             "--dump-after=mm::(anonymous namespace)::PlanIs*",
             f"--callgrind-out-file={work}/out.%p", bench, "--benchmark_min_time=0.2",
             f"--benchmark_filter=^{re.escape(TARGET_CASE)}$", "--benchmark_format=json"],
            capture_output=True, text=True)
        if proc.returncode != 0:
            sys.exit(f"error: callgrind run of {bench} exited {proc.returncode}")
        iterations = json.loads(proc.stdout)["benchmarks"][0]["iterations"]
        final = [f for f in os.listdir(work) if re.fullmatch(r"out\.\d+", f)]
        annotate = subprocess.run(["callgrind_annotate", "--inclusive=yes", "--threshold=100",
                                   os.path.join(work, final[0])],
                                  capture_output=True, text=True, check=True).stdout
    function = "::" + TARGET_CASE.split("/")[0] + "(benchmark::State&)"
    for line in annotate.splitlines():
        if function in line:
            return int(line.split()[0].replace(",", "")) // iterations
    sys.exit(f"error: callgrind_annotate shows no {function}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("bench")
    parser.add_argument("--repetitions", type=int, default=15)
    parser.add_argument("--min-time", type=float, default=0.2)
    parser.add_argument("--filter", default="^(Render|PlanUnchanged|PlanOneChange|"
                        "RenderAndPlanUnchanged)/")
    parser.add_argument("--no-count", action="store_true", help="skip the callgrind count")
    args = parser.parse_args()

    times = run_repetitions(args.bench, args.repetitions, args.min_time, args.filter)
    print(f"CPU time per iteration, {args.repetitions} repetitions of >= {args.min_time} s "
          f"each (us): median [10th-90th percentile]")
    for case, values in times.items():
        print(f"  {case:28} {statistics.median(values):7.1f}  "
              f"[{percentile(values, 0.1):.1f}-{percentile(values, 0.9):.1f}]")
    if TARGET_CASE in times:
        values = times[TARGET_CASE]
        median = statistics.median(values)
        under = sum(1 for v in values if v < TARGET_US)
        print(f"{TARGET_CASE}: median {median:.1f} us = {median / TARGET_US:.2f} of the "
              f"{TARGET_US:.0f} us target; {under} of {len(values)} repetitions under it")
    if not args.no_count:
        instructions = count_instructions(args.bench)
        if instructions is None:
            print("instructions: valgrind not installed (scripts/bootstrap installs it)")
        else:
            print(f"{TARGET_CASE}: {instructions:,} instructions per render+plan (callgrind)")


if __name__ == "__main__":
    main()
