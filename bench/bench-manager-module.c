/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A module with 10,000 registry functions for the key BenchKey (or none,
 * with BENCH_EMPTY: the baseline for the cost of loading a module at all).
 * Each function only counts itself. Both have one more function, for the
 * key BenchUnloadKey, which makes as many registrations as it is told: the
 * module owns them, and unloading it undoes them.
 */
#include <hopscotch.h>

static int ran;
static HsRegistry *registry;
static GType registered_type;
static guint n_registrations;

__attribute__ ((visibility ("default"))) int bench_module_ran (void);
__attribute__ ((visibility ("default"))) void bench_module_set_registrations (HsRegistry *target,
                                                                                GType       type,
                                                                                guint       n);

int
bench_module_ran (void)
{
  return ran;
}

void
bench_module_set_registrations (HsRegistry *target,
                                GType       type,
                                guint       n)
{
  registry = target;
  registered_type = type;
  n_registrations = n;
}

HS_REGISTRY_FUNCTION (BenchUnloadKey, Register)
{
  for (guint i = 0; i < n_registrations; i++)
    hs_registry_register_type (registry, registered_type, G_TYPE_INVALID, G_TYPE_INVALID, NULL);
}

#ifndef BENCH_EMPTY

#define F(N) HS_REGISTRY_FUNCTION (BenchKey, f##N) { ran++; }
#define F10(N) F(N##0) F(N##1) F(N##2) F(N##3) F(N##4) F(N##5) F(N##6) F(N##7) F(N##8) F(N##9)
#define F100(N) F10(N##0) F10(N##1) F10(N##2) F10(N##3) F10(N##4) \
                F10(N##5) F10(N##6) F10(N##7) F10(N##8) F10(N##9)
#define F1000(N) F100(N##0) F100(N##1) F100(N##2) F100(N##3) F100(N##4) \
                 F100(N##5) F100(N##6) F100(N##7) F100(N##8) F100(N##9)

/* f0000 … f9999 */
F1000(0) F1000(1) F1000(2) F1000(3) F1000(4)
F1000(5) F1000(6) F1000(7) F1000(8) F1000(9)

#endif
