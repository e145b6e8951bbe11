#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Benchmarks of the Python override (``from gi.repository import Hs``).

Each scenario is timed against its floor in the same run: interleaved
trials, each timing the scenario and then its floor for about the same
time; the ratio is the median of the per-trial ratios, so that a busy
machine slows both sides of a pair alike.

usage: bench-python.py [--json FILE] [--trials N] [--trial-ms MS]
                       [--check] [NAME...]

Each JSON line is {"name", "ns_per_op", "baseline", "baseline_ns",
"ratio", "target", "met"}, as bench-registry writes them.
"""

import argparse
import json
import statistics
import sys
import time

import gi

gi.require_version('Hs', '1')
from gi.repository import GObject, Hs  # noqa: E402


class Greeting(GObject.Object):
    __gtype_name__ = 'BenchGreeting'
    salutation = GObject.Property(type=str, default='Hello')


class Customer(GObject.Object):
    __gtype_name__ = 'BenchCustomer'
    first_name = GObject.Property(type=str, default='Marie')


class Settings(GObject.Object):
    __gtype_name__ = 'BenchSettings'


class Greeter(GObject.Object):
    """Two object properties, injected from two singletons."""
    __gtype_name__ = 'BenchGreeter'
    greeting = GObject.Property(type=Greeting)
    settings = GObject.Property(type=Settings)


RAW_GET = Hs.Registry.__mro__[1].get  # the introspected get, below the override


def scenarios():
    """(name, scenario, baseline description, floor, target); a target
    of 0 is a row for information."""
    singletons = Hs.Registry()
    singletons.register(Greeting())

    def get_singleton(n, registry=singletons, get=singletons.get):
        for _ in range(n):
            get(Greeting)

    def raw_get_singleton(n, registry=singletons, gtype=Greeting.__gtype__):
        for _ in range(n):
            RAW_GET(registry, gtype, None)

    class Wrapper(Hs.Registry):
        """The least a Python override of get can do: its signature, then
        the introspected get."""

        def get(self, kind, context=None, *args, **props):
            return RAW_GET(self, kind, context)

    wrapped = Wrapper()
    wrapped.register(Greeting())

    def wrapper_get_singleton(n, get=wrapped.get, gtype=Greeting.__gtype__):
        for _ in range(n):
            get(gtype)

    types = Hs.Registry()
    types.register(Greeting)

    def get_new(n, get=types.get):
        for _ in range(n):
            get(Greeting)

    def raw_get_new(n, registry=types, gtype=Greeting.__gtype__):
        for _ in range(n):
            RAW_GET(registry, gtype, None)

    def construct(n):
        for _ in range(n):
            Greeting()

    def get_props_1(n, get=types.get):
        for _ in range(n):
            get(Greeting, salutation='Bonjour')

    def construct_props_1(n):
        for _ in range(n):
            Greeting(salutation='Bonjour')

    wired = Hs.Registry()
    wired.register(Greeting())
    wired.register(Settings())
    wired.register(Greeter)

    def get_inject_2(n, get=wired.get):
        for _ in range(n):
            get(Greeter)

    greeting, settings = Greeting(), Settings()

    def by_hand_2(n):
        for _ in range(n):
            Greeter(greeting=greeting, settings=settings)

    customer = Customer()

    def request(n, Registry=Hs.Registry, parent=types):
        for _ in range(n):
            Registry(parent=parent, context=customer).get(Greeting)

    RawRegistry = Hs.Registry.__mro__[1]

    def raw_request(n, parent=types, gtype=Greeting.__gtype__):
        for _ in range(n):
            RAW_GET(RawRegistry(parent=parent, context=customer), gtype, None)

    return [
        ('py-get-singleton', get_singleton, 'introspected get', raw_get_singleton, 1.15),
        ('floor-py-get-singleton', wrapper_get_singleton, 'introspected get',
         raw_get_singleton, 0),
        ('py-get-new', get_new, 'Greeting()', construct, 1.45),
        ('floor-py-get-new', raw_get_new, 'Greeting()', construct, 0),
        ('py-get-props-1', get_props_1, 'Greeting(salutation=…)', construct_props_1, 2.0),
        ('py-get-inject-2', get_inject_2, 'Greeter(greeting=…, settings=…)', by_hand_2, 1.5),
        ('py-request', request, 'Greeting()', construct, 3.0),
        ('floor-py-request', raw_request, 'Greeting()', construct, 0),
    ]


def calibrate(run, seconds):
    """How many operations take about *seconds*."""
    n = 64
    while True:
        start = time.perf_counter()
        run(n)
        elapsed = time.perf_counter() - start
        if elapsed >= seconds / 4:
            return max(1, int(n * seconds / elapsed))
        n *= 4


def timed(run, n):
    start = time.perf_counter()
    run(n)
    return (time.perf_counter() - start) / n * 1e9


def measure(run, floor, trials, seconds):
    """(median ns/op, median floor ns/op, median of per-trial ratios)."""
    n_run, n_floor = calibrate(run, seconds), calibrate(floor, seconds)
    ns, floor_ns, ratios = [], [], []
    for _ in range(trials):
        a = timed(run, n_run)
        b = timed(floor, n_floor)
        ns.append(a)
        floor_ns.append(b)
        ratios.append(a / b)
    return statistics.median(ns), statistics.median(floor_ns), statistics.median(ratios)


def main(argv):
    parser = argparse.ArgumentParser(description='Benchmarks of the Python override')
    parser.add_argument('--json', metavar='FILE', help='write one JSON object per line to FILE')
    parser.add_argument('--trials', type=int, default=21)
    parser.add_argument('--trial-ms', type=float, default=20.0)
    parser.add_argument('--check', action='store_true', help='exit 1 when a target is missed')
    parser.add_argument('names', nargs='*')
    args = parser.parse_args(argv)

    json_file = open(args.json, 'w') if args.json else None
    print(f'{args.trials} interleaved trials of ~{args.trial_ms:.0f} ms per side; medians. '
          'ratio = median of the per-trial ratios.\n')
    print(f'{"name":<22} {"ns/op":>10}  {"baseline":<34} {"base ns":>10} {"ratio":>7} {"target":>8}')
    all_met = True
    for name, run, baseline, floor, target in scenarios():
        if args.names and name not in args.names:
            continue
        ns, floor_ns, ratio = measure(run, floor, args.trials, args.trial_ms / 1e3)
        met = target == 0 or ratio <= target
        all_met &= met
        verdict = (f'≤ {target:<6.2f} {"ok" if met else "MISSED"}' if target
                   else '  (information)')
        print(f'{name:<22} {ns:>10.1f}  {baseline:<34} {floor_ns:>10.1f} {ratio:>7.2f} '
              f'{verdict}', flush=True)
        if json_file is not None:
            json_file.write(json.dumps({'name': name, 'ns_per_op': round(ns, 2),
                                        'baseline': baseline,
                                        'baseline_ns': round(floor_ns, 2),
                                        'ratio': round(ratio, 3), 'target': target,
                                        'met': met}, ensure_ascii=False) + '\n')
    if json_file is not None:
        json_file.close()
    return 1 if args.check and not all_met else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
