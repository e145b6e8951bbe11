# SPDX-License-Identifier: LGPL-2.1-or-later
"""The documents and services of the GTK example (documents.py), in a module
of their own so that plugins can import them too.

The application registry, AppRegistry, is the key plugins declare their
registry functions for: it is a singleton that, when first created, fills in
the application's own services and then subscribes to its own key, which
runs every registry function declared for it -- at once for those declared
before, and as they are declared for plugins loaded later.
"""

import gi

gi.require_version('Hs', '1')
from gi.repository import GObject, Hs  # noqa: E402


class Document(GObject.Object):
    """What a window shows: each window's registry has it as its context."""
    __gtype_name__ = 'DocsDocument'
    title = GObject.Property(type=str, default='')
    text = GObject.Property(type=str, default='')


class Note(Document):
    __gtype_name__ = 'DocsNote'


class Letter(Document):
    __gtype_name__ = 'DocsLetter'
    recipient = GObject.Property(type=str, default='')


class Formatter(GObject.Object):
    """Formats a document's heading."""
    __gtype_name__ = 'DocsFormatter'

    def heading(self, document):
        return f'Note: {document.props.title}'


class LetterFormatter(Formatter):
    """The formatter for letters: registered for the Letter context."""
    __gtype_name__ = 'DocsLetterFormatter'

    def heading(self, document):
        return f'Letter to {document.props.recipient}: {document.props.title}'


class StatusItem(GObject.Object):
    """A status line about the document. The application ships none: a
    plugin provides one."""
    __gtype_name__ = 'DocsStatusItem'
    document = GObject.Property(type=Document)

    def describe(self):
        raise NotImplementedError


class Presenter(GObject.Object):
    """What a window displays, built by the window's registry: the document
    is the registry's context, the formatter the best one for it, the status
    item whatever a plugin registered (or none)."""
    __gtype_name__ = 'DocsPresenter'
    document = GObject.Property(type=Document)
    formatter = GObject.Property(type=Formatter)
    status = GObject.Property(type=StatusItem)

    def heading(self):
        return self.props.formatter.heading(self.props.document)

    def status_line(self):
        if self.props.status is None:
            return 'No status plugin'
        return self.props.status.describe()


class AppRegistry(Hs.Registry):
    """The application's root registry, and the key of its plugins'
    registry functions."""
    __gtype_name__ = 'DocsAppRegistry'
    _default = None

    @classmethod
    def get_default(cls):
        if cls._default is None:
            registry = cls()
            registry.register(Formatter)
            registry.register(LetterFormatter, kind=Formatter, context=Letter)
            registry.register(Presenter)
            # Reachable first, so that registry functions can fill it; then
            # run them.
            cls._default = registry
            Hs.RegistryManager.get_default().subscribe(cls)
        return cls._default
