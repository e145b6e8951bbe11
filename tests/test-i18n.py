# SPDX-License-Identifier: LGPL-2.1-or-later
#
# The messages the PyGObject override writes reach a French user in French,
# as the library's own do (SPEC 5), from the same catalogue: the process puts
# itself in a French session (LANGUAGE=fr in the C.UTF-8 locale, as
# test-i18n.c does) before the first translation. The catalogue is the build
# tree's, through HOPSCOTCH_LOCALEDIR, when meson test runs the suite.

import locale
import os
import unittest

import gi

gi.require_version('Hs', '1')
from gi.repository import GLib, GObject, Hs  # noqa: E402

NBSP = '\u00a0'

# Before the first translation, of the library or of the override.
os.environ['LANGUAGE'] = 'fr'
try:
    locale.setlocale(locale.LC_ALL, 'C.UTF-8')
    HAVE_LOCALE = True
except locale.Error:
    HAVE_LOCALE = False


class Greeting(GObject.Object):
    __gtype_name__ = 'I18nGreeting'
    salutation = GObject.Property(type=str, default='Hello')


@unittest.skipUnless(HAVE_LOCALE, 'no C.UTF-8 locale')
class TestFrench(unittest.TestCase):

    def test_a_message_of_the_override_is_in_french(self):
        registry = Hs.Registry()
        registry.register(Greeting)
        with self.assertRaises(TypeError) as cm:
            registry.get(Greeting, salutation=[1])
        self.assertEqual(cm.exception.message,
                         f'La propriété «{NBSP}salutation{NBSP}» de «{NBSP}I18nGreeting{NBSP}» '
                         'prend un gchararray, pas le list [1]')

    def test_a_type_error_of_the_override_is_in_french(self):
        with self.assertRaises(TypeError) as cm:
            Hs.Registry().register(42)
        self.assertEqual(str(cm.exception), 'register() prend une classe GObject, une '
                         'instance GObject ou un appelable, pas 42')

    def test_the_library_and_the_override_speak_the_same_language(self):
        registry = Hs.Registry()
        with self.assertRaises(GLib.Error) as cm:
            registry.get(Greeting)
        self.assertEqual(cm.exception.message,
                         f'Aucune sorte «{NBSP}I18nGreeting{NBSP}» dans le registre')


if __name__ == '__main__':
    unittest.main(verbosity=2)
