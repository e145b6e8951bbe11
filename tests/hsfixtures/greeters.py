# SPDX-License-Identifier: LGPL-2.1-or-later
"""A decorated Greeter whose properties carry injection annotations. It
imports Greeting from its sibling: a scan of this module alone must not
register the imported class."""

import gi

gi.require_version('Hs', '1')
from gi.repository import GObject, Hs  # noqa: E402

from .greetings import Greeting  # noqa: E402


@Hs.injectable()
class Greeter(GObject.Object):
    greeting = GObject.Property(type=Greeting)
    name = Hs.Property(type=str, inject=Hs.Context(attr='first_name'))

    def greet(self):
        return f'{self.greeting.props.salutation}, {self.props.name}!'
