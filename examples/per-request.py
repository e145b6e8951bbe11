#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Per-request registries, the way a web application uses Hopscotch.

At startup the application fills one root registry: its customer database
(a singleton), its Greeting, the site's FrenchGreeting for French customers,
and the Page that renders a request. For each request it creates a child
registry whose context is the request's customer, registers the request
itself there, gets a Page, and drops the child when the response is out.
The root never sees what a request registered, and a child costs nothing
that grows with the root.

From a build directory:

    PYTHONPATH=hopscotch/pygobject GI_TYPELIB_PATH=hopscotch \\
        LD_LIBRARY_PATH=hopscotch python3 ../examples/per-request.py
"""

import gi

gi.require_version('Hs', '1')
from gi.repository import GLib, GObject, Hs  # noqa: E402


class Customer(GObject.Object):
    __gtype_name__ = 'PrCustomer'
    first_name = GObject.Property(type=str, default='')


class FrenchCustomer(Customer):
    __gtype_name__ = 'PrFrenchCustomer'


class Database(GObject.Object):
    """The customers, by name: one for the whole application."""
    __gtype_name__ = 'PrDatabase'

    def __init__(self, customers):
        super().__init__()
        self.customers = {customer.props.first_name.lower(): customer
                          for customer in customers}

    def find(self, name):
        return self.customers.get(name)


class Request(GObject.Object):
    """What came in: registered in the request's child registry only."""
    __gtype_name__ = 'PrRequest'
    path = GObject.Property(type=str, default='/')
    number = GObject.Property(type=int, default=0)


class Greeting(GObject.Object):
    __gtype_name__ = 'PrGreeting'
    salutation = GObject.Property(type=str, default='Hello')


class FrenchGreeting(Greeting):
    __gtype_name__ = 'PrFrenchGreeting'
    salutation = GObject.Property(type=str, default='Bonjour')


class Page(GObject.Object):
    """Renders a request. Everything it needs is injected: the greeting
    chosen for the customer, the customer (the context), the request (the
    child's registration), and the customer's first name alone."""
    __gtype_name__ = 'PrPage'
    greeting = GObject.Property(type=Greeting)
    customer = GObject.Property(type=Customer)
    request = GObject.Property(type=Request)
    name = Hs.Property(type=str, default='', inject=Hs.Context(attr='first_name'))

    def render(self):
        return (f'{self.greeting.props.salutation}, {self.props.name}! '
                f'(request {self.request.props.number}: {self.request.props.path})')


def startup():
    root = Hs.Registry()
    root.register(Database([Customer(first_name='Jill'),
                            FrenchCustomer(first_name='Marie')]))
    root.register(Greeting)
    root.register(FrenchGreeting, kind=Greeting, context=FrenchCustomer)
    root.register(Page)
    return root


def handle(root, number, path):
    """One request: a child registry with the customer as its context."""
    name = path.rsplit('/', 1)[-1]
    customer = root.get(Database).find(name)
    if customer is None:
        return f'404 no customer “{name}”'
    request = Hs.Registry(parent=root, context=customer)
    request.register(Request(path=path, number=number))
    try:
        return '200 ' + request.get(Page).render()
    except GLib.Error as error:
        return f'500 {error.message}'
    # `request` goes away here, with what it registered.


def main():
    root = startup()
    paths = ['/customers/jill', '/customers/marie', '/customers/nobody']
    for number, path in enumerate(paths, start=1):
        print(f'GET {path} → {handle(root, number, path)}')

    # The root never saw the requests: a page built from the root alone
    # finds no Request to inject, and keeps its default.
    page = root.get(Page, context=Customer(first_name='Ann'))
    print(f'outside a request: a page for {page.props.name}, '
          f'request {page.props.request}')

if __name__ == '__main__':
    main()
