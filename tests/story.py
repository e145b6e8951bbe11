# SPDX-License-Identifier: LGPL-2.1-or-later
#
# What the Python suites of the introspected API (test-registry.py,
# test-inject.py, test-manager.py) share: the seed story's classes, NONE, the
# helpers and the check that the typelib is the build tree's. Each suite runs
# in a process of its own and imports this module from its own directory
# (sys.path[0]), in the source tree and in the installed tests alike; the
# GTypes below are registered once per process, on that import. The suites
# of the PyGObject override (test-override.py, test-faults.py) have classes
# of their own.

import os

import gi

gi.require_version('Hs', '1')
from gi.repository import GObject  # noqa: E402

NONE = GObject.TYPE_NONE  # "no kind given" / "any context" from bindings


# The seed story, written in Python.

class Greeting(GObject.Object):
    __gtype_name__ = 'Greeting'
    salutation = GObject.Property(type=str, default='Hello')


class AnotherGreeting(Greeting):
    __gtype_name__ = 'AnotherGreeting'
    # Shadows the parent's property so that its default differs.
    salutation = GObject.Property(type=str, default='Another Hello')


class Customer(GObject.Object):
    __gtype_name__ = 'Customer'
    first_name = GObject.Property(type=str, default='')


class FrenchCustomer(Customer):
    __gtype_name__ = 'FrenchCustomer'


def gtype(cls):
    return cls.__gtype__


def get(registry, cls, context=None, /, **props):
    """hs_registry_get_with_properties, as bindings see it ("get")."""
    names = [name.replace('_', '-') for name in props]
    return registry.get_with_properties(gtype(cls), context, names, list(props.values()))


def check_typelib_is_the_build_trees(test):
    """The body of each suite's test_typelib_is_the_build_trees: the Hs
    typelib loaded is the build tree's. Skips *test* (a unittest.TestCase)
    outside meson test, or without the GIRepository typelib."""
    builddir = os.environ.get('G_TEST_BUILDDIR')
    if builddir is None:
        test.skipTest('not run by meson test')
    try:
        gi.require_version('GIRepository', '2.0')
        from gi.repository import GIRepository
    except (ImportError, ValueError):
        test.skipTest('no GIRepository typelib')
    path = GIRepository.Repository.get_default().get_typelib_path('Hs')
    expected = os.path.join(os.path.dirname(builddir), 'hopscotch', 'Hs-1.typelib')
    test.assertEqual(os.path.realpath(path), os.path.realpath(expected))
