#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Per-request registries, the way a web application uses Hopscotch.

At startup the application fills one root registry: its customer database
(a singleton), its Greeting, the site's FrenchGreeting for French customers,
the Session a request works in (scoped: one per request), the AuditLog and
the Page that renders a request. For each request it opens a child
registry whose context is the request's customer, in a ``with`` block,
registers the request itself there, and gets a Page. The page and its
audit log share the request's one Session; when the block ends, the child
is closed and releases the session. The root never sees what a request
registered, and a child costs nothing that grows with the root.

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


class Session(GObject.Object):
    """A unit of work with the database: registered SCOPED, so that each
    request's registry builds one, the first time something asks for it,
    and gives that one to everything the request builds."""
    __gtype_name__ = 'PrSession'
    opened = 0

    def __init__(self):
        super().__init__()
        Session.opened += 1
        self.number = Session.opened


class AuditLog(GObject.Object):
    """Writes down what a request did, in the request's session."""
    __gtype_name__ = 'PrAuditLog'
    session = GObject.Property(type=Session)


class Greeting(GObject.Object):
    __gtype_name__ = 'PrGreeting'
    salutation = GObject.Property(type=str, default='Hello')


class FrenchGreeting(Greeting):
    __gtype_name__ = 'PrFrenchGreeting'
    salutation = GObject.Property(type=str, default='Bonjour')


class Page(GObject.Object):
    """Renders a request. Everything it needs is injected: the greeting
    chosen for the customer, the customer (the context), the request (the
    child's registration), the request's session and audit log, and the
    customer's first name alone."""
    __gtype_name__ = 'PrPage'
    greeting = GObject.Property(type=Greeting)
    customer = GObject.Property(type=Customer)
    request = GObject.Property(type=Request)
    session = GObject.Property(type=Session)
    audit = GObject.Property(type=AuditLog)
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
    root.register(Session, lifetime=Hs.Lifetime.SCOPED)
    root.register(AuditLog)
    root.register(Page)
    return root


def handle(root, number, path):
    """One request: a child registry with the customer as its context."""
    name = path.rsplit('/', 1)[-1]
    customer = root.get(Database).find(name)
    if customer is None:
        print(f'GET {path} → 404 no customer “{name}”')
        return
    with Hs.Registry(parent=root, context=customer) as request:
        request.register(Request(path=path, number=number))
        try:
            text, note, watch = respond(request)
            print(f'GET {path} → 200 {text}\n{note}')
        except GLib.Error as error:
            print(f'GET {path} → 500 {error.message}')
    # The block closed `request`: it released the session it built, and
    # every later get from it fails with Hs.RegistryError.CLOSED.


def respond(request):
    """The page for a request, a note on its session, and a GObject weak
    reference that tells when the registry lets the session go."""
    page = request.get(Page)
    session = page.props.session
    shared = 'share' if page.props.audit.props.session is session else 'do not share'
    watch = session.weak_ref(print, f'  session {session.number} released')
    return page.render(), f'  page and audit log {shared} session {session.number}', watch


def main():
    root = startup()
    paths = ['/customers/jill', '/customers/marie', '/customers/nobody']
    for number, path in enumerate(paths, start=1):
        handle(root, number, path)

    # The root never saw the requests: a page built from the root alone
    # finds no Request to inject, and keeps its default.
    page = root.get(Page, context=Customer(first_name='Ann'))
    print(f'outside a request: a page for {page.props.name}, '
          f'request {page.props.request}')

if __name__ == '__main__':
    main()
