#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The greeting story, in Python through the PyGObject override (Hs.py).

A pluggable application ships Greeting; a local site replaces it with
AnotherGreeting for French customers. A registry is set up once at startup;
each request gets a child registry whose context is the request's customer,
and a Greeter built there gets its Greeting and its Customer injected.

It prints exactly what examples/greeting.c prints. From a build directory:

    PYTHONPATH=hopscotch/pygobject GI_TYPELIB_PATH=hopscotch \\
        LD_LIBRARY_PATH=hopscotch python3 ../examples/greeting.py
"""

import gi

gi.require_version('Hs', '1')
from gi.repository import GLib, GObject, Hs  # noqa: E402


# Customer, with a "first-name", and FrenchCustomer.
class Customer(GObject.Object):
    __gtype_name__ = 'ExCustomer'
    first_name = GObject.Property(type=str)


class FrenchCustomer(Customer):
    __gtype_name__ = 'ExFrenchCustomer'


# Greeting, with a "salutation" property: what the application ships.
@Hs.injectable()
class Greeting(GObject.Object):
    __gtype_name__ = 'ExGreeting'
    salutation = GObject.Property(type=str, default='Hello')


# AnotherGreeting: the local site's replacement, for French customers.
@Hs.injectable(kind=Greeting, context=FrenchCustomer)
class AnotherGreeting(Greeting):
    __gtype_name__ = 'ExAnotherGreeting'
    salutation = GObject.Property(type=str, default='Another Hello')


# Greeter: its "greeting" and "customer" are injected.
@Hs.injectable()
class Greeter(GObject.Object):
    __gtype_name__ = 'ExGreeter'
    greeting = GObject.Property(type=Greeting)
    customer = GObject.Property(type=Customer)

    def greet(self):
        return f'{self.greeting.props.salutation}, {self.customer.props.first_name}!'


def serve(root, customer):
    # One child registry per request, with the customer as its context.
    request = Hs.Registry(parent=root, context=customer)
    greeter = request.get(Greeter)
    print(f'{customer.props.first_name}: {greeter.greet()}')


def main():
    # At startup: the decorated classes of this module (the application's
    # Greeting, the site's replacement, the Greeter).
    root = Hs.Registry()
    root.scan()

    # Per request.
    serve(root, Customer(first_name='Jill'))
    serve(root, FrenchCustomer(first_name='Marie'))

    # Props: values for the constructed type's properties.
    greeting = root.get(Greeting, salutation='Hello Prop')
    print(f'props: {greeting.props.salutation}')

    # A singleton: the instance handed in is the answer.
    other = Hs.Registry()
    singleton = Greeting(salutation='I am a singleton')
    other.register(singleton)
    greeting = other.get(Greeting)
    same = 'yes' if greeting is singleton else 'no'
    print(f'singleton: {greeting.props.salutation} (the same object: {same})')

    # Asking for what nobody registered is an error, not a crash.
    try:
        other.get(Customer)
    except GLib.Error as error:
        print(f'error: {error.message}')


if __name__ == '__main__':
    main()
