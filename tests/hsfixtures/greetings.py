# SPDX-License-Identifier: LGPL-2.1-or-later
"""The greeting story's Greeting and AnotherGreeting, decorated; Customer
and FrenchCustomer, not decorated."""

import gi

gi.require_version('Hs', '1')
from gi.repository import GObject, Hs  # noqa: E402


class Customer(GObject.Object):
    first_name = GObject.Property(type=str, default='')


class FrenchCustomer(Customer):
    pass


@Hs.injectable()
class Greeting(GObject.Object):
    salutation = GObject.Property(type=str, default='Hello')


@Hs.injectable(kind=Greeting, context=FrenchCustomer)
class AnotherGreeting(Greeting):
    salutation = GObject.Property(type=str, default='Another Hello')
