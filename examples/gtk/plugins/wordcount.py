# SPDX-License-Identifier: LGPL-2.1-or-later
"""A plugin of the GTK example: it adds a StatusItem that counts words.

The application calls hopscotch_plugin() when it loads the plugin; the
plugin declares a registry function for the application registry's key.
What that function registers belongs to the owner the application named,
and goes away when the application unloads that owner.
"""

from docservices import AppRegistry, StatusItem


class WordCount(StatusItem):
    __gtype_name__ = 'DocsWordCount'

    def describe(self):
        return f'Words: {len(self.props.document.props.text.split())}'


def register_services(manager):
    AppRegistry.get_default().register(WordCount, kind=StatusItem)


def hopscotch_plugin(manager, owner):
    manager.add_registry_function(AppRegistry, owner, register_services)

